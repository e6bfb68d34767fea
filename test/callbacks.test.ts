/**
 * Outcome callbacks: `callback-url` on the start; when the session settles, the outcome is POSTed there,
 * signed with the profile's callback secret, retried from the session's alarm for up to an hour; only
 * https, only to hosts the profile allows.
 */
import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../src/auth-session/auth-session';
import type { SessionState } from '../src/auth-session/session-state';
import { createCallbackSecret } from '../src/admin/profiles';
import { CALLBACK_RETRY_DELAYS_SECONDS } from '../src/domain/callback';
import type { ProfileSettings } from '../src/domain/profile';
import { hmacSha256Hex } from '../src/security/crypto';
import { callApi, db, decideLink, fakeEndpoint, fakeSmsProvider, freshMsisdn, pollFor, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const HOOK = 'https://hooks.example.com/sfwa/outcome';
const ACTOR = { username: 'test-admin', address: null };

let profileNumber = 0;
/** A profile allowing hooks.example.com, with a callback secret; its api-key and the secret. */
async function callbackEndpoint(settings: Partial<ProfileSettings> = {}, withSecret = true) {
  const name = `callbacks-${++profileNumber}-${crypto.randomUUID().slice(0, 6)}`;
  await seedProfile(name, { callbackHosts: ['hooks.example.com'], ...settings });
  const secret = withSecret ? (await createCallbackSecret(env, db(), name, ACTOR)).secret : null;
  return { name, key: await seedToken({ profile: name }), secret };
}

interface Received {
  request: Request;
  raw: string;
}

/** Fakes the receiver at `url`: answers each POST with the next status of `statuses` (then 200), recording it. */
function fakeReceiver(url: string, statuses: number[] = []) {
  const received: Received[] = [];
  fakeEndpoint(url, async (request) => {
    received.push({ request, raw: await request.text() });
    const status = statuses.shift() ?? 200;
    return new Response(null, { status, headers: status === 302 ? { location: 'https://elsewhere.example/' } : {} });
  });
  return received;
}

const sessionStub = (id: string) => env.AUTH_SESSION.get(env.AUTH_SESSION.idFromString(id)) as DurableObjectStub<AuthSession>;
const sessionIdOf = (link: string) => /\/l\/([0-9a-f]+)\//.exec(link)![1]!;
const storedState = (id: string) => runInDurableObject(sessionStub(id), (_instance: AuthSession, state) => state.storage.get<SessionState>('session'));

/** Lets the time of the callback's next try come: the stored try is made due, the object restarts from storage, the alarm fires. */
async function nextTryComes(id: string) {
  const stub = sessionStub(id);
  await runInDurableObject(stub, async (_instance: AuthSession, state) => {
    const stored = (await state.storage.get<SessionState>('session'))!;
    await state.storage.put('session', { ...stored, callback: { ...stored.callback!, nextAtMs: Date.now() - 1 } });
  });
  await evictDurableObject(stub);
  await runDurableObjectAlarm(stub);
}

describe('callback-url on the start', () => {
  it('POSTs the outcome, signed over timestamp and body with the profile secret, when the person answers', async () => {
    const { name, key, secret } = await callbackEndpoint();
    const received = fakeReceiver(HOOK);
    const sms = fakeSmsProvider();
    const call = callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, name);
    const { link } = await sms.nextSms();
    await decideLink(link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const { request, raw } = await pollFor(() => received[0], 'callback');
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(raw)).toEqual({ type: 'sfwa.outcome', session: sessionIdOf(link), endpoint: name, settledAt: expect.any(String), code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    const timestamp = request.headers.get('x-sfwa-timestamp')!;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
    expect(request.headers.get('x-sfwa-signature')).toBe(`v1=${await hmacSha256Hex(secret!, `${timestamp}.${raw}`)}`);
    // Only the secret makes that signature: another secret, or the same body with another time, does not.
    expect(request.headers.get('x-sfwa-signature')).not.toBe(`v1=${await hmacSha256Hex('another secret', `${timestamp}.${raw}`)}`);
    expect(request.headers.get('x-sfwa-signature')).not.toBe(`v1=${await hmacSha256Hex(secret!, `${Number(timestamp) + 1}.${raw}`)}`);
    await vi.waitFor(async () => expect((await storedState(sessionIdOf(link)))?.callback).toMatchObject({ status: 'delivered', attempts: 1 }));
  });

  it('reaches an async caller in the endpoint dialect, and a *.host entry allows its subdomains', async () => {
    const { name, key } = await callbackEndpoint({ dialect: 'server', callbackHosts: ['*.example.com'] });
    const url = 'https://eu.hooks.example.com/x?ref=1';
    const received = fakeReceiver(url);
    const sms = fakeSmsProvider();
    const start = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': url }, name, { headers: { prefer: 'respond-async' } });
    expect(start.status).toBe(202);
    await decideLink((await sms.nextSms()).link, 'reject');
    const { raw } = await pollFor(() => received[0], 'callback');
    expect(JSON.parse(raw)).toMatchObject({ code: 'TOUCH_REJECTED', endpoint: name });
  });

  it('reports a timeout too', async () => {
    const { name, key } = await callbackEndpoint();
    const received = fakeReceiver(HOOK);
    fakeSmsProvider();
    const response = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK, 'touch-timeout': '1' }, name);
    expect(await response.json()).toMatchObject({ code: 'TIMEOUT' });
    const { raw } = await pollFor(() => received[0], 'callback');
    expect(JSON.parse(raw)).toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('retries', () => {
  it('retries a failed try from the alarm after the back-off, logging every try, until the receiver takes it', async () => {
    const { name, key } = await callbackEndpoint();
    const received = fakeReceiver(HOOK, [503, 500]);
    const logged: string[] = [];
    for (const level of ['log', 'warn'] as const) {
      vi.spyOn(console, level).mockImplementation((line: unknown) => {
        if (typeof line === 'string' && line.includes('callback.attempt')) logged.push(line);
      });
    }
    const sms = fakeSmsProvider();
    const start = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, name, { headers: { prefer: 'respond-async' } });
    const { session } = await start.json<{ session: string }>();
    await decideLink((await sms.nextSms()).link, 'accept');

    // The first try failed: the next is due after the first delay, and the alarm is set for it.
    await vi.waitFor(async () => expect((await storedState(session))?.callback).toMatchObject({ status: 'pending', attempts: 1 }));
    const afterFirst = (await storedState(session))!.callback!;
    expect(afterFirst.nextAtMs! - Date.now()).toBeGreaterThan((CALLBACK_RETRY_DELAYS_SECONDS[0] - 2) * 1000);
    expect(afterFirst.nextAtMs! - Date.now()).toBeLessThanOrEqual(CALLBACK_RETRY_DELAYS_SECONDS[0] * 1000);
    expect(await runInDurableObject(sessionStub(session), (_instance: AuthSession, state) => state.storage.getAlarm())).toBe(afterFirst.nextAtMs);

    await nextTryComes(session);
    expect((await storedState(session))!.callback).toMatchObject({ status: 'pending', attempts: 2 });
    await nextTryComes(session);
    expect((await storedState(session))!.callback).toMatchObject({ status: 'delivered', attempts: 3, nextAtMs: null });
    expect(received).toHaveLength(3);
    expect(received.map(({ request }) => request.headers.get('x-sfwa-attempt'))).toEqual(['1', '2', '3']);
    // Each try signed anew, the same body each time (a receiver de-duplicates by session).
    expect(new Set(received.map(({ raw }) => raw)).size).toBe(1);

    const lines = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ event: 'callback.attempt', host: 'hooks.example.com', attempt: 1, outcome: 'retrying', status: 503, retryInSeconds: CALLBACK_RETRY_DELAYS_SECONDS[0] }),
      expect.objectContaining({ attempt: 2, outcome: 'retrying', status: 500, retryInSeconds: CALLBACK_RETRY_DELAYS_SECONDS[1] }),
      expect.objectContaining({ attempt: 3, outcome: 'delivered', status: 200 }),
    ]);
    expect(logged.join('\n')).not.toContain('/sfwa/outcome');
  });

  it('gives up after the last try, about an hour after the first, and sets no further try', async () => {
    const tries = CALLBACK_RETRY_DELAYS_SECONDS.length + 1;
    expect(CALLBACK_RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(55 * 60);
    expect(CALLBACK_RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0)).toBeLessThanOrEqual(60 * 60);
    const { name, key } = await callbackEndpoint();
    const received = fakeReceiver(HOOK, Array.from({ length: 20 }, () => 500));
    const sms = fakeSmsProvider();
    const start = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, name, { headers: { prefer: 'respond-async' } });
    const { session } = await start.json<{ session: string }>();
    await decideLink((await sms.nextSms()).link, 'accept');
    await vi.waitFor(async () => expect((await storedState(session))?.callback?.attempts).toBe(1));
    for (let attempt = 2; attempt <= tries; attempt++) await nextTryComes(session);
    const final = (await storedState(session))!;
    expect(final.callback).toMatchObject({ status: 'failed', attempts: tries, nextAtMs: null });
    expect(received).toHaveLength(tries);
    // The alarm left is the end of retention, a day after settling.
    const alarm = await runInDurableObject(sessionStub(session), (_instance: AuthSession, state) => state.storage.getAlarm());
    expect(alarm).toBe(final.settledAtMs! + 24 * 60 * 60 * 1000);
    // An alarm firing anyway sends nothing more.
    await runDurableObjectAlarm(sessionStub(session));
    expect(received).toHaveLength(tries);
  });

  it('does not follow a redirect: the try counts as failed and nothing goes to the other host', async () => {
    const { name, key } = await callbackEndpoint();
    const received = fakeReceiver(HOOK, [302]);
    const elsewhere = fakeReceiver('https://elsewhere.example/');
    const sms = fakeSmsProvider();
    const start = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, name, { headers: { prefer: 'respond-async' } });
    const { session } = await start.json<{ session: string }>();
    await decideLink((await sms.nextSms()).link, 'accept');
    await vi.waitFor(async () => expect((await storedState(session))?.callback).toMatchObject({ status: 'pending', attempts: 1 }));
    expect(received).toHaveLength(1);
    expect(elsewhere).toHaveLength(0);
  });

  it('stops when the host is taken off the endpoint\'s list before a retry: nothing more is sent there', async () => {
    const { name, key } = await callbackEndpoint();
    const received = fakeReceiver(HOOK, [500]);
    const sms = fakeSmsProvider();
    const start = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, name, { headers: { prefer: 'respond-async' } });
    const { session } = await start.json<{ session: string }>();
    await decideLink((await sms.nextSms()).link, 'accept');
    await vi.waitFor(async () => expect((await storedState(session))?.callback?.attempts).toBe(1));
    await env.DB.prepare("UPDATE profiles SET callback_hosts = '[\"other.example.com\"]' WHERE name = ?").bind(name).run();
    await nextTryComes(session);
    expect((await storedState(session))!.callback).toMatchObject({ status: 'refused', attempts: 1 });
    expect(received).toHaveLength(1);
  });
});

