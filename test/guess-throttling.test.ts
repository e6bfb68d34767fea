/**
 * Throttling guesses: console sign-ins (per username and per client address, with a growing back-off),
 * refused API keys per client address, and an api-key check that takes the same path whether the
 * token name exists or not.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { guessThrottle } from '../src/abuse/guess-throttle';
import { freshThrottle, lockedForSeconds, recordFailure, SIGN_IN_USERNAME_POLICY } from '../src/domain/guess-throttle';
import { checkApiKey, forgetCachedTokens } from '../src/access/api-key-auth';
import { throttledNetwork } from '../src/security/client-address';
import { database } from '../src/store/db';
import { findProfile } from '../src/store/profiles';
import { keyThrottleSeconds, recordRefusedKey } from '../src/store/key-refusals';
import { adminFetch, PASSWORD, seedUser } from './admin-client';
import { consoleFetch } from './console-client';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, MSISDN, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

let addresses = 0;
/** A client address of its own per test, so throttles of one test do not reach another. */
const freshAddress = () => `203.0.113.${++addresses}`;

const signInFrom = (address: string, username: string, password: string) =>
  adminFetch('POST', '/session', { body: { username, password }, headers: { 'cf-connecting-ip': address } });

/** Captures what console.warn is given, while still printing it. */
function warnings(): string[] {
  const lines: string[] = [];
  const warn = console.warn;
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
    warn(...args);
  });
  return lines;
}

describe('console sign-in', () => {
  it('a newcomer who types the right password the first time is signed in', async () => {
    await seedUser('newcomer', 'superadmin');
    const response = await signInFrom(freshAddress(), 'newcomer', PASSWORD);
    expect(response.status).toBe(200);
  });

  it('after 5 failures for a username, even the right password gets 429 with Retry-After', async () => {
    await seedUser('alice', 'admin');
    const logged = warnings();
    const address = freshAddress();
    for (let i = 0; i < 5; i++) expect((await signInFrom(address, 'alice', `wrong-password-${i}`)).status).toBe(401);
    const locked = await signInFrom(freshAddress(), 'alice', PASSWORD);
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'sign-in' });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.headers.get('set-cookie')).toBeNull();

    // Failed attempts are logged with the username and the address, never the password.
    const refusals = logged.filter((line) => line.includes('"event":"admin.sign_in_refused"'));
    expect(refusals).toHaveLength(6);
    expect(JSON.parse(refusals[0]!)).toEqual({ event: 'admin.sign_in_refused', reason: 'wrong-password', username: 'alice', address });
    expect(JSON.parse(refusals[5]!)).toMatchObject({ reason: 'throttled', username: 'alice' });
    expect(logged.join('\n')).not.toContain('wrong-password-');
    expect(logged.join('\n')).not.toContain(PASSWORD);
  });

  it('locks unknown usernames the same way, and other usernames from the same address go on', async () => {
    await seedUser('bob', 'admin');
    const address = freshAddress();
    for (let i = 0; i < 5; i++) expect((await signInFrom(address, 'nobody-here', 'guess-0123')).status).toBe(401);
    expect((await signInFrom(address, 'nobody-here', 'guess-0123')).status).toBe(429);
    expect((await signInFrom(address, 'bob', PASSWORD)).status).toBe(200);
  });

  it('a success forgives the username its failures', async () => {
    await seedUser('carol', 'admin');
    const address = freshAddress();
    for (let i = 0; i < 4; i++) await signInFrom(address, 'carol', 'wrong-password');
    expect((await signInFrom(address, 'carol', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signInFrom(address, 'carol', 'wrong-password')).status).toBe(401);
    expect((await signInFrom(address, 'carol', PASSWORD)).status).toBe(200);
  });

  it('after 20 failures from one address, every attempt from it gets 429, other addresses do not', async () => {
    await seedUser('dave', 'admin');
    const address = freshAddress();
    for (let i = 0; i < 20; i++) expect((await signInFrom(address, `user-${i}`, 'guess-0123')).status).toBe(401);
    const locked = await signInFrom(address, 'dave', PASSWORD);
    expect(locked.status).toBe(429);
    expect((await signInFrom(freshAddress(), 'dave', PASSWORD)).status).toBe(200);
  });

  it('an IPv6 guesser cannot escape by changing addresses inside its /64', async () => {
    await seedUser('erin', 'admin');
    for (let i = 0; i < 20; i++) expect((await signInFrom(`2001:db8:1:2::${(i + 1).toString(16)}`, `v6-user-${i}`, 'guess-0123')).status).toBe(401);
    expect((await signInFrom('2001:db8:1:2:ffff::1', 'erin', PASSWORD)).status).toBe(429);
    expect((await signInFrom('2001:db8:1:3::1', 'erin', PASSWORD)).status).toBe(200);
  });

  it('the console form says in words when to try again, with 429 and Retry-After', async () => {
    await seedUser('frank', 'admin');
    const address = freshAddress();
    const signIn = (password: string) =>
      consoleFetch('POST', '/admin/sign-in', {
        form: { username: 'frank', password, next: '/admin/profiles' },
        headers: { 'cf-connecting-ip': address, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
      });
    for (let i = 0; i < 5; i++) expect((await signIn('wrong-password')).status).toBe(401);
    const page = await signIn(PASSWORD);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await page.text()).toMatch(/Too many failed sign-in attempts.*Try again in 1 minute\./s);
  });

  it('backs off more with every lock while the failures go on (the object, on a moved clock)', async () => {
    const throttle = guessThrottle(env, 'test:backoff');
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) expect(await throttle.failed(SIGN_IN_USERNAME_POLICY, t0 + i)).toBe(0);
    expect(await throttle.failed(SIGN_IN_USERNAME_POLICY, t0 + 4)).toBe(60);
    expect(await throttle.lockedFor(t0 + 30_000)).toBe(31);
    expect(await throttle.lockedFor(t0 + 61_000)).toBe(0);
    expect(await throttle.failed(SIGN_IN_USERNAME_POLICY, t0 + 61_000)).toBe(120);
    expect(await throttle.failed(SIGN_IN_USERNAME_POLICY, t0 + 182_000)).toBe(240);
  });
});

