import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../src/auth-session/auth-session';
import type { SessionState } from '../src/auth-session/session-state';
import type { AuthLogEntry, AuthLogOutcome } from '../src/domain/auth-log';
import { maskMsisdn } from '../src/domain/msisdn';
import worker from '../src/index';
import { authLogChunks, insertAuthLogEntry } from '../src/store/auth-log';
import { adminSessions } from '../src/store/schema';
import { adminFetch, type Caller, db, errorFields, json, seedUser, signedInAs } from './admin-client';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

type LogRow = { session_id: string; started_at: number; ended_at: number; profile_name: string; token_name: string; msisdn_masked: string; channel: string; outcome: string; duration_ms: number };

const rowsOfToken = async (tokenName: string) =>
  (await env.DB.prepare('SELECT * FROM auth_log WHERE token_name = ?').bind(tokenName).all<LogRow>()).results;

/** Waits for the session's entry (the Durable Object writes it after answering), and checks there is exactly one. */
async function theOneEntry(apiKey: string): Promise<LogRow> {
  const tokenName = apiKey.split(':')[0]!;
  const rows = await vi.waitFor(
    async () => {
      const found = await rowsOfToken(tokenName);
      expect(found).toHaveLength(1);
      return found;
    },
    { timeout: 4000, interval: 20 },
  );
  return rows[0]!;
}

function expectEntry(row: LogRow, expected: { msisdn: string; outcome: AuthLogOutcome; profile: string; apiKey: string; maxMs: number }) {
  expect(row).toMatchObject({
    outcome: expected.outcome,
    profile_name: expected.profile,
    token_name: expected.apiKey.split(':')[0],
    msisdn_masked: maskMsisdn(expected.msisdn),
    channel: 'sms',
  });
  expect(row.session_id).toMatch(/^[0-9a-f]{64}$/);
  expect(row.duration_ms).toBe(row.ended_at - row.started_at);
  expect(row.duration_ms).toBeGreaterThanOrEqual(0);
  expect(row.duration_ms).toBeLessThanOrEqual(expected.maxMs);
  // The full number, with or without its "+", appears nowhere in the row.
  expect(JSON.stringify(row)).not.toContain(expected.msisdn.slice(1));
}

describe('every authentication leaves exactly one log entry', () => {
  it('accepted', async () => {
    const sms = fakeSmsProvider();
    const [apiKey, msisdn, started] = [await seedToken(), freshMsisdn(), Date.now()];
    const call = callApi(apiKey, { msisdn });
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
    expectEntry(await theOneEntry(apiKey), { msisdn, outcome: 'ACCEPT', profile: 'default', apiKey, maxMs: Date.now() - started });
  });

  it('rejected, on a named profile', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('log-shop');
    const [apiKey, msisdn, started] = [await seedToken({ profile: 'log-shop' }), freshMsisdn(), Date.now()];
    const call = callApi(apiKey, { msisdn }, 'log-shop');
    await decideLink((await sms.nextSms()).link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
    expectEntry(await theOneEntry(apiKey), { msisdn, outcome: 'REJECT', profile: 'log-shop', apiKey, maxMs: Date.now() - started });
  });

  it('timed out', async () => {
    fakeSmsProvider();
    const [apiKey, msisdn, started] = [await seedToken(), freshMsisdn(), Date.now()];
    expect(await (await callApi(apiKey, { msisdn, 'touch-timeout': '1' })).json()).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
    const row = await theOneEntry(apiKey);
    expectEntry(row, { msisdn, outcome: 'TIMEOUT', profile: 'default', apiKey, maxMs: Date.now() - started });
    expect(row.duration_ms).toBeGreaterThanOrEqual(1000);
  });

  it('cancelled: the calling application hung up', async () => {
    const sms = fakeSmsProvider();
    const [apiKey, msisdn, started] = [await seedToken(), freshMsisdn(), Date.now()];
    const abort = new AbortController();
    const call = callApi(apiKey, { msisdn }, '', { signal: abort.signal }).catch((e: Error) => e.name);
    await sms.nextSms();
    abort.abort();
    expect(await call).toBe('AbortError');
    expectEntry(await theOneEntry(apiKey), { msisdn, outcome: 'CANCELLED', profile: 'default', apiKey, maxMs: Date.now() - started });
  });

  it('delivery failed', async () => {
    fakeSmsProvider(500);
    const [apiKey, msisdn, started] = [await seedToken(), freshMsisdn(), Date.now()];
    expect((await callApi(apiKey, { msisdn })).status).toBe(502);
    expectEntry(await theOneEntry(apiKey), { msisdn, outcome: 'DELIVERY_FAILED', profile: 'default', apiKey, maxMs: Date.now() - started });
  });
});

