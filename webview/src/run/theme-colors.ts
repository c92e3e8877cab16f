// Chart colors come from the VS Code theme's CSS variables, so light, dark and high-contrast
// themes all read well. A canvas cannot use CSS variables, so they are resolved to colors when
// drawn, cached, and re-read when the theme changes (VS Code swaps the body's theme class).

export interface ThemeColor {
  readonly variable: string;
  /** For a variable the theme does not define. */
  readonly fallback: string;
}

export const CHART_COLORS = {
  blue: { variable: '--vscode-charts-blue', fallback: '#3794ff' },
  orange: { variable: '--vscode-charts-orange', fallback: '#d18616' },
  green: { variable: '--vscode-charts-green', fallback: '#89d185' },
  red: { variable: '--vscode-charts-red', fallback: '#f14c4c' },
  purple: { variable: '--vscode-charts-purple', fallback: '#b180d7' },
  yellow: { variable: '--vscode-charts-yellow', fallback: '#cca700' },
  foreground: { variable: '--vscode-foreground', fallback: '#cccccc' },
  gridLines: { variable: '--vscode-editorWidget-border', fallback: '#80808059' },
  selection: { variable: '--vscode-editor-selectionBackground', fallback: '#264f78' },
} as const satisfies Record<string, ThemeColor>;

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
