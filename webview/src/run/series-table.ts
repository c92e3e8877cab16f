// One chart's data as rows: an x (the global step) per row and named columns of y values, NaN
// where a row has no value. All columns share the rows, so any set of row indices picks aligned
// points from every column (which is what uPlot draws).

export class SeriesTable {
  readonly xs: number[] = [];
  private readonly columns = new Map<string, number[]>();

  get rowCount(): number {
    return this.xs.length;
  }

  columnNames(): string[] {
    return [...this.columns.keys()];
  }

  column(name: string): readonly number[] | undefined {
    return this.columns.get(name);
  }

  /** Adds a row; a column first seen here is NaN in the earlier rows. */
  appendRow(x: number, values: Readonly<Record<string, number | undefined>>): void {
    this.xs.push(x);
    for (const [name, column] of this.columns) column.push(values[name] ?? NaN);
    for (const [name, value] of Object.entries(values)) {
      if (this.columns.has(name)) continue;
      const column = new Array<number>(this.xs.length - 1).fill(NaN);
      column.push(value ?? NaN);
      this.columns.set(name, column);
    }
  }

  clear(): void {
    this.xs.length = 0;
    this.columns.clear();
  }
}
