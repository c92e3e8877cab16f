// RFC 4180 CSV: a field with a comma, a quote or a line break is quoted, quotes doubled. A text
// field that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe:
// run names and tags are typed by users, and a CSV is opened in spreadsheets. Numbers are
// written as they are (a negative delta stays a number).

export type CsvValue = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Lines end with CRLF, as RFC 4180 has it (and spreadsheets expect). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
