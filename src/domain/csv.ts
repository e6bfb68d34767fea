/** CSV lines per RFC 4180, safe to open in a spreadsheet. */

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP);
// a leading single quote makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula starts defused, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export const csvLine = (cells: readonly (string | number)[]): string => `${cells.map(csvCell).join(',')}\r\n`;
