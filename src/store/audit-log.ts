/** Administrator audit log queries: the write, filtered pages, chunked export, retention. */
import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { AuditEntry, AuditFilter } from '../domain/audit';
import { deleteInChunks, type Database } from './db';
import { auditLog } from './schema';

type AuditRow = typeof auditLog.$inferSelect;

const toAuditEntry = (row: AuditRow): AuditEntry => ({
  atMs: row.atMs,
  actor: row.actor,
  address: row.address,
  action: row.action,
  target: row.target,
  changes: row.changes,
});

export async function insertAuditEntry(db: Database, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

function matching(filter: AuditFilter): SQL | undefined {
  return and(
    filter.actor === undefined ? undefined : eq(auditLog.actor, filter.actor),
    filter.action === undefined ? undefined : eq(auditLog.action, filter.action),
    filter.from === undefined ? undefined : gte(auditLog.atMs, filter.from),
    filter.to === undefined ? undefined : lt(auditLog.atMs, filter.to),
  );
}

// Newest first: ids grow with time, and break ties within a millisecond.
const newestFirst = [desc(auditLog.atMs), desc(auditLog.id)];

export async function listAuditLog(db: Database, filter: AuditFilter, page: number, size: number): Promise<{ items: AuditEntry[]; total: number }> {
  const where = matching(filter);
  const [rows, totals] = await db.batch([
    db.select().from(auditLog).where(where).orderBy(...newestFirst).limit(size).offset(page * size),
    db.select({ total: count() }).from(auditLog).where(where),
  ]);
  return { items: rows.map(toAuditEntry), total: totals[0]?.total ?? 0 };
}

/** Every matching entry, newest first, up to `maxRows`, in chunks that continue after the last id read. */
export async function* auditLogChunks(db: Database, filter: AuditFilter, maxRows: number, chunkRows: number): AsyncGenerator<AuditEntry[]> {
  let lastId: number | undefined;
  for (let read = 0; read < maxRows; ) {
    const limit = Math.min(chunkRows, maxRows - read);
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(matching(filter), lastId === undefined ? undefined : lt(auditLog.id, lastId)))
      .orderBy(desc(auditLog.id))
      .limit(limit);
    if (rows.length > 0) yield rows.map(toAuditEntry);
    if (rows.length < limit) return;
    read += rows.length;
    lastId = rows.at(-1)?.id;
  }
}

export const deleteAuditLogBefore = (db: Database, cutoffMs: number): Promise<number> => deleteInChunks(db, auditLog, auditLog.id, lt(auditLog.atMs, cutoffMs));
