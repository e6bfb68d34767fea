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

/** A CSV text that cannot be read: an unterminated quoted field, or text right after a closing quote. */
export class CsvSyntaxError extends Error {
  constructor(
    /** The record (1 = the first, the header) where reading stopped. */
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Records of an RFC 4180 text: fields separated by commas, records by CRLF or LF; a quoted field may
 * hold commas, line breaks and doubled quotes. A leading byte-order mark (Excel's UTF-8 export) is
 * dropped. Every record is returned, empty ones too, so an index + 1 is the row a spreadsheet shows.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
  };
  while (at < text.length) {
    const char = text[at]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[at + 1] === '"') {
        field += '"';
        at++;
      } else {
        quoted = false;
        const next = text[at + 1];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
          throw new CsvSyntaxError(records.length + 1, 'has text after a closing quote: a quote inside a quoted field is written twice ("")');
        }
      }
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n') endRecord();
    else if (char === '\r' && text[at + 1] === '\n') {
      endRecord();
      at++;
    } else field += char;
    at++;
  }
  if (quoted) throw new CsvSyntaxError(records.length + 1, 'has a quoted field that is never closed');
  // A final line break ends the last record; it does not start another.
  if (field !== '' || record.length) endRecord();
  return records;
}
