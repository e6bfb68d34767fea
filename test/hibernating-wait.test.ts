/**
 * The Worker waits for a session's outcome over a hibernatable WebSocket: while the person decides,
 * the session object has no request in flight and can leave memory. Evicted mid-wait (hibernated, or
 * with its sockets closed as a deploy does), it still answers the waiting caller exactly once.
 */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../src/auth-session/auth-session';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

/** The session object behind a magic link (/l/{session}/{secret}). */
function sessionOf(link: string): DurableObjectStub<AuthSession> {
  const id = /\/l\/([0-9a-f]+)\//.exec(link)![1]!;
  return env.AUTH_SESSION.get(env.AUTH_SESSION.idFromString(id)) as DurableObjectStub<AuthSession>;
}

/** The object's live instance and how many waiting sockets it holds. */
const instanceOf = (stub: DurableObjectStub<AuthSession>) =>
  runInDurableObject(stub, (instance: AuthSession, state) => ({ instance, sockets: state.getWebSockets().length }));

describe('the wait for an outcome', () => {
  it('holds no request in the object: evicted while the caller waits, it wakes on the decision and the caller gets ACCEPT', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() });
    const { link } = await sms.nextSms();
    const stub = sessionOf(link);
    await vi.waitFor(async () => expect((await instanceOf(stub)).sockets).toBe(1));
    const before = (await instanceOf(stub)).instance;

    // Eviction waits for requests in flight to drain: it completes because the wait is not one.
    await evictDurableObject(stub);
    expect((await decideLink(link, 'accept')).status).toBe(200);
    const response = await call;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const after = await instanceOf(stub);
    expect(after.instance).not.toBe(before);
    // Answered and closed: nothing is left waiting on the object.
    expect(after.sockets).toBe(0);
  });

  it('survives a reset that closes its socket (as a deploy does): the Worker asks again and gets the outcome', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() });
    const { link } = await sms.nextSms();
    const stub = sessionOf(link);
    await vi.waitFor(async () => expect((await instanceOf(stub)).sockets).toBe(1));

    await evictDurableObject(stub, { webSockets: 'close' });
    // The Worker waits again on a fresh socket.
    await vi.waitFor(async () => expect((await instanceOf(stub)).sockets).toBe(1));
    expect((await decideLink(link, 'reject')).status).toBe(200);
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('answers a wait on a session that settled while nobody waited at once, without a socket', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn() });
    const { link } = await sms.nextSms();
    await decideLink(link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    const again = await sessionOf(link).fetch('https://session/wait', { headers: { upgrade: 'websocket' } });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'accepted' });
  });

  it('times out by the alarm while the object sleeps, answering TIMEOUT once', async () => {
    const sms = fakeSmsProvider();
    const call = callApi(await seedToken(), { msisdn: freshMsisdn(), 'touch-timeout': '1' });
    const { link } = await sms.nextSms();
    const stub = sessionOf(link);
    await vi.waitFor(async () => expect((await instanceOf(stub)).sockets).toBe(1));
    await evictDurableObject(stub);
    const response = await call;
    expect(await response.json()).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
    // The link is settled too: a late accept changes nothing.
    expect((await decideLink(link, 'accept')).status).toBe(410);
  });
});
