/**
 * The authentication log as the admin API and the console's dashboard show it: a filtered page, the
 * summary behind the charts, and the CSV export.
 */
import { apiError } from '../domain/api-error';
import {
  AUTH_LOG_COLUMNS,
  authLogSummary,
  authLogView,
  summaryRange,
  type AuthLogEntry,
  type AuthLogFilter,
  type AuthLogListQuery,
  type AuthLogSummary,
  type AuthLogView,
} from '../domain/auth-log';
import { AUTH_LOG_CSV_CHUNK_ROWS, AUTH_LOG_CSV_MAX_ROWS } from '../domain/constants';
import { authLogChunks, countAuthLogSummary, listAuthLog } from '../store/auth-log';
import type { Database } from '../store/db';
import { csvFilename, csvStream } from './csv-export';

export async function authLogPage(db: Database, { page, size, ...filter }: AuthLogListQuery): Promise<{ items: AuthLogView[]; page: number; size: number; total: number }> {
  const { items, total } = await listAuthLog(db, filter, page, size);
  return { items: items.map(authLogView), page, size, total };
}

/** The dashboard's data over the filter's range (the last 24 h unless given); a 400 naming the field when the range cannot be charted. */
export async function authLogSummaryOf(db: Database, filter: AuthLogFilter, nowMs: number): Promise<AuthLogSummary> {
  const resolved = summaryRange(filter, nowMs);
  if (!resolved.ok) throw apiError('BAD_REQUEST', { errors: [resolved.error] });
  return authLogSummary(resolved.range, await countAuthLogSummary(db, filter, resolved.range));
}

export const authLogCsvFilename = (nowMs: number): string => csvFilename('auth-log', nowMs);

/** The header, then every matching entry (newest first, at most 50 000), streamed as D1 chunks arrive. */
export function authLogCsv(db: Database, filter: AuthLogFilter): ReadableStream<Uint8Array> {
  const chunks = authLogChunks(db, filter, AUTH_LOG_CSV_MAX_ROWS, AUTH_LOG_CSV_CHUNK_ROWS);
  return csvStream(AUTH_LOG_COLUMNS, chunks, (entry: AuthLogEntry) => {
    const view = authLogView(entry);
    return AUTH_LOG_COLUMNS.map((column) => view[column]);
  });
}
