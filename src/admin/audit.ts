/**
 * The administrator audit log as the services write it and the admin API and console read it.
 * Every service that changes something takes the `AuditActor` who asked and records one entry.
 */
import type { Context } from 'hono';
import {
  AUDIT_LOG_COLUMNS,
  auditEntryView,
  type AuditAction,
  type AuditActor,
  type AuditChanges,
  type AuditEntry,
  type AuditEntryView,
  type AuditFilter,
  type AuditListQuery,
} from '../domain/audit';
import { AUTH_LOG_CSV_CHUNK_ROWS, AUTH_LOG_CSV_MAX_ROWS } from '../domain/constants';
import { clientAddress } from '../security/client-address';
import { auditLogChunks, insertAuditEntry, listAuditLog } from '../store/audit-log';
import type { Database } from '../store/db';
import { csvFilename, csvStream } from './csv-export';

/** Who the audit log names for what happens outside the console: the companion app, and a number's holder using the notice's link. */
export const APP_ACTOR = '(companion app)';
export const NUMBER_HOLDER_ACTOR = '(number holder)';

/** The signed-in console user of this request, and where they are. */
export const auditActor = (c: Context): AuditActor => ({ username: c.get('adminUser').username, address: clientAddress(c.req.raw) });

export async function recordAudit(db: Database, actor: AuditActor, action: AuditAction, target: string, changes: AuditChanges | null = null): Promise<void> {
  await insertAuditEntry(db, { atMs: Date.now(), actor: actor.username, address: actor.address, action, target, changes });
}

/** A created thing's settings as changes: each one that differs from `defaults`, with its value. */
export function createdWith(changes: AuditChanges): AuditChanges {
  return Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, typeof change === 'string' ? change : { to: change.to }]));
}

export async function auditLogPage(db: Database, { page, size, ...filter }: AuditListQuery): Promise<{ items: AuditEntryView[]; page: number; size: number; total: number }> {
  const { items, total } = await listAuditLog(db, filter, page, size);
  return { items: items.map(auditEntryView), page, size, total };
}

export const auditLogCsvFilename = (nowMs: number): string => csvFilename('audit-log', nowMs);

export function auditLogCsv(db: Database, filter: AuditFilter): ReadableStream<Uint8Array> {
  return csvStream(AUDIT_LOG_COLUMNS, auditLogChunks(db, filter, AUTH_LOG_CSV_MAX_ROWS, AUTH_LOG_CSV_CHUNK_ROWS), (entry: AuditEntry) => {
    const view = auditEntryView(entry);
    return AUDIT_LOG_COLUMNS.map((column) => view[column]);
  });
}
