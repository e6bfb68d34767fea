/**
 * Deactivating a device: its row goes, so its signed requests are refused from then on, and the
 * sessions already pushed to it forget it, so it cannot answer those either (each session holds the
 * public keys it pushed to, to verify answers without a D1 read). Re-activating an installation
 * with a new key revokes the old key the same way.
 */
import { existingSession } from '../auth-session/session-client';
import type { Env } from '../env';
import type { Database } from '../store/db';
import { deleteDevice } from '../store/devices';
import { pendingPushSessionIds } from '../store/push-sessions';

export async function revokeFromPendingSessions(env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, db: Database, device: { id: string; phoneKey: string }): Promise<void> {
  const sessionIds = await pendingPushSessionIds(db, device.phoneKey, Date.now());
  await Promise.all(sessionIds.map((id) => existingSession(env, id)?.revokeDevice(device.id)));
}

/** False when there was no such device. */
export async function deactivateDevice(env: Pick<Env, 'AUTH_SESSION' | 'DATA_JURISDICTION'>, db: Database, device: { id: string; phoneKey: string }): Promise<boolean> {
  const deleted = await deleteDevice(db, device.id);
  await revokeFromPendingSessions(env, db, device);
  return deleted;
}
