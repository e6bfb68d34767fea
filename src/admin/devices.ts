/**
 * Companion-app devices for administrators, shared by the admin JSON API and the console: a number's
 * devices (as AdminDeviceView, which never carries the push token or the key), and deactivation.
 * Activation links are made by createActivation() (src/devices/activation.ts).
 */
import { apiError } from '../domain/api-error';
import type { AuditActor } from '../domain/audit';
import type { ActivationVia, Device, DevicePlatform } from '../domain/device';
import type { Env } from '../env';
import { phoneKey } from '../security/phone-key';
import type { Database } from '../store/db';
import { removeDevice } from '../devices/deactivation';
import { findDevice, listDevicesForPhone } from '../store/devices';
import { recordAudit } from './audit';
import { logEvent } from '../observability/log';

/** What an administrator sees of a device: no push token, no key, no installation id. */
export interface AdminDeviceView {
  id: string;
  platform: DevicePlatform;
  label: string;
  msisdnMasked: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  /** How it was activated, and with `admin-sms`, by which administrator's request. */
  activatedVia: ActivationVia;
  activatedBy: string | null;
}

export const adminDeviceView = (device: Device): AdminDeviceView => ({
  id: device.id,
  platform: device.platform,
  label: device.label,
  msisdnMasked: device.msisdnMasked,
  createdAt: device.createdAt,
  lastSeenAt: device.lastSeenAt,
  activatedVia: device.activatedVia,
  activatedBy: device.activatedBy,
});

/** The active devices of a number (E.164), read from D1 (not the isolate cache). */
export async function devicesOfNumber(env: Pick<Env, 'PHONE_HASH_SECRET'>, db: Database, msisdn: string): Promise<AdminDeviceView[]> {
  return (await listDevicesForPhone(db, await phoneKey(env, msisdn))).map(adminDeviceView);
}

export async function findDeviceOr404(db: Database, id: string): Promise<AdminDeviceView> {
  const device = await findDevice(db, id);
  if (!device) throw apiError('NOT_FOUND', { message: 'No such device; it may have been deactivated already' });
  return adminDeviceView(device);
}

/** Deactivates a device; 404 when there is none. Its signed requests are refused from now on, and it can no longer answer requests already pushed to it. */
export async function deactivateDevice(env: Env, db: Database, id: string, actor: AuditActor): Promise<void> {
  const device = await removeDevice(env, db, id);
  if (!device) throw apiError('NOT_FOUND', { message: 'No such device; it may have been deactivated already' });
  logEvent('info', 'device.deactivated', { deviceId: id, by: 'admin', username: actor.username });
  await recordAudit(db, actor, 'device.deactivated', `device ${device.id} of ${device.msisdnMasked}`, { platform: device.platform, ...(device.label && { label: device.label }) });
}
