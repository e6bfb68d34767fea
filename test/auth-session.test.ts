import { env, evictDurableObject, listDurableObjectIds, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../src/auth-session/auth-session';
import type { SessionStart } from '../src/auth-session/session-contract';
import type { SessionState } from '../src/auth-session/session-state';
import { fakeSmsProvider, freshMsisdn } from './support';

afterEach(() => vi.restoreAllMocks());

const emptyMessages = { titleText: '', smsText: '', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' };

function sessionInput(overrides: Partial<SessionStart> = {}): SessionStart {
  return {
    recipients: [{ msisdn: freshMsisdn(), phoneKey: 'test-phone-key', devices: [], offerActivation: false, smsBudgetMinute: null, approver: null }],
    profileId: 1,
    profileName: 'default',
    tokenName: 'app',
    messages: emptyMessages,
    timeoutSeconds: 30,
    linkOrigin: 'https://auth.example',
    matchCode: null,
    context: { requestedAtMs: Date.now(), location: null },
    smsBudget: { profileId: 1, profileName: 'default', budget: { perHour: 500, perDay: 5000 } },
    assisted: null,
    blockOnReport: null,
    callback: null,
    ...overrides,
  };
}

const newSession = () => env.AUTH_SESSION.get(env.AUTH_SESSION.newUniqueId());
const secretOf = (link: string) => link.split('/').pop()!;

describe('the AuthSession Durable Object', () => {
  it('stores its state before waiting: pending, with an alarm at the deadline, and only a hash of the link secret', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    expect((await stub.start(sessionInput({ timeoutSeconds: 20 }))).status).toBe('pending');
    const { link } = await sms.nextSms();
    await runInDurableObject(stub, async (_: AuthSession, state) => {
      const stored = await state.storage.get<SessionState>('session');
      expect(stored?.status).toBe('pending');
      expect(stored!.deadlineMs - stored!.createdAtMs).toBe(20_000);
      expect(await state.storage.getAlarm()).toBe(stored!.deadlineMs);
      expect(JSON.stringify(stored)).not.toContain(secretOf(link));
      expect(stored?.msisdnMasked).toMatch(/^\+4670\*+\d\d$/);
    });
  });

  it('survives a restart: after eviction the stored session still decides and answers wait()', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    await stub.start(sessionInput());
    const secret = secretOf((await sms.nextSms()).link);
    await evictDurableObject(stub);
    expect(await stub.decide(secret, 'accept')).toMatchObject({ status: 'accepted', decidedNow: true });
    expect(await stub.wait()).toMatchObject({ status: 'accepted' });
  });

  it('an alarm at the deadline settles a pending session as timed out', async () => {
    fakeSmsProvider();
    const stub = newSession();
    await stub.start(sessionInput({ timeoutSeconds: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await runDurableObjectAlarm(stub);
    expect(await stub.wait()).toMatchObject({ status: 'timed_out' });
  });

  it('start is idempotent: calling it again sends no second SMS', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    const input = sessionInput();
    await stub.start(input);
    await sms.nextSms();
    expect((await stub.start(input)).status).toBe('pending');
    expect(sms.sent).toHaveLength(1);
  });

  it('exactly one outcome: a second decision and a late cancel change nothing', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    await stub.start(sessionInput());
    const secret = secretOf((await sms.nextSms()).link);
    expect(await stub.decide(secret, 'reject')).toMatchObject({ status: 'rejected', decidedNow: true });
    expect(await stub.decide(secret, 'accept')).toMatchObject({ status: 'rejected', decidedNow: false });
    expect(await stub.cancel()).toMatchObject({ status: 'rejected' });
    expect(await stub.wait()).toMatchObject({ status: 'rejected' });
  });

  it('a decision after the deadline counts as a timeout', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    await stub.start(sessionInput({ timeoutSeconds: 1 }));
    const secret = secretOf((await sms.nextSms()).link);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(await stub.decide(secret, 'accept')).toMatchObject({ status: 'timed_out', decidedNow: false });
  });

  it('keeps a settled session for a day (the link says "used"), then forgets it', async () => {
    const sms = fakeSmsProvider();
    const stub = newSession();
    await stub.start(sessionInput());
    const secret = secretOf((await sms.nextSms()).link);
    await stub.decide(secret, 'accept');
    const retentionAlarm = await runInDurableObject(stub, (_: AuthSession, state) => state.storage.getAlarm());
    expect(retentionAlarm! - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    // Move the settle time a day back, restart, and let the retention alarm fire.
    await runInDurableObject(stub, async (_: AuthSession, state) => {
      const stored = (await state.storage.get<SessionState>('session'))!;
      await state.storage.put('session', { ...stored, settledAtMs: Date.now() - 25 * 3600 * 1000 });
    });
    await evictDurableObject(stub);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.view(secret)).toBeNull();
    expect(await runInDurableObject(stub, (_: AuthSession, state) => state.storage.list())).toEqual(new Map());
  });

  it('one Durable Object per authentication', async () => {
    const sms = fakeSmsProvider();
    const before = (await listDurableObjectIds(env.AUTH_SESSION)).length;
    await newSession().start(sessionInput());
    await newSession().start(sessionInput());
    await vi.waitFor(() => expect(sms.sent).toHaveLength(2));
    expect((await listDurableObjectIds(env.AUTH_SESSION)).length).toBe(before + 2);
  });
});
