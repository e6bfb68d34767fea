/**
 * Receipts: every cloud-dialect answer carries a JWS (ES256) the caller can verify later with the keys
 * at /.well-known/jwks.json; it says what was answered, by whom, and the SHA-256 of the texts shown.
 * The companion app's protocol v2 signs that hash too, so a push approval proves what was on the screen.
 */
import { createExecutionContext, env, SELF } from 'cloudflare:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decisionSignedText, V1_DECISIONS_SUNSET_MS } from '../src/domain/device';
import worker from '../src/index';
import { base64url } from '../src/security/crypto';
import { phoneKey } from '../src/security/phone-key';
import { signReceipt } from '../src/security/receipt-keys';
import { activateTestDevice, type ActivatedTestDevice } from './device-support';
import { fakePushRelay } from './push-support';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const ISSUER = 'http://localhost';
const sha256 = async (text: string) => base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
/** The documented textsHash: title, body, accept label, reject label, joined by U+001F. */
const textsHash = (title: string, body: string, accept: string, reject: string) => sha256([title, body, accept, reject].join('\u001f'));
const sessionIdOf = (link: string) => /\/l\/([0-9a-f]+)\//.exec(link)![1]!;

const publishedKeys = async (): Promise<JSONWebKeySet> => (await SELF.fetch('http://localhost/.well-known/jwks.json')).json();
const verify = async (receipt: string, keys: JSONWebKeySet) =>
  (await jwtVerify(receipt, createLocalJWKSet(keys), { issuer: ISSUER, typ: 'sfwa-receipt+jwt', algorithms: ['ES256'] })).payload;

let profiles = 0;
/** A profile of its own, with its own Accept/Reject labels (so the texts shown do not depend on a language), and a key. */
async function endpoint(settings: Parameters<typeof seedProfile>[1] = {}) {
  const name = `receipts-${++profiles}`;
  const labels = { titleText: '', smsText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '', buttonAcceptText: 'Approve', buttonRejectText: 'Decline' };
  await seedProfile(name, { rateLimit: { perMinute: 20, perHour: 100 }, touchMessages: labels, ...settings });
  return { name, key: await seedToken({ profile: name }) };
}

const PAYMENT = { 'title-text': 'Payment', 'authentication-text': 'Pay 1 200 SEK to ACME AB?' };

describe('a receipt in every cloud answer', () => {
  it('an SMS approval: verifies with the published keys and says who, what, when and which texts were shown', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const started = Date.now();
    const call = callApi(key, { msisdn, ...PAYMENT }, name);
    const { link } = await sms.nextSms();
    await decideLink(link, 'accept', { 'accept-language': 'sv' });
    const body = await (await call).json<{ receipt: string }>();
    expect(body).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const keys = await publishedKeys();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
    expect(decodeProtectedHeader(body.receipt)).toEqual({ alg: 'ES256', kid: keys.keys[0]!.kid, typ: 'sfwa-receipt+jwt' });
    const claims = await verify(body.receipt, keys);
    expect(claims).toEqual({
      iss: ISSUER,
      iat: expect.any(Number),
      sid: sessionIdOf(link),
      endpoint: name,
      phone: await phoneKey(env, msisdn),
      outcome: 'ACCEPT',
      code: 'ACCEPT',
      channel: 'sms',
      requestedAt: expect.any(String),
      settledAt: expect.any(String),
      textsHash: await textsHash('Payment', 'Pay 1 200 SEK to ACME AB?', 'Approve', 'Decline'),
      textsBy: 'page',
    });
    const requestedAt = Date.parse(claims['requestedAt'] as string);
    expect(requestedAt).toBeGreaterThanOrEqual(started - 1);
    expect(Date.parse(claims['settledAt'] as string)).toBeGreaterThanOrEqual(requestedAt);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(10);
  });

  it('is the same receipt when the session is read again, and a rejection says REJECT with its reason', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const call = callApi(key, { msisdn: freshMsisdn() }, name);
    const { link } = await sms.nextSms();
    await decideLink(link, 'report');
    const answered = await (await call).json<{ receipt: string }>();
    const status = await SELF.fetch(`http://localhost/api/sfwa/sessions/${sessionIdOf(link)}`, { headers: { 'api-key': key } });
    expect(await status.json()).toEqual({ code: 'REJECT', session: sessionIdOf(link), channel: 'sms', reason: 'unexpected', receipt: answered.receipt });
    expect(await verify(answered.receipt, await publishedKeys())).toMatchObject({ outcome: 'REJECT', code: 'REJECT', reason: 'unexpected', textsBy: 'page' });
  });

  it('a timeout: TIMEOUT, vouched for by the service (nobody was shown a decision)', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const call = callApi(key, { msisdn: freshMsisdn(), 'touch-timeout': '1', ...PAYMENT }, name);
    await sms.nextSms();
    const body = await (await call).json<{ receipt: string }>();
    expect(body).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
    expect(await verify(body.receipt, await publishedKeys())).toMatchObject({
      outcome: 'TIMEOUT',
      code: 'TIMEOUT',
      textsHash: await textsHash('Payment', 'Pay 1 200 SEK to ACME AB?', 'Approve', 'Decline'),
      textsBy: 'service',
    });
  });

  it('is refused with another key under the same kid, with a kid the key set lacks, and with any claim changed', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const call = callApi(key, { msisdn: freshMsisdn() }, name);
    await decideLink((await sms.nextSms()).link, 'reject');
    const { receipt } = await (await call).json<{ receipt: string }>();
    const keys = await publishedKeys();
    expect(await verify(receipt, keys)).toMatchObject({ outcome: 'REJECT' });

    const impostor = await exportJWK((await generateKeyPair('ES256')).publicKey);
    await expect(verify(receipt, { keys: [{ ...impostor, kid: keys.keys[0]!.kid, alg: 'ES256' }] })).rejects.toThrow(/signature verification failed/);
    await expect(verify(receipt, { keys: [{ ...keys.keys[0]!, kid: 'another-kid' }] })).rejects.toThrow(/no applicable key found/);

    const [header, payload, signature] = receipt.split('.');
    const claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')));
    for (const change of [{ outcome: 'ACCEPT', code: 'ACCEPT' }, { endpoint: 'other' }, { textsHash: await sha256('other texts') }]) {
      const forged = base64url(new TextEncoder().encode(JSON.stringify({ ...claims, ...change })));
      await expect(verify(`${header}.${forged}.${signature}`, keys)).rejects.toThrow(/signature verification failed/);
    }
  });

  it('is not in the server dialect, which answers exactly as Mideye Server does', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint({ dialect: 'server' });
    const call = callApi(key, { msisdn: freshMsisdn() }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
  });
});