describe('a log write that fails', () => {
  it('changes nothing for the caller; the alarm retries it until the entry is written, once', async () => {
    const sms = fakeSmsProvider();
    const [apiKey, msisdn] = [await seedToken(), freshMsisdn()];
    // D1 refuses the write honestly: the table is not there while the session ends.
    await env.DB.exec('ALTER TABLE auth_log RENAME TO auth_log_away');
    let stub: DurableObjectStub<AuthSession>;
    try {
      const call = callApi(apiKey, { msisdn });
      const { link } = await sms.nextSms();
      stub = env.AUTH_SESSION.get(env.AUTH_SESSION.idFromString(link.split('/')[4]!));
      await decideLink(link, 'accept');
      expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
      await vi.waitFor(
        () =>
          runInDurableObject(stub, async (_: AuthSession, state) => {
            expect((await state.storage.get<SessionState>('session'))?.logPending).toBe(true);
            const retryInMs = (await state.storage.getAlarm())! - Date.now();
            expect(retryInMs).toBeGreaterThan(20_000);
            expect(retryInMs).toBeLessThanOrEqual(30_000);
          }),
        { timeout: 4000, interval: 20 },
      );
    } finally {
      await env.DB.exec('ALTER TABLE auth_log_away RENAME TO auth_log');
    }
    expect(await rowsOfToken(apiKey.split(':')[0]!)).toHaveLength(0);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expectEntry(await theOneEntry(apiKey), { msisdn, outcome: 'ACCEPT', profile: 'default', apiKey, maxMs: 60_000 });
    await runInDurableObject(stub, async (_: AuthSession, state) => {
      expect((await state.storage.get<SessionState>('session'))?.logPending).toBe(false);
      // Back to the retention alarm: the session is forgotten a day after it ended.
      expect((await state.storage.getAlarm())! - Date.now()).toBeGreaterThan(23 * HOUR_MS);
    });
    // Running the alarm again (early) writes nothing twice and keeps the session.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await rowsOfToken(apiKey.split(':')[0]!)).toHaveLength(1);
    expect(await stub.wait()).toMatchObject({ status: 'accepted' });
  });

  it('a second write of the same session is ignored', async () => {
    const entry = logEntryOf({ sessionId: 'same-session', profileName: 'log-twice' });
    await insertAuthLogEntry(db(), entry);
    await insertAuthLogEntry(db(), { ...entry, outcome: 'REJECT' });
    const rows = (await env.DB.prepare("SELECT outcome FROM auth_log WHERE session_id = 'same-session'").all()).results;
    expect(rows).toEqual([{ outcome: 'ACCEPT' }]);
  });
});

