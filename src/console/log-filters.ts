/**
 * A console log page's GET filters (the authentication log's, the audit log's): what was typed, the
 * same as the API's query (datetime-local fields read as UTC), and the links to its pages and its CSV.
 */
import type { ConsoleContext } from './page';

// <input type="datetime-local"> sends "2026-11-25T10:00" without a zone; the console labels these fields UTC.
const asUtc = (value: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value);

export function logFilters(c: ConsoleContext, fields: readonly string[], paths: { page: string; csv: string }) {
  const typed: Record<string, string> = Object.fromEntries(fields.map((field) => [field, c.req.query(field) ?? '']));
  const filters = { ...typed, from: asUtc(typed['from'] ?? ''), to: asUtc(typed['to'] ?? '') };
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  return {
    typed,
    /** The filters and the page, as the list schema takes them. */
    input: { ...filters, page: c.req.query('page') ?? '0', size: c.req.query('size') ?? '' },
    pageHref: (page: number) => `${paths.page}?${new URLSearchParams({ ...Object.fromEntries(query), page: String(page) })}`,
    csvHref: `${paths.csv}${query.size ? `?${query}` : ''}`,
  };
}
