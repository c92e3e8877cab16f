// A toolkit text field that checks its text as it is typed and hands on only a valid value, on
// change (Enter or leaving the field). An invalid field says why next to itself and stays as
// typed, so the user can fix it; the panel blocks starting a run meanwhile.

import type { TextField } from '@vscode/webview-ui-toolkit';
import { element } from '../shared/dom';
import type { ParsedRate } from './learning-rate-text';

export interface ValidatedField {
  readonly field: TextField;
  readonly error: HTMLSpanElement;
  readonly isValid: () => boolean;
  /** The typed value, when valid. */
  readonly value: () => number | undefined;
  /**
   * Shows a value from the host, unless the user is typing in the field: their edit wins (unless
   * `force`: a field being disabled shows the host's value whatever was typed). Empty text is the
   * host saying "no value", which is not the user's mistake: it shows the placeholder, not an error.
   */
  readonly showValue: (text: string, title?: string, force?: boolean) => void;
  readonly setDisabled: (disabled: boolean) => void;
}

export interface ValidatedFieldOptions {
  readonly fieldClass: string;
  readonly errorClass: string;
  readonly label: string;
  readonly initialText?: string;
  /** Shown while the field is empty. */
  readonly placeholder?: string;
  readonly parse: (text: string) => ParsedRate;
  readonly onCommit: (value: number) => void;
  readonly onValidityChange: () => void;
}

export function createValidatedField(options: ValidatedFieldOptions): ValidatedField {
  const field = element('vscode-text-field', { className: options.fieldClass, attributes: { 'aria-label': options.label } });
  field.value = options.initialText ?? '';
  if (options.placeholder !== undefined) field.placeholder = options.placeholder;
  const error = element('span', { className: options.errorClass, attributes: { role: 'alert' } });
  let valid = true;

  const showValidity = (nowValid: boolean, message: string) => {
    field.classList.toggle('invalid', !nowValid);
    if (nowValid) field.removeAttribute('aria-invalid');
    else field.setAttribute('aria-invalid', 'true');
    error.textContent = message;
    if (nowValid !== valid) {
      valid = nowValid;
      options.onValidityChange();
    }
  };
  const check = (): ParsedRate => {
    const parsed = options.parse(field.value);
    showValidity(parsed.ok, parsed.ok ? '' : parsed.error);
    return parsed;
  };

  field.addEventListener('input', () => check());
  field.addEventListener('change', () => {
    const parsed = check();
    if (parsed.ok) options.onCommit(parsed.value);
  });

  return {
    field,
    error,
    isValid: () => valid,
    value: () => {
      const parsed = options.parse(field.value);
      return parsed.ok ? parsed.value : undefined;
    },
    showValue: (text, title, force = false) => {
      if (!force && field.matches(':focus-within')) return;
      if (title === undefined) field.removeAttribute('title');
      else field.title = title;
      if (field.value === text && valid) return;
      field.value = text;
      if (text === '') showValidity(true, '');
      else check();
    },
    setDisabled: (disabled) => {
      if (field.disabled !== disabled) field.disabled = disabled;
    },
  };
}