describe('key rotation by kid', () => {
  /** The JWKS a Worker with these settings publishes. */
  async function keysWith(settings: Partial<typeof env>): Promise<JSONWebKeySet> {
    const response = await worker.fetch(new Request('http://localhost/.well-known/jwks.json'), { ...env, ...settings }, createExecutionContext());
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    return response.json();
  }

  it('publishes the new key and the previous ones: receipts signed before and after a rotation both verify, each by its kid', async () => {
    const sms = fakeSmsProvider();
    const { name, key } = await endpoint();
    const call = callApi(key, { msisdn: freshMsisdn() }, name);
    await decideLink((await sms.nextSms()).link, 'accept');
    const before = (await (await call).json<{ receipt: string }>()).receipt;
    const old = (await publishedKeys()).keys[0]!;

    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const next = { ...(await exportJWK(privateKey)), kid: 'receipts-2027' };
    // A private key pasted into the previous keys by mistake is published without its private part.
    const oldWithPrivatePart = { ...old, d: next.d };
    const rotated = { RECEIPT_SIGNING_KEY: JSON.stringify(next), RECEIPT_PREVIOUS_KEYS: JSON.stringify([oldWithPrivatePart]) };
    const keys = await keysWith(rotated);
    expect(keys.keys.map((published) => published.kid)).toEqual(['receipts-2027', old.kid]);
    expect(keys.keys.every((published) => !('d' in published))).toBe(true);

    const after = await signReceipt(rotated, { sid: 'a'.repeat(64), endpoint: name, outcome: 'ACCEPT', code: 'ACCEPT', channel: 'sms', requestedAt: '', settledAt: '', textsHash: '', textsBy: 'page', iss: ISSUER });
    expect(decodeProtectedHeader(after!).kid).toBe('receipts-2027');
    expect(await verify(after!, keys)).toMatchObject({ sid: 'a'.repeat(64) });
    expect(await verify(before, keys)).toMatchObject({ outcome: 'ACCEPT', endpoint: name });

    // Once the old key is dropped from the list, its receipts no longer verify.
    const withoutOld = await keysWith({ RECEIPT_SIGNING_KEY: rotated.RECEIPT_SIGNING_KEY, RECEIPT_PREVIOUS_KEYS: '' });
    await expect(verify(before, withoutOld)).rejects.toThrow(/no applicable key found/);
  });
});

