// The toolkit components the panel uses: registered once, before anything is built (so each
// element is created already upgraded), and given to document.createElement's type map, so
// their properties (checked, indeterminate, value, disabled) are type-checked instead of cast.

import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
  type Button,
  type Checkbox,
  type Divider,
  type Dropdown,
  type Option,
  type TextField,
} from '@vscode/webview-ui-toolkit';

declare global {
  interface HTMLElementTagNameMap {
    'vscode-button': Button;
    'vscode-checkbox': Checkbox;
    'vscode-divider': Divider;
    'vscode-dropdown': Dropdown;
    'vscode-option': Option;
    'vscode-text-field': TextField;
  }
}

export function registerToolkitElements(): void {
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextField());
}
