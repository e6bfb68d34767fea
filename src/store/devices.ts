/**
 * Companion-app queries: devices, their activation links, and the push-session index's clean-up.
 * Phone numbers appear only as their HMAC (`phoneKey`) and masked; activation codes only as SHA-256.
 *
 * The two guards that must hold under concurrency are single conditional statements, so D1 decides
 * them atomically: `consumeActivation` (a code is used once) and `advanceSignedAt` (a signed
 * request's timestamp must be newer than the last accepted one, so none is accepted twice).
 *
 * A number's devices are cached per isolate for TOKEN_CACHE_TTL_SECONDS for the session's "does this
 * number have the app?" question; every activation and deactivation here forgets that number in this
 * isolate at once. Signed requests never use the cache: a deactivated device is refused at once.
 */
import { and, asc, eq, gt, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { TOKEN_CACHE_TTL_SECONDS } from '../domain/constants';
import type { Device } from '../domain/device';
import type { Database } from './db';
import { IsolateCache } from './isolate-cache';
import { deviceActivations, devices } from './schema';

type DeviceRow = typeof devices.$inferSelect;
export type DeviceActivation = typeof deviceActivations.$inferSelect;

const toDevice = (row: DeviceRow): Device => ({
  id: row.id,
  phoneKey: row.phoneKey,
  msisdnMasked: row.msisdnMasked,
  installationId: row.installationId,
  publicKey: row.publicKey,
  platform: row.platform,
  pushToken: row.pushToken,
  label: row.label,
  lastSignedAtMs: row.lastSignedAtMs,
  createdAt: row.createdAt,
  lastSeenAt: row.lastSeenAt,
  activatedVia: row.activatedVia,
  activatedBy: row.activatedBy,
});

const devicesByPhone = new IsolateCache<Device[]>(TOKEN_CACHE_TTL_SECONDS * 1000);

/** Drops this isolate's cached device list of a number; the store calls it on every change it makes. */
export function forgetCachedDevices(phoneKey: string): void {
  devicesByPhone.delete(phoneKey);
}

export async function findDevice(db: Database, id: string): Promise<Device | null> {
  const row = await db.select().from(devices).where(eq(devices.id, id)).get();
  return row ? toDevice(row) : null;
}

/** The number's active devices, oldest first (in activation order). */
export async function listDevicesForPhone(db: Database, phoneKey: string): Promise<Device[]> {
  const rows = await db.select().from(devices).where(eq(devices.phoneKey, phoneKey)).orderBy(asc(devices.createdAt), sql`rowid`);
  return rows.map(toDevice);
}

/**
 * listDevicesForPhone through the per-isolate cache: for deciding where to send a session. A device
 * activated or deactivated in another isolate shows up here within TOKEN_CACHE_TTL_SECONDS.
 */
export function devicesForPhoneCached(db: Database, phoneKey: string, nowMs: number): Promise<Device[]> {
  return devicesByPhone.get(phoneKey, nowMs, () => listDevicesForPhone(db, phoneKey));
}

/**
 * A device as activation stores it; `id` is used when the installation is new (one activated before
 * keeps its id). `deactivationCodeHash`: the SHA-256 of the code in the notice's deactivation link.
 */
export type DeviceActivationInput = Omit<Device, 'lastSignedAtMs' | 'createdAt' | 'lastSeenAt'> & { deactivationCodeHash: string };

/**
 * Activation: inserts the device, or, when this number already has this installation, replaces its
 * key, push token, platform and label and resets its last signed timestamp, keeping its id (one statement).
 */
export async function upsertDevice(db: Database, input: DeviceActivationInput, now: Date): Promise<Device> {
  const row = await db
    .insert(devices)
    .values({ ...input, lastSignedAtMs: 0, lastSeenAt: now })
    .onConflictDoUpdate({
      target: [devices.phoneKey, devices.installationId],
      set: {
        msisdnMasked: sql`excluded.msisdn_masked`,
        publicKey: sql`excluded.public_key`,
        platform: sql`excluded.platform`,
        pushToken: sql`excluded.push_token`,
        label: sql`excluded.label`,
        activatedVia: sql`excluded.activated_via`,
        activatedBy: sql`excluded.activated_by`,
        deactivationCodeHash: sql`excluded.deactivation_code_hash`,
        lastSignedAtMs: 0,
        lastSeenAt: sql`excluded.last_seen_at`,
      },
    })
    .returning()
    .get();
  forgetCachedDevices(input.phoneKey);
  return toDevice(row);
}

/** Deactivation: deletes the device and returns it; null when there was none. */
export async function deleteDevice(db: Database, id: string): Promise<Device | null> {
  return deleteDeviceWhere(db, eq(devices.id, id));
}

/** Deactivation through the notice's link: deletes the device whose deactivation code has this hash. */
export async function deleteDeviceByDeactivationCode(db: Database, codeHash: string): Promise<Device | null> {
  return deleteDeviceWhere(db, eq(devices.deactivationCodeHash, codeHash));
}

async function deleteDeviceWhere(db: Database, where: SQL): Promise<Device | null> {
  const deleted = await db.delete(devices).where(where).returning();
  for (const { phoneKey } of deleted) forgetCachedDevices(phoneKey);
  return deleted[0] ? toDevice(deleted[0]) : null;
}

export async function findDeviceByDeactivationCode(db: Database, codeHash: string): Promise<Device | null> {
  const row = await db.select().from(devices).where(eq(devices.deactivationCodeHash, codeHash)).get();
  return row ? toDevice(row) : null;
}

/** Which of these devices still exist. */
export async function existingDeviceIds(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: devices.id }).from(devices).where(inArray(devices.id, ids));
  return new Set(rows.map((row) => row.id));
}

