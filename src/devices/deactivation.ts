/**
 * Deactivating a companion-app device, whoever does it (an administrator, the app itself, the
 * number's holder through the activation notice's link, the push provider): the row goes, and every
 * session still waiting on a push to the device is told, so a session left without devices goes on
 * by SMS at once instead of timing out unseen.
 */
import { existingSession } from '../auth-session/session-client';
import type { Device } from '../domain/device';
import type { Env } from '../env';
import type { Database } from '../store/db';
import { deleteDevice, deleteDeviceByDeactivationCode } from '../store/devices';
import { pendingPushSessionIds } from '../store/push-sessions';
import { errorText, logEvent } from '../observability/log';

async function tellPendingSessions(env: Env, db: Database, device: Device): Promise<void> {
  const ids = await pendingPushSessionIds(db, device.phoneKey, Date.now());
  await Promise.all(
    ids.map((id) =>
      existingSession(env, id)
        ?.deviceDeactivated(device.id)
        .catch((error: unknown) => {
          logEvent('error', 'device.deactivation_not_told', { session: id.slice(0, 8), error: errorText(error) });
        }),
    ),
  );
}

/** Deletes the device; null when there was none. */
export async function removeDevice(env: Env, db: Database, id: string): Promise<Device | null> {
  const device = await deleteDevice(db, id);
  if (device) await tellPendingSessions(env, db, device);
  return device;
}

/** Deletes the device whose notice carried the deactivation code with this hash; null when there is none. */
export async function removeDeviceByDeactivationCode(env: Env, db: Database, codeHash: string): Promise<Device | null> {
  const device = await deleteDeviceByDeactivationCode(db, codeHash);
  if (device) await tellPendingSessions(env, db, device);
  return device;
}
