/** Authentication log queries: the idempotent write, filtered pages, chunked export, summary counts, retention. */
import { and, asc, count, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { ANSWERED_OUTCOMES, BUCKET_MS, DURATION_BOUNDS_MS, percentileOffset, type AuthLogEntry, type AuthLogFilter, type SummaryCounts, type SummaryRange } from '../domain/auth-log';
import type { Delivery } from '../domain/delivery-report';
import { deleteInChunks, type Database } from './db';
import { authLog } from './schema';

type AuthLogRow = typeof authLog.$inferSelect;

const toAuthLogEntry = (row: AuthLogRow): AuthLogEntry => ({
  sessionId: row.sessionId,
  startedAtMs: row.startedAtMs,
  endedAtMs: row.endedAtMs,
  profileName: row.profileName,
  tokenName: row.tokenName,
  msisdnMasked: row.msisdnMasked,
  channel: row.channel,
  outcome: row.outcome,
  reason: row.reason as AuthLogEntry['reason'],
  durationMs: row.durationMs,
  ...(row.assistedUser !== null && { assistedUser: row.assistedUser, approver: row.approver }),
  ...(row.delivery !== null && { delivery: row.delivery, deliveryAtMs: row.deliveryAtMs }),
});

/** Adds the session's entry; a second write for the same session is ignored, so retries are harmless. */
export async function insertAuthLogEntry(db: Database, entry: AuthLogEntry): Promise<void> {
  await db.insert(authLog).values(entry).onConflictDoNothing({ target: authLog.sessionId });
}

/** A delivery report that came after the session's entry was written. */
export async function recordAuthLogDelivery(db: Database, sessionId: string, delivery: Delivery): Promise<void> {
  await db.update(authLog).set({ delivery: delivery.status, deliveryAtMs: delivery.atMs }).where(eq(authLog.sessionId, sessionId));
}

function matching(filter: AuthLogFilter): SQL | undefined {
  return and(
    filter.profile === undefined ? undefined : eq(authLog.profileName, filter.profile),
    filter.outcome === undefined ? undefined : eq(authLog.outcome, filter.outcome),
    filter.from === undefined ? undefined : gte(authLog.startedAtMs, filter.from),
    filter.to === undefined ? undefined : lt(authLog.startedAtMs, filter.to),
  );
}

// Newest first; the id breaks ties between sessions started in the same millisecond.
const newestFirst = [desc(authLog.startedAtMs), desc(authLog.id)];

export async function listAuthLog(db: Database, filter: AuthLogFilter, page: number, size: number): Promise<{ items: AuthLogEntry[]; total: number }> {
  const where = matching(filter);
  const [rows, totals] = await db.batch([
    db.select().from(authLog).where(where).orderBy(...newestFirst).limit(size).offset(page * size),
    db.select({ total: count() }).from(authLog).where(where),
  ]);
  return { items: rows.map(toAuthLogEntry), total: totals[0]?.total ?? 0 };
}

/**
 * Every matching entry, newest first, up to `maxRows`, as chunks of `chunkRows`. Each chunk continues
 * after the last row read (keyset), so rows written meanwhile neither repeat nor shift the export.
 */
export async function* authLogChunks(db: Database, filter: AuthLogFilter, maxRows: number, chunkRows: number): AsyncGenerator<AuthLogEntry[]> {
  let last: AuthLogRow | undefined;
  for (let read = 0; read < maxRows; ) {
    const after = last && or(lt(authLog.startedAtMs, last.startedAtMs), and(eq(authLog.startedAtMs, last.startedAtMs), lt(authLog.id, last.id)));
    const limit = Math.min(chunkRows, maxRows - read);
    const rows = await db.select().from(authLog).where(and(matching(filter), after)).orderBy(...newestFirst).limit(limit);
    if (rows.length > 0) yield rows.map(toAuthLogEntry);
    if (rows.length < limit) return;
    read += rows.length;
    last = rows.at(-1);
  }
}

/** Counts for the dashboard, grouped in SQL; the shaping into buckets is authLogSummary() in the domain. */
export async function countAuthLogSummary(db: Database, filter: AuthLogFilter, range: SummaryRange): Promise<SummaryCounts> {
  const inRange = and(matching(filter), gte(authLog.startedAtMs, range.fromMs), lt(authLog.startedAtMs, range.toMs));
  const answered = and(inRange, inArray(authLog.outcome, [...ANSWERED_OUTCOMES]));
  // The bucket size is a constant of the code, not input: inlined so SQLite divides integers.
  const bucketMs = sql.raw(String(BUCKET_MS[range.bucket]));
  const bucketStartMs = sql<number>`(${authLog.startedAtMs} / ${bucketMs}) * ${bucketMs}`;
  const durationIndex = sql<number>`case ${sql.join(
    DURATION_BOUNDS_MS.map((bound, index) => sql`when ${authLog.durationMs} < ${sql.raw(String(bound))} then ${sql.raw(String(index))}`),
    sql` `,
  )} else ${sql.raw(String(DURATION_BOUNDS_MS.length))} end`;

  const [perBucket, perDuration] = await db.batch([
    db.select({ bucketStartMs, outcome: authLog.outcome, count: count() }).from(authLog).where(inRange).groupBy(bucketStartMs, authLog.outcome),
    db.select({ index: durationIndex, count: count() }).from(authLog).where(answered).groupBy(durationIndex),
  ]);
  const answeredCount = perDuration.reduce((sum, row) => sum + row.count, 0);
  if (answeredCount === 0) return { perBucket, perDuration, medianMs: null, p95Ms: null };

  const durationAt = (p: number) =>
    db.select({ durationMs: authLog.durationMs }).from(authLog).where(answered).orderBy(asc(authLog.durationMs)).limit(1).offset(percentileOffset(answeredCount, p));
  const [median, p95] = await db.batch([durationAt(0.5), durationAt(0.95)]);
  return { perBucket, perDuration, medianMs: median[0]?.durationMs ?? null, p95Ms: p95[0]?.durationMs ?? null };
}

/** Deletes entries started before `cutoffMs` (in chunks, see deleteInChunks). */
export const deleteAuthLogBefore = (db: Database, cutoffMs: number, chunkRows?: number): Promise<number> =>
  deleteInChunks(db, authLog, authLog.id, lt(authLog.startedAtMs, cutoffMs), chunkRows);