/**
 * The replay guard: records `timestampMs` as the device's latest signed request only if it is newer
 * than the one before, in one conditional UPDATE. False (nothing changed) means the timestamp was
 * already used or is older, or the device is gone. Of two concurrent requests with the same
 * timestamp, exactly one gets true.
 */
export async function advanceSignedAt(db: Database, id: string, timestampMs: number, seenAtMs: number = timestampMs): Promise<boolean> {
  const changed = await db
    .update(devices)
    .set({ lastSignedAtMs: timestampMs, lastSeenAt: new Date(seenAtMs) })
    .where(and(eq(devices.id, id), lt(devices.lastSignedAtMs, timestampMs)))
    .returning({ id: devices.id });
  return changed.length > 0;
}

export async function insertActivation(
  db: Database,
  activation: Pick<DeviceActivation, 'codeHash' | 'phoneKey' | 'msisdnMasked' | 'expiresAt' | 'msisdnEncrypted' | 'via' | 'createdBy'>,
): Promise<DeviceActivation> {
  return db.insert(deviceActivations).values(activation).returning().get();
}

/** Withdraws an activation whose link could not be sent. */
export async function deleteActivation(db: Database, codeHash: string): Promise<void> {
  await db.delete(deviceActivations).where(eq(deviceActivations.codeHash, codeHash));
}

/**
 * Uses an activation code: marks it used if it is unused and unexpired, in one conditional UPDATE,
 * and returns it; null when it is unknown, used or expired (findActivation tells which). Of two
 * concurrent uses, exactly one gets the row.
 */
export async function consumeActivation(db: Database, codeHash: string, now: Date): Promise<DeviceActivation | null> {
  const row = await db
    .update(deviceActivations)
    .set({ usedAt: now })
    .where(and(eq(deviceActivations.codeHash, codeHash), isNull(deviceActivations.usedAt), gt(deviceActivations.expiresAt, now)))
    .returning()
    .get();
  return row ?? null;
}

/** An activation, used or not (for the activation page, which never uses it). */
export async function findActivation(db: Database, codeHash: string): Promise<DeviceActivation | null> {
  return (await db.select().from(deviceActivations).where(eq(deviceActivations.codeHash, codeHash)).get()) ?? null;
}

/** Deletes activations that expired before `before`, used or not; returns how many. */
export async function deleteExpiredActivations(db: Database, before: Date): Promise<number> {
  const result = await db.delete(deviceActivations).where(lt(deviceActivations.expiresAt, before)).run();
  return result.meta.changes;
}