describe('the companion app signs what it showed (protocol v2), v1 side by side', () => {
  const decisionUrl = (sessionId: string) => `http://localhost/api/plus/v1/sessions/${sessionId}/decision`;
  const postDecision = (sessionId: string, body: unknown) =>
    SELF.fetch(decisionUrl(sessionId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function signedDecision(device: ActivatedTestDevice, sessionId: string, answer: { decision: 'accept' | 'reject'; textsHash?: string }) {
    const timestamp = device.nextTimestamp();
    const text = decisionSignedText(sessionId, { deviceId: device.deviceId, timestamp, ...answer })!;
    return { deviceId: device.deviceId, timestamp, signature: await device.sign(text), ...answer };
  }

  async function pushed() {
    fakeSmsProvider();
    const relay = fakePushRelay();
    const { name, key } = await endpoint();
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn, ...PAYMENT }, name);
    const { message } = await relay.nextPush();
    const shown = await textsHash(message.title, message.body, message.acceptLabel, message.rejectLabel);
    return { call, device, sessionId: message.sessionId, shown };
  }

  it('v2: the receipt carries the device, its key and its signature over the hash of the texts it showed', async () => {
    const { call, device, sessionId, shown } = await pushed();
    expect(shown).toBe(await textsHash('Payment', 'Pay 1 200 SEK to ACME AB?', 'Approve', 'Decline'));
    const answer = await signedDecision(device, sessionId, { decision: 'accept', textsHash: shown });
    const decided = await postDecision(sessionId, answer);
    expect(decided.status).toBe(200);
    expect(decided.headers.get('sunset')).toBeNull();
    const { receipt } = await (await call).json<{ receipt: string }>();
    const claims = await verify(receipt, await publishedKeys());
    expect(claims).toMatchObject({ outcome: 'ACCEPT', channel: 'push', textsHash: shown, textsBy: 'device' });
    const signedBy = claims['device'] as { id: string; publicKey: JsonWebKey; signature: string; signedAtMs: number };
    expect(signedBy).toEqual({ id: device.deviceId, publicKey: { kty: 'EC', crv: 'P-256', x: device.publicKeyJwk.x, y: device.publicKeyJwk.y }, signature: answer.signature, signedAtMs: answer.timestamp });

    // Anyone holding the receipt can check the device's own signature, as docs/companion-app.md spells the text out.
    const text = ['sfwa-plus-v2', 'decision', sessionId, device.deviceId, 'accept', '', shown, String(answer.timestamp)].join('\n');
    const deviceKey = await crypto.subtle.importKey('jwk', signedBy.publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const signature = Uint8Array.from(atob(signedBy.signature.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    expect(await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, deviceKey, signature, new TextEncoder().encode(text))).toBe(true);
  });

  it('v1 still works until its documented date, says so in Sunset, and its receipt is vouched for by the service only', async () => {
    const { call, device, sessionId, shown } = await pushed();
    const decided = await postDecision(sessionId, await signedDecision(device, sessionId, { decision: 'reject' }));
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ status: 'rejected' });
    expect(decided.headers.get('sunset')).toBe(new Date(V1_DECISIONS_SUNSET_MS).toUTCString());
    expect(decided.headers.get('sunset')).toBe('Thu, 01 Jul 2027 00:00:00 GMT');
    const { receipt } = await (await call).json<{ receipt: string }>();
    const claims = await verify(receipt, await publishedKeys());
    expect(claims).toMatchObject({ outcome: 'REJECT', channel: 'push', textsHash: shown, textsBy: 'service' });
    expect(claims['device']).toEqual({ id: device.deviceId, publicKey: expect.objectContaining({ x: device.publicKeyJwk.x }) });
  });

  it('refuses a v2 answer over other texts, or a v1 signature sent with a textsHash, and the request stays open', async () => {
    const { call, device, sessionId, shown } = await pushed();
    const otherTexts = await postDecision(sessionId, await signedDecision(device, sessionId, { decision: 'accept', textsHash: await textsHash('Payment', 'Pay 10 SEK to ACME AB?', 'Approve', 'Decline') }));
    expect(otherTexts.status).toBe(401);
    const v1Signed = await signedDecision(device, sessionId, { decision: 'accept' });
    const smuggled = await postDecision(sessionId, { ...v1Signed, textsHash: shown });
    expect(smuggled.status).toBe(401);
    const malformed = await postDecision(sessionId, { ...v1Signed, textsHash: 'not-a-hash' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'textsHash' }] });

    expect((await postDecision(sessionId, await signedDecision(device, sessionId, { decision: 'accept', textsHash: shown }))).status).toBe(200);
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });
});
