import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createActivation } from '../src/devices/activation';
import { ACTIVATION_LINK_TTL_MINUTES } from '../src/domain/constants';
import { signedText } from '../src/domain/device';
import { deleteExpiredRecords } from '../src/scheduled';
import { sha256Hex } from '../src/security/crypto';
import { authenticateSignedRequest } from '../src/access/signed-request';
import { DevicePublicKeyError, importDevicePublicKey, verifyDeviceSignature } from '../src/security/device-signature';
import { phoneKey } from '../src/security/phone-key';
import {
  advanceSignedAt,
  consumeActivation,
  deleteDevice,
  devicesForPhoneCached,
  findActivation,
  findDevice,
  listDevicesForPhone,
  upsertDevice,
} from '../src/store/devices';
import { type Caller, errorFields, json, signedInAs } from './admin-client';
import { activateTestDevice, activationCode, newActivation, newTestDevice, ORIGIN, postActivate, type ActivatedTestDevice } from './device-support';
import { db, fakeSmsProvider, freshMsisdn } from './support';

afterEach(() => vi.restoreAllMocks());

const keyOf = (msisdn: string) => phoneKey(env, msisdn);
const deviceCount = async (msisdn: string) => (await listDevicesForPhone(db(), await keyOf(msisdn))).length;
const getPage = (code: string, headers: Record<string, string> = {}) => SELF.fetch(`${ORIGIN}/plus/activate/${code}`, { headers: { accept: 'text/html', ...headers } });
const postDeactivate = (body: unknown) =>
  SELF.fetch(`${ORIGIN}/api/plus/v1/deactivate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A valid activation body for `code`, with a fresh key; `overrides` replace (or, as undefined, remove) members. */
async function activationBody(code: string, overrides: Record<string, unknown> = {}) {
  const device = await newTestDevice();
  const body: Record<string, unknown> = { code, installationId: `install-${crypto.randomUUID()}`, platform: 'ios', pushToken: 'push-token-1', publicKey: device.publicKeyJwk, label: 'Anna’s phone' };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete body[name];
    else body[name] = value;
  }
  return body;
}

describe('activation links', () => {
  it('stores only the code’s SHA-256, with the number’s HMAC, masked number and a 15-minute expiry', async () => {
    const msisdn = freshMsisdn();
    const now = new Date();
    const { url, expiresAt, msisdnMasked } = await createActivation(env, db(), msisdn, 'https://auth.example.com/', now);
    expect(url).toMatch(/^https:\/\/auth\.example\.com\/plus\/activate\/[A-Za-z0-9_-]{22}$/);
    expect(expiresAt.getTime()).toBe(now.getTime() + ACTIVATION_LINK_TTL_MINUTES * 60_000);
    expect(msisdnMasked).toBe(`${msisdn.slice(0, 5)}*****${msisdn.slice(-2)}`);
    const code = activationCode(url);
    const row = await env.DB.prepare('SELECT * FROM device_activations WHERE code_hash = ?').bind(await sha256Hex(code)).first();
    expect(row).toMatchObject({ phone_key: await keyOf(msisdn), msisdn_masked: msisdnMasked, used_at: null });
    expect(JSON.stringify(row)).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain(msisdn.slice(1));
  });

  it('refuses to make a link for a number that is not E.164', async () => {
    await expect(createActivation(env, db(), '0701234567', ORIGIN, new Date())).rejects.toThrow(/E\.164/);
  });
});

describe('activating the app', () => {
  it('consumes the code once and stores the device (public key only) under the number’s HMAC', async () => {
    const msisdn = freshMsisdn();
    const { code } = await newActivation(msisdn);
    const body = await activationBody(code);
    const response = await postActivate(body);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = await json(response);
    expect(answer).toEqual({ deviceId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), msisdnMasked: `${msisdn.slice(0, 5)}*****${msisdn.slice(-2)}` });

    const device = await findDevice(db(), answer.deviceId);
    const jwk = body.publicKey as JsonWebKey;
    expect(device).toMatchObject({
      phoneKey: await keyOf(msisdn),
      installationId: body.installationId,
      platform: 'ios',
      pushToken: 'push-token-1',
      label: 'Anna’s phone',
      lastSignedAtMs: 0,
      publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    });
    // Only the public members are kept (WebCrypto's export adds key_ops and ext).
    expect(Object.keys(device!.publicKey).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const row = await env.DB.prepare('SELECT * FROM devices WHERE id = ?').bind(answer.deviceId).first();
    expect(JSON.stringify(row)).not.toContain(msisdn.slice(1));
    expect((await findActivation(db(), await sha256Hex(code)))?.usedAt).toBeInstanceOf(Date);
  });

  it('refuses the same code a second time (410) and changes nothing', async () => {
    const msisdn = freshMsisdn();
    const { code } = await newActivation(msisdn);
    const first = await postActivate(await activationBody(code, { installationId: 'first-install' }));
    expect(first.status).toBe(201);
    const { deviceId } = await json(first);
    const before = await findDevice(db(), deviceId);

    const replay = await postActivate(await activationBody(code, { installationId: 'first-install', pushToken: 'attacker-token' }));
    expect(replay.status).toBe(410);
    expect(await json(replay)).toMatchObject({ code: 'GONE' });
    const other = await postActivate(await activationBody(code, { installationId: 'other-install' }));
    expect(other.status).toBe(410);
    expect(await findDevice(db(), deviceId)).toEqual(before);
    expect(await deviceCount(msisdn)).toBe(1);
  });

  it('gives a code to exactly one of two concurrent activations', async () => {
    const msisdn = freshMsisdn();
    const { code } = await newActivation(msisdn);
    const answers = await Promise.all([postActivate(await activationBody(code)), postActivate(await activationBody(code))]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 410]);
    expect(await deviceCount(msisdn)).toBe(1);
  });

  it('refuses an expired code (410) and an unknown one (404), storing nothing', async () => {
    const msisdn = freshMsisdn();
    const { code } = await newActivation(msisdn, new Date(Date.now() - (ACTIVATION_LINK_TTL_MINUTES * 60_000 + 1000)));
    const expired = await postActivate(await activationBody(code));
    expect(expired.status).toBe(410);
    expect(await json(expired)).toMatchObject({ code: 'GONE', message: 'This activation link has expired' });

    const unknown = await postActivate(await activationBody('A'.repeat(22)));
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await deviceCount(msisdn)).toBe(0);
    // The expired code stays unused: it was refused, not consumed.
    expect((await findActivation(db(), await sha256Hex(code)))?.usedAt).toBeNull();
  });

  it('names each invalid field (400), keeps the code unused and stores nothing', async () => {
    const msisdn = freshMsisdn();
    const { code } = await newActivation(msisdn);
    const expectFields = async (overrides: Record<string, unknown>, fields: string[]) => {
      const response = await postActivate(await activationBody(code, overrides));
      expect(response.status).toBe(400);
      expect(await errorFields(response)).toEqual(fields);
    };
    await expectFields({ code: undefined, installationId: undefined, platform: undefined, pushToken: undefined, publicKey: undefined }, [
      'code',
      'installationId',
      'platform',
      'pushToken',
      'publicKey',
    ]);
    await expectFields({ platform: 'windows' }, ['platform']);
    await expectFields({ installationId: 'short' }, ['installationId']);
    await expectFields({ installationId: 'x'.repeat(65) }, ['installationId']);
    await expectFields({ pushToken: '' }, ['pushToken']);
    await expectFields({ pushToken: 'p'.repeat(4097) }, ['pushToken']);
    await expectFields({ label: 'l'.repeat(65) }, ['label']);
    await expectFields({ publicKey: 'not a key' }, ['publicKey']);

    const good = (await newTestDevice()).publicKeyJwk;
    await expectFields({ publicKey: { ...good, kty: 'RSA' } }, ['publicKey.kty']);
    await expectFields({ publicKey: { ...good, crv: 'P-384' } }, ['publicKey.crv']);
    await expectFields({ publicKey: { ...good, x: 'too-short' } }, ['publicKey.x']);
    await expectFields({ publicKey: { ...good, d: 'A'.repeat(43) } }, ['publicKey.d']);
    // Well-formed coordinates that are not a point on the curve: refused when the key is imported.
    await expectFields({ publicKey: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) } }, ['publicKey']);

    const notJson = await SELF.fetch(`${ORIGIN}/api/plus/v1/activate`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ code }) });
    expect(notJson.status).toBe(400);

    expect(await deviceCount(msisdn)).toBe(0);
    expect((await findActivation(db(), await sha256Hex(code)))?.usedAt).toBeNull();
    expect((await postActivate(await activationBody(code))).status).toBe(201);
  });

  it('re-activating an installation replaces its key and push token, keeping its id', async () => {
    const msisdn = freshMsisdn();
    const first = await activateTestDevice(msisdn, { installationId: 'same-install', pushToken: 'old-token', platform: 'android' });
    const oldRequest = await first.signRequest('pending', [first.deviceId]);
    expect(await authenticateSignedRequest(db(), oldRequest, 'pending', [first.deviceId], Date.now())).toMatchObject({ ok: true });

    const second = await activateTestDevice(msisdn, { installationId: 'same-install', pushToken: 'new-token', platform: 'ios', label: 'New phone' });
    expect(second.deviceId).toBe(first.deviceId);
    const device = await findDevice(db(), first.deviceId);
    expect(device).toMatchObject({ pushToken: 'new-token', platform: 'ios', label: 'New phone', lastSignedAtMs: 0, publicKey: { x: second.publicKeyJwk.x, y: second.publicKeyJwk.y } });
    expect(await deviceCount(msisdn)).toBe(1);

    // The old key signs no more; the new one does.
    const timestamp = Date.now() + 5;
    const byOldKey = { deviceId: first.deviceId, timestamp, signature: await first.sign(signedText('pending', [first.deviceId], timestamp)) };
    expect(await authenticateSignedRequest(db(), byOldKey, 'pending', [first.deviceId], Date.now())).toEqual({ ok: false, reason: 'bad-signature' });
    const byNewKey = await second.signRequest('pending', [second.deviceId], timestamp);
    expect(await authenticateSignedRequest(db(), byNewKey, 'pending', [second.deviceId], Date.now())).toMatchObject({ ok: true });
  });

  it('keeps several devices per number, and one installation apart per number', async () => {
    const msisdn = freshMsisdn();
    const phone = await activateTestDevice(msisdn, { platform: 'android' });
    const tablet = await activateTestDevice(msisdn, { platform: 'ios' });
    const otherNumber = await activateTestDevice(freshMsisdn(), { installationId: phone.installationId });
    expect(new Set([phone.deviceId, tablet.deviceId, otherNumber.deviceId]).size).toBe(3);
    const listed = await listDevicesForPhone(db(), await keyOf(msisdn));
    expect(listed.map((d) => d.id)).toEqual([phone.deviceId, tablet.deviceId]);
  });
});

describe('the activation page', () => {
  it('only shows (GET never consumes the code): twice, then the app activates with it, then it is used', async () => {
    const msisdn = freshMsisdn();
    const { code, msisdnMasked } = await newActivation(msisdn);
    for (let i = 0; i < 2; i++) {
      const page = await getPage(code);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('Open this link on your phone with the app installed');
      expect(html).toContain(msisdnMasked);
      expect(html).toContain(`href="sfwa-plus://activate?code=${code}&amp;origin=http%3A%2F%2Flocalhost"`);
    }
    expect((await findActivation(db(), await sha256Hex(code)))?.usedAt).toBeNull();
    expect((await postActivate(await activationBody(code))).status).toBe(201);

    const used = await getPage(code);
    expect(used.status).toBe(410);
    const usedHtml = await used.text();
    expect(usedHtml).toContain('already been used');
    expect(usedHtml).not.toContain('sfwa-plus://');
  });

  it('speaks Swedish when the browser prefers it', async () => {
    const { code } = await newActivation(freshMsisdn());
    const html = await (await getPage(code, { 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.5' })).text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('Öppna appen');
  });

  it('answers 410 for an expired code and 404 for an unknown or malformed one', async () => {
    const { code } = await newActivation(freshMsisdn(), new Date(Date.now() - ACTIVATION_LINK_TTL_MINUTES * 60_000 - 1000));
    const expired = await getPage(code);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('has expired');
    const unknown = await getPage('B'.repeat(22));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Activation link not found');
    expect((await getPage('not%20a%20code')).status).toBe(404);
  });
});

describe('signed requests', () => {
  let device: ActivatedTestDevice;
  beforeAll(async () => {
    device = await activateTestDevice(freshMsisdn());
  });

  const check = (request: { deviceId: string; timestamp: number; signature: string }, fields: string[] = [device.deviceId], nowMs = Date.now()) =>
    authenticateSignedRequest(db(), request, 'pending', fields, nowMs);

  it('accepts a valid signature and advances the device’s last signed timestamp', async () => {
    const request = await device.signRequest('pending', [device.deviceId]);
    const result = await check(request);
    expect(result).toMatchObject({ ok: true, device: { id: device.deviceId, lastSignedAtMs: request.timestamp } });
    expect((await findDevice(db(), device.deviceId))?.lastSignedAtMs).toBe(request.timestamp);
    expect((await findDevice(db(), device.deviceId))?.lastSeenAt).toBeInstanceOf(Date);
  });

  it('refuses another key’s signature, tampered fields and another purpose', async () => {
    const stranger = await newTestDevice();
    const timestamp = device.nextTimestamp();
    const forged = { deviceId: device.deviceId, timestamp, signature: await stranger.sign(signedText('pending', [device.deviceId], timestamp)) };
    expect(await check(forged)).toEqual({ ok: false, reason: 'bad-signature' });

    const request = await device.signRequest('pending', [device.deviceId]);
    expect(await check(request, ['someone-else'])).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await check({ ...request, timestamp: request.timestamp + 1 })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await authenticateSignedRequest(db(), request, 'deactivate', [device.deviceId], Date.now())).toEqual({ ok: false, reason: 'bad-signature' });
    // A field with a line break could read as two fields: refused whatever the signature.
    const split = await device.signRequest('decision', ['session', 'a\nb']);
    expect(await authenticateSignedRequest(db(), split, 'decision', ['session', 'a\nb'], Date.now())).toEqual({ ok: false, reason: 'bad-signature' });
    // None of these moved the replay guard: the untampered request still counts.
    expect(await check(request)).toMatchObject({ ok: true });
  });

  it('refuses the same timestamp twice, and an older one', async () => {
    const request = await device.signRequest('pending', [device.deviceId]);
    expect(await check(request)).toMatchObject({ ok: true });
    expect(await check(request)).toEqual({ ok: false, reason: 'replayed' });
    const older = await device.signRequest('pending', [device.deviceId], request.timestamp - 10);
    expect(await check(older)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('lets exactly one of two concurrent requests with one timestamp through', async () => {
    const request = await device.signRequest('pending', [device.deviceId]);
    const results = await Promise.all([check(request), check(request), check(request)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['replayed', 'replayed']);
    const next = device.nextTimestamp();
    const advances = await Promise.all([advanceSignedAt(db(), device.deviceId, next), advanceSignedAt(db(), device.deviceId, next)]);
    expect(advances.sort()).toEqual([false, true]);
  });

  it('refuses a timestamp more than 60 s from now, either way', async () => {
    const now = Date.now();
    const late = await device.signRequest('pending', [device.deviceId], now - 61_000);
    expect(await check(late, undefined, now)).toEqual({ ok: false, reason: 'stale' });
    const early = await device.signRequest('pending', [device.deviceId], now + 61_000);
    expect(await check(early, undefined, now)).toEqual({ ok: false, reason: 'stale' });
    expect(await check({ ...early, timestamp: Number.NaN }, undefined, now)).toEqual({ ok: false, reason: 'stale' });
    // Within the skew is fine (a clock 59 s ahead).
    const ahead = await device.signRequest('pending', [device.deviceId], now + 59_000);
    expect(await check(ahead, undefined, now)).toMatchObject({ ok: true });
  });

  it('refuses an unknown device', async () => {
    const request = await device.signRequest('pending', ['no-such-device']);
    expect(await check({ ...request, deviceId: 'no-such-device' }, ['no-such-device'])).toEqual({ ok: false, reason: 'unknown-device' });
  });
});

describe('the signature primitives', () => {
  it('imports only EC P-256 public keys, saying why not', async () => {
    const { publicKeyJwk } = await newTestDevice();
    expect((await importDevicePublicKey(publicKeyJwk)).usages).toEqual(['verify']);
    for (const bad of [null, 'key', { ...publicKeyJwk, kty: 'RSA' }, { ...publicKeyJwk, crv: 'P-521' }, { ...publicKeyJwk, y: undefined }, { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) }]) {
      await expect(importDevicePublicKey(bad)).rejects.toBeInstanceOf(DevicePublicKeyError);
    }
    await expect(importDevicePublicKey({ ...publicKeyJwk, crv: 'P-384' })).rejects.toThrow(/"crv" must be "P-256"/);
  });

  it('verifies only real signatures and answers false, never throws, on malformed input', async () => {
    const device = await newTestDevice();
    const signature = await device.sign('hello');
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(await verifyDeviceSignature(device.publicKeyJwk, 'hello', signature)).toBe(true);
    expect(await verifyDeviceSignature(device.publicKeyJwk, 'hello!', signature)).toBe(false);
    for (const [key, text, sig] of [
      [device.publicKeyJwk, 'hello', ''],
      [device.publicKeyJwk, 'hello', 'not base64url!'],
      [device.publicKeyJwk, 'hello', signature.slice(0, 40)],
      [device.publicKeyJwk, 'hello', `${signature}AAAA`],
      [{ kty: 'EC' }, 'hello', signature],
      [null, 'hello', signature],
      [device.publicKeyJwk, undefined, signature],
      [device.publicKeyJwk, 'hello', 42],
    ] as [unknown, string, string][]) {
      expect(await verifyDeviceSignature(key, text, sig)).toBe(false);
    }
  });
});

describe('deactivation by the app', () => {
  it('deletes the device on a signed request; its signatures are then refused as an unknown device', async () => {
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const keep = await activateTestDevice(msisdn);
    const response = await postDeactivate(await device.signRequest('deactivate', [device.deviceId]));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await json(response)).toEqual({ deactivated: true });
    expect(await findDevice(db(), device.deviceId)).toBeNull();
    expect((await listDevicesForPhone(db(), await keyOf(msisdn))).map((d) => d.id)).toEqual([keep.deviceId]);

    const after = await device.signRequest('pending', [device.deviceId]);
    expect(await authenticateSignedRequest(db(), after, 'pending', [device.deviceId], Date.now())).toEqual({ ok: false, reason: 'unknown-device' });
    expect((await postDeactivate(await device.signRequest('deactivate', [device.deviceId]))).status).toBe(401);
  });

  it('answers 401 for a bad, replayed or stale signature (keeping the device) and 400 for a malformed body', async () => {
    const device = await activateTestDevice(freshMsisdn());
    const stranger = await newTestDevice();
    const timestamp = device.nextTimestamp();
    const forged = { deviceId: device.deviceId, timestamp, signature: await stranger.sign(signedText('deactivate', [device.deviceId], timestamp)) };
    const refused = await postDeactivate(forged);
    expect(refused.status).toBe(401);
    expect(await json(refused)).toEqual({ code: 'UNAUTHORIZED', message: 'The signed request was refused' });

    const pendingSigned = await device.signRequest('pending', [device.deviceId]);
    expect((await postDeactivate(pendingSigned)).status).toBe(401);
    const stale = await device.signRequest('deactivate', [device.deviceId], Date.now() - 61_000);
    expect((await postDeactivate(stale)).status).toBe(401);

    const used = await device.signRequest('pending', [device.deviceId]);
    expect(await authenticateSignedRequest(db(), used, 'pending', [device.deviceId], Date.now())).toMatchObject({ ok: true });
    const replayed = { ...used, signature: await device.sign(signedText('deactivate', [device.deviceId], used.timestamp)) };
    expect((await postDeactivate(replayed)).status).toBe(401);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();

    const malformed = await postDeactivate({ deviceId: device.deviceId, timestamp: '1700000000000' });
    expect(malformed.status).toBe(400);
    expect(await errorFields(malformed)).toEqual(['timestamp', 'signature']);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();
  });
});

describe('the admin API', () => {
  let asAdmin: Caller;
  let asReader: Caller;
  beforeAll(async () => {
    asAdmin = await signedInAs('admin');
    asReader = await signedInAs('user');
  });

  it('lists a number’s devices to any signed-in user, never with the push token or key', async () => {
    const msisdn = freshMsisdn();
    const phone = await activateTestDevice(msisdn, { label: 'Work phone', pushToken: 'secret-push-token-1' });
    await activateTestDevice(msisdn, { platform: 'web', pushToken: 'secret-push-token-2' });
    const response = await asReader('GET', `/devices?msisdn=${encodeURIComponent(msisdn)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    for (const secret of ['secret-push-token', phone.publicKeyJwk.x!, phone.installationId, msisdn.slice(1)]) expect(text).not.toContain(secret);
    const { items } = JSON.parse(text);
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({
      id: phone.deviceId,
      platform: 'android',
      label: 'Work phone',
      msisdnMasked: phone.msisdnMasked,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      activatedVia: 'dev-simulator',
      activatedBy: null,
    });
    expect(items[1]).toMatchObject({ platform: 'web', label: '' });

    expect(await json(await asReader('GET', `/devices?msisdn=${encodeURIComponent(freshMsisdn())}`))).toEqual({ items: [] });
    const invalid = await asReader('GET', '/devices?msisdn=12');
    expect(invalid.status).toBe(400);
    expect(await errorFields(invalid)).toEqual(['msisdn']);
    expect(await errorFields(await asReader('GET', '/devices'))).toEqual(['msisdn']);
    expect((await SELF.fetch(`${ORIGIN}/admin/api/devices?msisdn=${encodeURIComponent(msisdn)}`)).status).toBe(401);
  });

  it('lets an admin deactivate a device (then 404), but not a read-only user', async () => {
    const device = await activateTestDevice(freshMsisdn());
    const forbidden = await asReader('DELETE', `/devices/${device.deviceId}`);
    expect(forbidden.status).toBe(403);
    expect(await findDevice(db(), device.deviceId)).not.toBeNull();

    expect((await asAdmin('DELETE', `/devices/${device.deviceId}`)).status).toBe(204);
    expect(await findDevice(db(), device.deviceId)).toBeNull();
    const request = await device.signRequest('pending', [device.deviceId]);
    expect(await authenticateSignedRequest(db(), request, 'pending', [device.deviceId], Date.now())).toEqual({ ok: false, reason: 'unknown-device' });
    expect((await asAdmin('DELETE', `/devices/${device.deviceId}`)).status).toBe(404);
  });

  it('sends activation links by SMS to the number for admins, never to the admin, validating the number', async () => {
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const response = await asAdmin('POST', '/devices/activations', { msisdn: `00${msisdn.slice(1)}` });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toEqual({ sent: true, expiresAt: expect.any(String), msisdnMasked: expect.stringContaining('*') });
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan((ACTIVATION_LINK_TTL_MINUTES - 1) * 60_000);
    const invite = await sms.nextDeviceSms();
    expect(invite.form.get('to')).toBe(msisdn);
    expect(invite.form.get('message')).toMatch(/^Aktivera appen för att godkänna inloggningar för det här numret: http:\/\/localhost\/plus\/activate\/[A-Za-z0-9_-]{22}$/);
    // The link activates that number.
    const activated = await postActivate(await activationBody(activationCode(invite.link)));
    expect(activated.status).toBe(201);
    expect(await deviceCount(msisdn)).toBe(1);

    for (const body of [{ msisdn: 'not a number' }, { msisdn: '+4670' }, { msisdn: '+46812345678' }, {}, { msisdn: msisdn, extra: 1 }]) {
      const refused = await asAdmin('POST', '/devices/activations', body);
      expect(refused.status).toBe(400);
      expect((await errorFields(refused))[0]).toBe(Object.keys(body).length === 2 ? '(body)' : 'msisdn');
    }
    expect((await asReader('POST', '/devices/activations', { msisdn })).status).toBe(403);
    expect(sms.deviceSms.filter((message) => message.link.includes('/plus/activate/'))).toHaveLength(1);
  });

  it('sends nothing and stores no link when the SMS cannot be sent (502)', async () => {
    fakeSmsProvider(500);
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM device_activations').first<{ n: number }>())!.n;
    const response = await asAdmin('POST', '/devices/activations', { msisdn: freshMsisdn() });
    expect(response.status).toBe(502);
    expect(await json(response)).toMatchObject({ code: 'DELIVERY_FAILED' });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM device_activations').first<{ n: number }>())!.n).toBe(before);
  });
});

