// The charts' colors, named by the VS Code theme variable each comes from (resolved by
// ThemeColors when drawn). Plain data, no DOM, so the chart specs load under plain Node too.

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