describe('the back-off rule (pure)', () => {
  const minute = 60_000;
  it('doubles each lock up to an hour, and a quiet window starts afresh', () => {
    let state = freshThrottle();
    let at = 0;
    for (let i = 0; i < 5; i++) state = recordFailure(state, SIGN_IN_USERNAME_POLICY, (at += 1000));
    const locks = [lockedForSeconds(state, at)];
    for (let i = 0; i < 7; i++) {
      at = state.lockedUntilMs;
      state = recordFailure(state, SIGN_IN_USERNAME_POLICY, at);
      locks.push(lockedForSeconds(state, at));
    }
    expect(locks).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    // 15 quiet minutes after the lock: a single failure locks nothing.
    state = recordFailure(state, SIGN_IN_USERNAME_POLICY, state.lockedUntilMs + 16 * minute);
    expect(state).toMatchObject({ lockouts: 0, failuresMs: [expect.any(Number)] });
  });

  it('counts IPv6 addresses by their /64', () => {
    expect(throttledNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(throttledNetwork('2001:0db8:0001:0002:abcd:0:0:1')).toBe('2001:db8:1:2::/64');
    expect(throttledNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttledNetwork('198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('refused API keys from one address', () => {
  let apiKey: string;
  beforeAll(async () => {
    await seedProfile('guarded', { rateLimit: { perMinute: 50, perHour: 100 } });
    apiKey = await seedToken({ profile: 'guarded' });
  });
  const call = (key: string, address: string, msisdn = MSISDN) => callApi(key, { msisdn }, 'guarded', { headers: { 'cf-connecting-ip': address } });

  it('more than 20 in a minute: 429 for that address, valid key or not; other addresses are unaffected', async () => {
    const sms = fakeSmsProvider();
    const guesser = freshAddress();
    for (let i = 0; i < 20; i++) expect((await call(`guess-${i}:not-the-secret-0123`, guesser)).status).toBe(401);
    const over = await call('guess-20:not-the-secret-0123', guesser);
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'client' });
    expect(Number(over.headers.get('retry-after'))).toBe(60);
    // Even the right key from that address waits the window out, and nothing is sent.
    const right = await call(apiKey, guesser, freshMsisdn());
    expect(right.status).toBe(429);
    // The throttle is answered before the input is looked at (the body is read beside it).
    const badInput = await call(apiKey, guesser, 'not-a-number');
    expect(badInput.status).toBe(429);
    expect(await badInput.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'client' });
    expect(sms.sent).toHaveLength(0);

    const pending = call(apiKey, freshAddress(), freshMsisdn());
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await pending).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('the throttle is per endpoint', async () => {
    await seedProfile('other-guarded');
    const otherKey = await seedToken({ profile: 'other-guarded' });
    const sms = fakeSmsProvider();
    const guesser = freshAddress();
    for (let i = 0; i < 21; i++) await call(`guess-${i}:nope-0123456789`, guesser);
    const elsewhere = callApi(otherKey, { msisdn: freshMsisdn() }, 'other-guarded', { headers: { 'cf-connecting-ip': guesser } });
    await decideLink((await sms.nextSms()).link, 'reject');
    expect((await elsewhere).status).toBe(200);
  });

  it('the window slides: refusals older than a minute no longer count, and the throttle ends after its minute', async () => {
    const profileId = (await findProfile(db(), 'guarded'))!.id;
    const now = Date.now();
    for (let i = 0; i < 20; i++) expect(await recordRefusedKey(env.KV, profileId, 'window-test', now - 61_000 + i)).toBeNull();
    expect(await recordRefusedKey(env.KV, profileId, 'window-test', now)).toBeNull();
    for (let i = 1; i < 20; i++) expect(await recordRefusedKey(env.KV, profileId, 'window-test', now + i)).toBeNull();
    expect(await recordRefusedKey(env.KV, profileId, 'window-test', now + 20)).toBe(60);
    expect(await keyThrottleSeconds(env.KV, profileId, 'window-test', now + 30_020)).toBe(30);
    expect(await keyThrottleSeconds(env.KV, profileId, 'window-test', now + 60_021)).toBeNull();
  });
});

describe('an unknown token name and a wrong secret take the same path', () => {
  /** A drizzle database over the test D1 that records every statement it prepares, with its parameter count. */
  function recordingDatabase() {
    const statements: string[] = [];
    const recording = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'prepare') {
          return (sql: string) => {
            const statement = target.prepare(sql);
            return new Proxy(statement, {
              get(inner, name) {
                if (name === 'bind') return (...params: unknown[]) => (statements.push(`${sql} [${params.length} parameters]`), inner.bind(...params));
                const value = Reflect.get(inner, name, inner);
                return typeof value === 'function' ? value.bind(inner) : value;
              },
            });
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { database: database(recording), statements };
  }

  it('the same D1 statements, hashes and comparisons, and the same refusal to the caller', async () => {
    await seedProfile('timing');
    const known = await seedToken({ profile: 'timing', name: 'known-app' });
    const profileId = (await findProfile(db(), 'timing'))!.id;
    const digest = vi.spyOn(crypto.subtle, 'digest');
    const compare = vi.spyOn(crypto.subtle, 'timingSafeEqual');

    const trace = async (header: string) => {
      forgetCachedTokens();
      digest.mockClear();
      compare.mockClear();
      const { database: recorded, statements } = recordingDatabase();
      const result = await checkApiKey(recorded, profileId, header, new Date());
      return { ok: result.ok, statements, digests: digest.mock.calls.length, comparisons: compare.mock.calls.length };
    };
    const unknownName = await trace('nobody-knows:wrong-secret-0123456789');
    const wrongSecret = await trace('known-app:wrong-secret-0123456789');
    expect(unknownName).toEqual(wrongSecret);
    expect(unknownName.statements).toHaveLength(1);
    expect(unknownName).toMatchObject({ ok: false, digests: 2, comparisons: 1 });
    // The right key runs the same too.
    expect(await trace(known)).toEqual({ ...wrongSecret, ok: true });

    // And from outside, both answer alike.
    fakeSmsProvider();
    const answers = await Promise.all(
      ['nobody-knows:wrong-secret-0123456789', 'known-app:wrong-secret-0123456789'].map(async (header) => {
        const response = await SELF.fetch(`http://localhost/api/sfwa/auth/timing?msisdn=${encodeURIComponent(MSISDN)}`, { headers: { 'api-key': header } });
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(answers[0]).toEqual(answers[1]);
  });
});
