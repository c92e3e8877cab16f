// A run's color in the comparison: `summary.color` (kept in the run's metadata, so it never
// changes) indexes a palette of 20 colors that stay apart from each other (CIE76 ΔE >= 15) and
// from the editor background. There is one palette for dark themes and one for light: a color
// that reads on one fades on the other. Past 10 runs line dashes are added, so runs 10-19 and
// any run past 20 (whose color repeats) still differ by dash. Plain data, no DOM.

export type ThemeKind = 'dark' | 'light';

export const RUN_PALETTES: Readonly<Record<ThemeKind, readonly string[]>> = {
  dark: [
    '#4da3ff', '#ff9933', '#5cc95c', '#ff5c5c', '#b38cff', '#e6c619', '#33cccc', '#ff73c7', '#a6a6a6', '#c98f5f',
    '#a3ccff', '#ffc48c', '#a3e68c', '#ff9e9e', '#dcc7ff', '#fff08c', '#9eeee6', '#ffb3e0', '#e0e0e0', '#9966ff',
  ],
  light: [
    '#1f6fd1', '#d9650b', '#22892f', '#cc2929', '#7d4fc4', '#9c7e00', '#0f8a8f', '#c2378f', '#5c5c5c', '#8c5431',
    '#5b8fd6', '#c28a3d', '#7a9c00', '#e0706b', '#a98ad6', '#6b6b2e', '#3a9ed4', '#dc7ab5', '#8a8a8a', '#b3503a',
  ],
};

/** Solid for the first ten colors; then one dash pattern per further ten. */
const DASHES: readonly (readonly number[])[] = [[8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [12, 3, 2, 3, 2, 3]];
const SOLID_RUNS = 10;

export function runColor(index: number, theme: ThemeKind): string {
  const palette = RUN_PALETTES[theme];
  return palette[index % palette.length];
}

/** The line dash of a run's curves (canvas units), or undefined for a solid line. */
export function runDash(index: number): number[] | undefined {
  if (index < SOLID_RUNS) return undefined;
  return [...DASHES[(Math.floor(index / SOLID_RUNS) - 1) % DASHES.length]];
}

/** VS Code marks the page's theme on the body: vscode-light, vscode-dark, vscode-high-contrast(-light). */
export function themeKindOf(bodyClasses: { contains(name: string): boolean }): ThemeKind {
  return bodyClasses.contains('vscode-light') || bodyClasses.contains('vscode-high-contrast-light') ? 'light' : 'dark';
}
