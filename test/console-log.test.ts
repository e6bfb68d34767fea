import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthLogEntry } from '../src/domain/auth-log';
import { insertAuthLogEntry } from '../src/store/auth-log';
import { browserAs } from './console-client';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

/** Runs one authentication to its outcome, so the session's Durable Object writes its log entry. */
async function authenticated(profile: string, decision: 'accept' | 'reject' | 'report') {
  const sms = fakeSmsProvider();
  const msisdn = freshMsisdn();
  const call = callApi(await seedToken({ profile, name: `${profile}-app` }), { msisdn }, profile);
  await decideLink((await sms.nextSms()).link, decision);
  await call;
  vi.restoreAllMocks();
  return msisdn;
}

async function waitForRows(browser: Awaited<ReturnType<typeof browserAs>>, path: string, count: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const html = await (await browser.get(path)).text();
    if ((html.match(/data-testid="auth-log-row"/g) ?? []).length >= count) return html;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('log rows did not appear');
}

describe('the authentication log page', () => {
  it('lists authentications with masked numbers, filters them, and shows the dashboard and CSV link', async () => {
    await seedProfile('shop');
    await seedProfile('bank');
    const shopNumber = await authenticated('shop', 'accept');
    await authenticated('bank', 'reject');
    const reader = await browserAs('user');

    const all = await waitForRows(reader, '/admin/log', 2);
    expect(all).toContain('Authentication log');
    expect(all).toContain(shopNumber.slice(0, 5)); // masked: country prefix kept
    expect(all).not.toContain(shopNumber);
    expect(all).toContain('data-outcome="ACCEPT"');
    expect(all).toContain('data-outcome="REJECT"');
    expect(all).toContain('<svg'); // charts
    expect(all).toContain('href="/admin/api/auth-log.csv"');

    const shopOnly = await (await reader.get('/admin/log?profile=shop&outcome=')).text();
    expect(shopOnly.match(/data-testid="auth-log-row"/g)).toHaveLength(1);
    expect(shopOnly).toContain('data-outcome="ACCEPT"');
    expect(shopOnly).toContain('href="/admin/api/auth-log.csv?profile=shop"');

    const rejected = await (await reader.get('/admin/log?outcome=REJECT')).text();
    expect(rejected.match(/data-testid="auth-log-row"/g)).toHaveLength(1);
    expect(rejected).toContain('bank-app');
  });

  it('takes the browser time fields as UTC and refuses a bad range beside the field, listing nothing', async () => {
    const reader = await browserAs('user');
    const ok = await reader.get('/admin/log?from=2026-01-01T00:00&to=2026-01-02T00:00');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('No authentications match these filters.');
    const refused = await reader.get('/admin/log?from=2026-01-02T00:00&to=2026-01-01T00:00');
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/id="log-to-error"[^>]*>[^<]*later than from/);
    expect(html).toContain('value="2026-01-02T00:00"');
    expect(html).not.toContain('auth-log-table');
  });

  it('needs a signed-in user', async () => {
    const { consoleFetch } = await import('./console-client');
    const response = await consoleFetch('GET', '/admin/log');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toContain('/admin/sign-in');
  });
});

describe('a reported request in the log', () => {
  it('marks a request the person reported as "this wasn\'t me"', async () => {
    await seedProfile('reported', { plusActivationLinks: false });
    await authenticated('reported', 'report');
    const html = await waitForRows(await browserAs('user'), '/admin/log?profile=reported', 1);
    expect(html.match(/data-testid="log-reason" data-reason="unexpected"/g)).toHaveLength(1);
    expect(html).toMatch(/Reported: wasn(&#39;|')t me/);
  });
});

describe('an assisted login in the log', () => {
  it('names the user and the approver who answered; a direct authentication names neither', async () => {
    const t0 = Date.parse('2026-05-04T10:00:00Z');
    const entry = (n: number, extra: Partial<AuthLogEntry>): AuthLogEntry => ({
      sessionId: `console-assisted-${n}-${crypto.randomUUID()}`,
      startedAtMs: t0 + n * 1000,
      endedAtMs: t0 + n * 1000 + 2000,
      profileName: 'log-assisted',
      tokenName: 'helpdesk-app',
      msisdnMasked: '+4670*****01',
      channel: 'sms',
      outcome: 'ACCEPT',
      reason: null,
      durationMs: 2000,
      ...extra,
    });
    // Newest first on the page: the direct one, the unanswered assisted one, then the approved one.
    await insertAuthLogEntry(db(), entry(1, { assistedUser: 'alice', approver: 'maria' }));
    await insertAuthLogEntry(db(), entry(2, { assistedUser: 'bob', approver: null, outcome: 'TIMEOUT' }));
    await insertAuthLogEntry(db(), entry(3, {}));

    const html = await (await (await browserAs('user')).get('/admin/log?profile=log-assisted')).text();
    expect(html).toContain('User / approver');
    const [direct, unanswered, approved] = html.split('data-testid="auth-log-row"').slice(1);
    const cellText = (row = '') => (/<td data-label="User \/ approver">([\s\S]*?)<\/td>/.exec(row)?.[1] ?? '').replace(/<[^>]+>/g, '');
    expect([approved, unanswered, direct].map(cellText)).toEqual(['alice, approved by maria', 'bob, no approver answered', '–']);
    expect(approved).toContain('data-testid="log-assisted-user">alice</span>');
    expect(approved).toContain('data-testid="log-approver">maria</span>');
    expect(approved).toMatch(/approved by\s*<span data-testid="log-approver">/);
    expect(unanswered).toContain('data-testid="log-assisted-user">bob</span>');
    expect(unanswered).not.toContain('log-approver');
    expect(unanswered).toContain('no approver answered');
    expect(direct).not.toContain('log-assisted-user');
    expect(direct).not.toContain('log-approver');
  });
});
