// Gives document.createElement the toolkit's element classes, so their properties (checked,
// indeterminate, value, disabled) are type-checked instead of cast at each use.

import type { Button, Checkbox, Divider, TextField } from '@vscode/webview-ui-toolkit';

declare global {
  interface HTMLElementTagNameMap {
    'vscode-button': Button;
    'vscode-checkbox': Checkbox;
    'vscode-divider': Divider;
    'vscode-text-field': TextField;
  }
}