let seeded = 0;
function logEntryOf(overrides: Partial<AuthLogEntry>): AuthLogEntry {
  const startedAtMs = overrides.startedAtMs ?? Date.now();
  const durationMs = overrides.durationMs ?? 3000;
  return {
    sessionId: `seeded-${++seeded}-${crypto.randomUUID()}`,
    startedAtMs,
    endedAtMs: startedAtMs + durationMs,
    profileName: 'default',
    tokenName: 'app',
    msisdnMasked: '+4670*****67',
    channel: 'sms',
    outcome: 'ACCEPT',
    reason: null,
    durationMs,
    ...overrides,
  };
}
const seedEntries = async (entries: Partial<AuthLogEntry>[], common: Partial<AuthLogEntry> = {}) => {
  for (const entry of entries) await insertAuthLogEntry(db(), logEntryOf({ ...common, ...entry }));
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('GET /admin/api/auth-log', () => {
  const t0 = Date.parse('2026-06-01T12:00:00Z');

  it('lists entries newest first, filtered by profile and outcome, a page at a time', async () => {
    const asUser = await signedInAs('user');
    await seedEntries([0, 1, 2, 3, 4].map((i) => ({ startedAtMs: t0 + i * 1000, tokenName: `app-${i}`, outcome: i % 2 ? 'REJECT' : 'ACCEPT' })), { profileName: 'log-list' });
    await seedEntries([{ profileName: 'log-other', startedAtMs: t0 }]);

    const all = await json(await asUser('GET', '/auth-log?profile=log-list'));
    expect(all.total).toBe(5);
    expect(all.items.map((item: { token: string }) => item.token)).toEqual(['app-4', 'app-3', 'app-2', 'app-1', 'app-0']);
    expect(all.items[0]).toEqual({ startedAt: iso(t0 + 4000), profile: 'log-list', token: 'app-4', msisdn: '+4670*****67', channel: 'sms', outcome: 'ACCEPT', reason: '', durationMs: 3000, mode: 'direct', user: '', approver: '', delivery: '', deliveryAt: '' });

    const page = await json(await asUser('GET', '/auth-log?profile=log-list&size=2&page=1'));
    expect(page).toMatchObject({ page: 1, size: 2, total: 5 });
    expect(page.items.map((item: { token: string }) => item.token)).toEqual(['app-2', 'app-1']);

    const rejected = await json(await asUser('GET', '/auth-log?profile=log-list&outcome=REJECT&from=&to='));
    expect(rejected.items.map((item: { token: string }) => item.token)).toEqual(['app-3', 'app-1']);
  });

  it('filters by time: from is inclusive, to exclusive', async () => {
    const asUser = await signedInAs('user');
    await seedEntries([0, 1, 2, 3].map((i) => ({ startedAtMs: t0 + i * HOUR_MS, tokenName: `at-${i}` })), { profileName: 'log-time' });
    const window = await json(await asUser('GET', `/auth-log?profile=log-time&from=${iso(t0 + HOUR_MS)}&to=${iso(t0 + 3 * HOUR_MS)}`));
    expect(window.items.map((item: { token: string }) => item.token)).toEqual(['at-2', 'at-1']);
    const offset = await json(await asUser('GET', `/auth-log?profile=log-time&from=${encodeURIComponent('2026-06-01T15:00:00+02:00')}`));
    expect(offset.items.map((item: { token: string }) => item.token)).toEqual(['at-3', 'at-2', 'at-1']);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=2026-13-01T00:00:00Z', 'to'],
    ['from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z', 'to'],
    ['outcome=MAYBE', 'outcome'],
    ['size=201', 'size'],
    ['page=-1', 'page'],
  ])('?%s is refused with 400 naming %s', async (query, field) => {
    const response = await (await signedInAs('user'))('GET', `/auth-log?${query}`);
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual([field]);
  });

  it.each(['/auth-log', '/auth-log.csv', '/auth-log/summary'])('%s needs a signed-in user (401 otherwise)', async (path) => {
    const response = await adminFetch('GET', path);
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('GET /admin/api/auth-log.csv', () => {
  let asUser: Caller;
  it('downloads every matching entry as RFC 4180 CSV, with formulas defused', async () => {
    asUser = await signedInAs('user');
    const t0 = Date.parse('2026-06-02T08:00:00Z');
    await seedEntries(
      [
        { startedAtMs: t0, tokenName: '=HYPERLINK("x")', durationMs: 1500 },
        { startedAtMs: t0 + 1000, tokenName: 'a,b', outcome: 'REJECT', reason: 'unexpected', durationMs: 30_000 },
        { startedAtMs: t0 + 2000, outcome: 'ACCEPT', durationMs: 2500, assistedUser: 'alice', approver: 'hank', delivery: 'delivered', deliveryAtMs: t0 + 2400 },
      ],
      { profileName: 'log-csv' },
    );
    const response = await asUser('GET', '/auth-log.csv?profile=log-csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="auth-log-${new Date().toISOString().slice(0, 10)}.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(
      'startedAt,profile,token,msisdn,channel,outcome,reason,durationMs,mode,user,approver,delivery,deliveryAt\r\n' +
        `${iso(t0 + 2000)},log-csv,app,'+4670*****67,sms,ACCEPT,,2500,assisted,alice,hank,delivered,${iso(t0 + 2400)}\r\n` +
        `${iso(t0 + 1000)},log-csv,"a,b",'+4670*****67,sms,REJECT,unexpected,30000,direct,,,,\r\n` +
        `${iso(t0)},log-csv,"'=HYPERLINK(""x"")",'+4670*****67,sms,ACCEPT,,1500,direct,,,,\r\n`,
    );
  });

  it('is only the header when nothing matches, and refuses bad filters', async () => {
    expect(await (await asUser('GET', '/auth-log.csv?profile=log-nobody')).text()).toBe('startedAt,profile,token,msisdn,channel,outcome,reason,durationMs,mode,user,approver,delivery,deliveryAt\r\n');
    const bad = await asUser('GET', '/auth-log.csv?from=soon');
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['from']);
  });

  it('reads D1 in chunks, continuing after the last row, up to the cap', async () => {
    const t0 = Date.parse('2026-06-03T08:00:00Z');
    // Two entries in the same millisecond: the id orders them, so neither is read twice or skipped.
    await seedEntries([0, 1, 2, 2, 3].map((i, n) => ({ startedAtMs: t0 + i, tokenName: `c-${n}` })), { profileName: 'log-chunks' });
    const chunks: string[][] = [];
    for await (const chunk of authLogChunks(db(), { profile: 'log-chunks' }, 50_000, 2)) chunks.push(chunk.map((entry) => entry.tokenName));
    expect(chunks).toEqual([['c-4', 'c-3'], ['c-2', 'c-1'], ['c-0']]);
    const capped: string[] = [];
    for await (const chunk of authLogChunks(db(), { profile: 'log-chunks' }, 3, 2)) capped.push(...chunk.map((entry) => entry.tokenName));
    expect(capped).toEqual(['c-4', 'c-3', 'c-2']);
  });
});

describe('GET /admin/api/auth-log/summary', () => {
  const day = Date.parse('2026-06-10T00:00:00Z');
  const seedDay = (profileName: string) =>
    seedEntries(
      [
        { startedAtMs: day + 10 * 60_000, outcome: 'ACCEPT', durationMs: 1500 },
        { startedAtMs: day + 50 * 60_000, outcome: 'ACCEPT', durationMs: 4000 },
        { startedAtMs: day + 5 * HOUR_MS, outcome: 'REJECT', durationMs: 12_000 },
        { startedAtMs: day + 5 * HOUR_MS + 1, outcome: 'TIMEOUT', durationMs: 30_000 },
        { startedAtMs: day + DAY_MS - 1, outcome: 'DELIVERY_FAILED', durationMs: 0 },
        { startedAtMs: day - DAY_MS, outcome: 'CANCELLED', durationMs: 2000 },
      ],
      { profileName },
    );

  it('counts outcomes per hour over a day, and the response times of answered authentications', async () => {
    const asUser = await signedInAs('user');
    await seedDay('log-hours');
    const summary = await json(await asUser('GET', `/auth-log/summary?profile=log-hours&from=${iso(day)}&to=${iso(day + DAY_MS)}`));
    expect(summary).toMatchObject({ from: iso(day), to: iso(day + DAY_MS), bucket: 'hour' });
    expect(summary.totals).toEqual({ ACCEPT: 2, REJECT: 1, TIMEOUT: 1, CANCELLED: 0, DELIVERY_FAILED: 1 });
    expect(summary.overTime).toHaveLength(24);
    expect(summary.overTime[0]).toEqual({ start: iso(day), counts: { ACCEPT: 2, REJECT: 0, TIMEOUT: 0, CANCELLED: 0, DELIVERY_FAILED: 0 } });
    expect(summary.overTime[5].counts).toMatchObject({ REJECT: 1, TIMEOUT: 1 });
    expect(summary.overTime[23].counts).toMatchObject({ DELIVERY_FAILED: 1 });
    // Answered: 1.5 s, 4 s and 12 s; the timeout and the failure say nothing about the user.
    expect(summary.durations.buckets.map((bucket: { count: number }) => bucket.count)).toEqual([1, 1, 0, 1, 0, 0, 0]);
    expect(summary.durations).toMatchObject({ medianMs: 4000, p95Ms: 12_000 });
  });

  it('counts per day over a longer range, and filters by outcome', async () => {
    const asUser = await signedInAs('user');
    await seedDay('log-days');
    const summary = await json(await asUser('GET', `/auth-log/summary?profile=log-days&from=${iso(day - 7 * DAY_MS)}&to=${iso(day + 7 * DAY_MS)}`));
    expect(summary.bucket).toBe('day');
    expect(summary.overTime).toHaveLength(14);
    expect(summary.overTime[6]).toMatchObject({ start: iso(day - DAY_MS), counts: { CANCELLED: 1 } });
    expect(summary.overTime[7].counts).toEqual({ ACCEPT: 2, REJECT: 1, TIMEOUT: 1, CANCELLED: 0, DELIVERY_FAILED: 1 });

    const accepted = await json(await asUser('GET', `/auth-log/summary?profile=log-days&outcome=ACCEPT&from=${iso(day - 7 * DAY_MS)}&to=${iso(day + 7 * DAY_MS)}`));
    expect(accepted.totals).toMatchObject({ ACCEPT: 2, REJECT: 0 });
    expect(accepted.durations).toMatchObject({ medianMs: 1500, p95Ms: 4000 });
  });

  it('covers the last 24 h by default, and refuses a range it cannot chart', async () => {
    const asUser = await signedInAs('user');
    const summary = await json(await asUser('GET', '/auth-log/summary?profile=log-nobody'));
    expect(summary.bucket).toBe('hour');
    expect(Date.parse(summary.to) - Date.parse(summary.from)).toBe(DAY_MS);
    expect(summary.durations).toMatchObject({ medianMs: null, p95Ms: null });
    const tooLong = await asUser('GET', `/auth-log/summary?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(await errorFields(tooLong)).toEqual(['from']);
  });
});

describe('the nightly retention job', () => {
  it('deletes log entries older than LOG_RETENTION_DAYS and expired admin sessions, and keeps the rest', async () => {
    const now = Date.now();
    await seedEntries(
      [
        { tokenName: 'old', startedAtMs: now - 91 * DAY_MS },
        { tokenName: 'recent', startedAtMs: now - 89 * DAY_MS },
      ],
      { profileName: 'log-retention' },
    );
    const user = await seedUser('retention-user', 'user');
    await db().insert(adminSessions).values([
      { idHash: 'expired-session', userId: user.id, expiresAt: new Date(now - 1000) },
      { idHash: 'live-session', userId: user.id, expiresAt: new Date(now + HOUR_MS) },
    ]);

    expect(env.LOG_RETENTION_DAYS).toBe('90');
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: '17 3 * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);

    const kept = await env.DB.prepare("SELECT token_name FROM auth_log WHERE profile_name = 'log-retention'").all();
    expect(kept.results).toEqual([{ token_name: 'recent' }]);
    const sessions = await env.DB.prepare('SELECT id_hash FROM admin_sessions WHERE user_id = ?').bind(user.id).all();
    expect(sessions.results).toEqual([{ id_hash: 'live-session' }]);
  });
});