describe('the allow-list', () => {
  const refusals: [string, string, string][] = [
    ['http://hooks.example.com/x', 'an http URL', 'https'],
    ['https://evil.example.net/x', 'a host not listed', 'evil.example.net'],
    ['https://hooks.example.com.evil.net/x', 'a listed name as a prefix of another host', 'not among'],
    ['https://hooks.example.com:8443/x', 'a listed host on another port', 'not among'],
    ['https://user:pw@hooks.example.com/x', 'credentials in the URL', 'user name'],
    ['hooks.example.com/x', 'no scheme', 'absolute'],
  ];

  it.each(refusals)('refuses %s (%s) with 400 naming callback-url, sending nothing anywhere', async (url, _why, says) => {
    const { name, key } = await callbackEndpoint();
    const sms = fakeSmsProvider();
    const fetches = vi.mocked(globalThis.fetch);
    const before = fetches.mock.calls.length;
    const response = await callApi(key, { msisdn: freshMsisdn(), 'callback-url': url }, name);
    expect(response.status).toBe(400);
    const body = await response.json<{ errors: { field: string; message: string }[] }>();
    expect(body.errors).toEqual([{ field: 'callback-url', message: expect.stringContaining(says) }]);
    expect(sms.sent).toHaveLength(0);
    // Nothing went to that URL (other sessions' retries may run meanwhile; they go to HOOK).
    const sentSince = fetches.mock.calls.slice(before).map(([input]) => (input instanceof Request ? input.url : String(input)));
    expect(sentSince.filter((sent) => sent.endsWith('/x'))).toEqual([]);
  });

  it('refuses a callback on an endpoint that lists no hosts, or has no secret yet, saying what the administrator must do', async () => {
    const noHosts = await callbackEndpoint({ callbackHosts: [] });
    const noSecret = await callbackEndpoint({}, false);
    fakeSmsProvider();
    const [first, second] = await Promise.all([
      callApi(noHosts.key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, noHosts.name),
      callApi(noSecret.key, { msisdn: freshMsisdn(), 'callback-url': HOOK }, noSecret.name),
    ]);
    expect(await first.json()).toMatchObject({ errors: [{ field: 'callback-url', message: expect.stringContaining('allows no callback hosts') }] });
    expect(await second.json()).toMatchObject({ errors: [{ field: 'callback-url', message: expect.stringContaining('no callback secret') }] });
  });
});