describe('the per-isolate device cache and the nightly clean-up', () => {
  it('is forgotten at once when this isolate activates or deactivates a device', async () => {
    const msisdn = freshMsisdn();
    const key = await keyOf(msisdn);
    const now = Date.now();
    expect(await devicesForPhoneCached(db(), key, now)).toEqual([]);
    const { publicKeyJwk } = await newTestDevice();
    const input = { id: 'cached-device-1', phoneKey: key, msisdnMasked: 'masked', installationId: 'cache-install', publicKey: publicKeyJwk, platform: 'web' as const, pushToken: 't', label: '', activatedVia: 'dev-simulator' as const, activatedBy: null, deactivationCodeHash: 'cache-test-code-hash' };
    await upsertDevice(db(), input, new Date());
    expect((await devicesForPhoneCached(db(), key, now)).map((d) => d.id)).toEqual(['cached-device-1']);
    expect(await deleteDevice(db(), 'cached-device-1')).toMatchObject({ id: 'cached-device-1' });
    expect(await devicesForPhoneCached(db(), key, now)).toEqual([]);
    expect(await deleteDevice(db(), 'cached-device-1')).toBeNull();
  });

  it('deletes expired activation links and push sessions past their deadline, keeping the rest', async () => {
    const now = Date.now();
    const old = await newActivation(freshMsisdn(), new Date(now - 2 * ACTIVATION_LINK_TTL_MINUTES * 60_000));
    const fresh = await newActivation(freshMsisdn(), new Date(now));
    await env.DB.prepare('INSERT INTO push_sessions (session_id, phone_key, deadline_ms) VALUES (?, ?, ?), (?, ?, ?)')
      .bind('past-session', 'k', now - 1000, 'live-session', 'k', now + 60_000)
      .run();
    await deleteExpiredRecords(env, now);
    expect(await findActivation(db(), await sha256Hex(old.code))).toBeNull();
    expect(await findActivation(db(), await sha256Hex(fresh.code))).not.toBeNull();
    const sessions = await env.DB.prepare("SELECT session_id FROM push_sessions WHERE session_id IN ('past-session', 'live-session')").all();
    expect(sessions.results.map((r) => r['session_id'])).toEqual(['live-session']);
    // consumeActivation is single-use at the store too.
    expect(await consumeActivation(db(), await sha256Hex(fresh.code), new Date())).not.toBeNull();
    expect(await consumeActivation(db(), await sha256Hex(fresh.code), new Date())).toBeNull();
  });
});
