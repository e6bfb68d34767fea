/**
 * The Worker's Cron Trigger (wrangler.toml [triggers]): the nightly clean-up. Deletes authentication
 * log and administrator audit log entries older than LOG_RETENTION_DAYS, admin sessions past their
 * expiry, expired companion-app activation links, and push-session index rows past their deadline.
 */
import { DAY_MS } from './domain/auth-log';
import { logRetentionDays, type Env } from './env';
import { deleteExpiredAdminSessions } from './store/admin-sessions';
import { deleteAuditLogBefore } from './store/audit-log';
import { deleteAuthLogBefore } from './store/auth-log';
import { database } from './store/db';
import { deleteExpiredActivations } from './store/devices';
import { deleteExpiredPushSessions } from './store/push-sessions';
import { logEvent } from './observability/log';

export async function deleteExpiredRecords(env: Pick<Env, 'DB' | 'LOG_RETENTION_DAYS'>, nowMs: number): Promise<void> {
  const db = database(env.DB);
  const retentionDays = logRetentionDays(env);
  const authLogEntries = await deleteAuthLogBefore(db, nowMs - retentionDays * DAY_MS);
  const auditLogEntries = await deleteAuditLogBefore(db, nowMs - retentionDays * DAY_MS);
  const adminSessions = await deleteExpiredAdminSessions(db, new Date(nowMs));
  const deviceActivations = await deleteExpiredActivations(db, new Date(nowMs));
  const pushSessions = await deleteExpiredPushSessions(db, nowMs);
  logEvent('info', 'retention.done', { retentionDays, deleted: { authLogEntries, auditLogEntries, adminSessions, deviceActivations, pushSessions } });
}

export const scheduled: ExportedHandlerScheduledHandler<Env> = (controller, env, ctx) => {
  ctx.waitUntil(deleteExpiredRecords(env, controller.scheduledTime));
};
