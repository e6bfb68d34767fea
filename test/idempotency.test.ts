/**
 * Idempotency-Key on the start: a retry with the same key for the same profile within 10 minutes gets
 * the same session (no second SMS, no second rate-limit count); other parameters get 422.
 */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IdempotencyKey } from '../src/auth-session/idempotency-key';
import type { IdempotencyRecord } from '../src/domain/idempotency';
import { sha256Hex } from '../src/security/crypto';
import { findProfile } from '../src/store/profiles';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const keyed = (key: string, headers: Record<string, string> = {}) => ({ headers: { 'idempotency-key': key, ...headers } });
const ASYNC = { prefer: 'respond-async' };

describe('Idempotency-Key', () => {
  it('answers a synchronous retry from the same session: one SMS, and both calls get the outcome', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const msisdn = freshMsisdn();
    const key = crypto.randomUUID();
    const first = callApi(apiKey, { msisdn }, '', keyed(key));
    const { link } = await sms.nextSms();
    const retry = callApi(apiKey, { msisdn }, '', keyed(key));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await decideLink(link, 'accept');
    const [firstAnswer, retryAnswer] = await Promise.all([first, retry]);
    expect(await firstAnswer.json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expect(await retryAnswer.json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expect(retryAnswer.headers.get('idempotent-replayed')).toBe('true');
    expect(sms.sent).toHaveLength(1);
  });

  it('gives an async retry the same 202, with the same session, and counts once against the rate limit', async () => {
    await seedProfile('idempotent-limit', { rateLimit: { perMinute: 1, perHour: 10 } });
    const apiKey = await seedToken({ profile: 'idempotent-limit' });
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const key = 'order-4711/attempt';
    const first = await callApi(apiKey, { msisdn }, 'idempotent-limit', keyed(key, ASYNC));
    const retries = await Promise.all([1, 2, 3].map(() => callApi(apiKey, { msisdn }, 'idempotent-limit', keyed(key, ASYNC))));
    const firstBody = await first.json();
    expect(first.status).toBe(202);
    for (const retry of retries) {
      expect(retry.status).toBe(202);
      expect(await retry.json()).toEqual(firstBody);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    }
    expect(sms.sent).toHaveLength(1);
    // The limit of one a minute was taken once: a new request (another key) is the second, and refused.
    const other = await callApi(apiKey, { msisdn }, 'idempotent-limit', keyed('another-key', ASYNC));
    expect(other.status).toBe(429);
  });

  it('gives requests racing with one key one session between them', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const msisdn = freshMsisdn();
    const key = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => callApi(apiKey, { msisdn }, '', keyed(key, ASYNC))));
    const sessions = new Set(await Promise.all(answers.map(async (answer) => (await answer.json<{ session: string }>()).session)));
    expect(sessions.size).toBe(1);
    expect(sms.sent).toHaveLength(1);
  });

  it('treats the same number written differently as the same request', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const key = crypto.randomUUID();
    const number = freshMsisdn();
    const spaced = `${number.slice(0, 3)} ${number.slice(3, 5)}-${number.slice(5)}`;
    const first = await callApi(apiKey, { msisdn: number }, '', keyed(key, ASYNC));
    const retry = await callApi(apiKey, { msisdn: spaced }, '', keyed(key, ASYNC));
    expect((await retry.json<{ session: string }>()).session).toBe((await first.json<{ session: string }>()).session);
    expect(sms.sent).toHaveLength(1);
  });

  it('answers 422 naming Idempotency-Key when the key comes back with other parameters, and sends nothing', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const key = crypto.randomUUID();
    await callApi(apiKey, { msisdn: freshMsisdn() }, '', keyed(key, ASYNC));
    const other = await callApi(apiKey, { msisdn: freshMsisdn() }, '', keyed(key, ASYNC));
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'UNPROCESSABLE_CONTENT', errors: [{ field: 'Idempotency-Key', message: expect.stringContaining('other parameters') }] });
    const otherText = await callApi(apiKey, { msisdn: freshMsisdn(), 'title-text': 'Another' }, '', keyed(key, ASYNC));
    expect(otherText.status).toBe(422);
    expect(sms.sent).toHaveLength(1);
  });

  it('keeps keys apart per profile: the same key on another endpoint is another session', async () => {
    await seedProfile('idempotent-other');
    const sms = fakeSmsProvider();
    const msisdn = freshMsisdn();
    const key = crypto.randomUUID();
    const first = await callApi(await seedToken(), { msisdn }, '', keyed(key, ASYNC));
    const second = await callApi(await seedToken({ profile: 'idempotent-other' }), { msisdn }, 'idempotent-other', keyed(key, ASYNC));
    expect((await second.json<{ session: string }>()).session).not.toBe((await first.json<{ session: string }>()).session);
    expect(sms.sent).toHaveLength(2);
  });

  it('frees the key when the first request was refused before anything was sent, so a corrected retry goes through', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const key = crypto.randomUUID();
    const refused = await callApi(apiKey, { msisdn: '+46 70 not a number' }, '', keyed(key, ASYNC));
    expect(refused.status).toBe(400);
    const msisdn = freshMsisdn();
    // A refusal after the claim (a country the profile does not send to) frees it too.
    const country = await callApi(apiKey, { msisdn: '+12025550143' }, '', keyed(key, ASYNC));
    expect(country.status).toBe(400);
    const corrected = await callApi(apiKey, { msisdn }, '', keyed(key, ASYNC));
    expect(corrected.status).toBe(202);
    expect(sms.sent).toHaveLength(1);
  });

  it('starts a new session with the key once its 10 minutes are over', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const msisdn = freshMsisdn();
    const key = crypto.randomUUID();
    const first = await (await callApi(apiKey, { msisdn }, '', keyed(key, ASYNC))).json<{ session: string }>();
    const record = await keyRecord(key);
    expect(record.expiresAtMs - record.claimedAtMs).toBe(10 * 60_000);
    expect(record.sessionId).toBe(first.session);
    // Ten minutes pass: the stored claim has expired.
    await runInDurableObject(await keyStub(key), async (_instance: IdempotencyKey, state) => {
      await state.storage.put('record', { ...record, claimedAtMs: record.claimedAtMs - 600_001, expiresAtMs: Date.now() - 1 });
    });
    await evictDurableObject(await keyStub(key));
    const later = await (await callApi(apiKey, { msisdn }, '', keyed(key, ASYNC))).json<{ session: string }>();
    expect(later.session).not.toBe(first.session);
    expect(sms.sent).toHaveLength(2);
  });

  it('lets a synchronous caller that hung up come back: the retry waits on the same session; without a retry the session is cancelled', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    const [retriedKey, abandonedKey] = [crypto.randomUUID(), crypto.randomUUID()];
    const [retriedNumber, abandonedNumber] = [freshMsisdn(), freshMsisdn()];
    const hangUps = [new AbortController(), new AbortController()];
    const calls = [
      callApi(apiKey, { msisdn: retriedNumber }, '', { ...keyed(retriedKey), signal: hangUps[0]!.signal }).catch((error: Error) => error.name),
      callApi(apiKey, { msisdn: abandonedNumber }, '', { ...keyed(abandonedKey), signal: hangUps[1]!.signal }).catch((error: Error) => error.name),
    ];
    const links = [await sms.nextSms(), await sms.nextSms()];
    const linkFor = (number: string) => links.find((sent) => sent.form.get('to') === number)!.link;
    for (const hangUp of hangUps) hangUp.abort();
    expect(await Promise.all(calls)).toEqual(['AbortError', 'AbortError']);
    const retry = callApi(apiKey, { msisdn: retriedNumber }, '', keyed(retriedKey));
    // Past the grace period after the hang-ups.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect((await decideLink(linkFor(abandonedNumber), 'accept')).status).toBe(410);
    expect((await decideLink(linkFor(retriedNumber), 'accept')).status).toBe(200);
    expect(await (await retry).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(2);
  }, 20_000);

  it('answers a retry of a start whose SMS failed with the same failure, without trying to send again', async () => {
    const sms = fakeSmsProvider(500);
    const apiKey = await seedToken();
    const msisdn = freshMsisdn();
    const key = crypto.randomUUID();
    const first = await callApi(apiKey, { msisdn }, '', keyed(key, ASYNC));
    expect(first.status).toBe(502);
    const retry = await callApi(apiKey, { msisdn }, '', keyed(key, ASYNC));
    expect(retry.status).toBe(502);
    expect(await retry.json()).toMatchObject({ code: 'DELIVERY_FAILED' });
    // The provider was asked once, by the first request.
    expect(sms.sent).toHaveLength(1);
  });

  it('refuses a key that is empty, too long or not printable, naming Idempotency-Key', async () => {
    const sms = fakeSmsProvider();
    const apiKey = await seedToken();
    for (const bad of ['', 'x'.repeat(256), 'tab\there']) {
      const response = await callApi(apiKey, { msisdn: freshMsisdn() }, '', keyed(bad, ASYNC));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'Idempotency-Key' }] });
    }
    expect((await callApi(apiKey, { msisdn: freshMsisdn() }, '', keyed('x'.repeat(255), ASYNC))).status).toBe(202);
    expect(sms.sent).toHaveLength(1);
  });
});

const profileId = async () => (await findProfile(db(), null))!.id;
async function keyStub(key: string) {
  const name = `${await profileId()}:${await sha256Hex(key)}`;
  return env.IDEMPOTENCY_KEY.get(env.IDEMPOTENCY_KEY.idFromName(name)) as DurableObjectStub<IdempotencyKey>;
}

async function keyRecord(key: string): Promise<IdempotencyRecord> {
  const record = await runInDurableObject(await keyStub(key), (_instance: IdempotencyKey, state) => state.storage.get<IdempotencyRecord>('record'));
  return record!;
}
