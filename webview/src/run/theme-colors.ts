// Chart colors come from the VS Code theme's CSS variables, so light, dark and high-contrast
// themes all read well. A canvas cannot use CSS variables, so they are resolved to colors when
// drawn, cached, and re-read when the theme changes (VS Code swaps the body's theme class).

import type { ThemeColor } from './chart-colors';

export class ThemeColors {
  private readonly resolved = new Map<string, string>();

  resolve(color: ThemeColor): string {
    let value = this.resolved.get(color.variable);
    if (value === undefined) {
      value = getComputedStyle(document.body).getPropertyValue(color.variable).trim() || color.fallback;
      this.resolved.set(color.variable, value);
    }
    return value;
  }

  fontFamily(): string {
    return getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  }

  /** Calls `onThemeChange` after each theme change, with the cache already cleared. */
  watch(onThemeChange: () => void): void {
    new MutationObserver(() => {
      this.resolved.clear();
      onThemeChange();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }
}
