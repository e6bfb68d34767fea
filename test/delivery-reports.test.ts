/**
 * SMS delivery reports from 46elks (`whendelivered`): recorded in the session and its log entry, bad or
 * replayed ones refused; a failure with no other provider left answers DELIVERY_FAILED at once.
 */
import { SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { authLog } from '../src/store/schema';
import { callApi, db, decideLink, fakeSmsProvider, freshMsisdn, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

export const postReport = (url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) =>
  SELF.fetch(url, { method: 'POST', headers, body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const logRowOnceWritten = (sessionId: string) =>
  vi.waitFor(
    async () => {
      const [row] = await db().select().from(authLog).where(eq(authLog.sessionId, sessionId));
      if (!row) throw new Error('no log entry yet');
      return row;
    },
    { timeout: 4000, interval: 10 },
  );

/** A sign-in by SMS with its call still waiting: the SMS 46elks was asked to send, and where it reports. */
async function smsSignIn() {
  const sms = fakeSmsProvider();
  const apiKey = await seedToken();
  const startedAt = Date.now();
  const call = callApi(apiKey, { msisdn: freshMsisdn(), timeout: '60' });
  const sent = await sms.nextSms();
  const reportUrl = sent.form.get('whendelivered') ?? '';
  const sessionId = /\/l\/([0-9a-f]+)\//.exec(sent.link)?.[1] ?? '';
  return { sms, call, sent, reportUrl, sessionId, startedAt };
}

describe('46elks delivery reports', () => {
  it('go to an unguessable URL of this message; "delivered" is recorded once, in the log entry too', async () => {
    const { call, sent, reportUrl, sessionId } = await smsSignIn();
    expect(reportUrl).toMatch(new RegExp(`^http://localhost/api/sfwa/delivery/46elks/${sessionId}/[A-Za-z0-9_-]{43}$`));
    // An intermediate status is acknowledged and records nothing.
    expect(await (await postReport(reportUrl, form({ id: 's1', status: 'sent' }))).json()).toEqual({ result: 'ignored' });
    const before = Date.now();
    const delivered = await postReport(reportUrl, form({ id: 's1', status: 'delivered', delivered: '2026-12-04 10:00:00' }));
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ result: 'recorded' });
    // The same message reported again (a retry, a replay, a forged "failed") is refused and changes nothing.
    const replayed = await postReport(reportUrl, form({ id: 's1', status: 'failed' }));
    expect(replayed.status).toBe(409);
    expect(await replayed.json()).toMatchObject({ code: 'CONFLICT' });
    expect((await decideLink(sent.link, 'accept')).status).toBe(200);
    expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
    const row = await logRowOnceWritten(sessionId);
    expect(row.delivery).toBe('delivered');
    expect(row.deliveryAtMs).toBeGreaterThanOrEqual(before);
  });

  it('a report that comes after the answer still reaches the log entry', async () => {
    const { call, sent, reportUrl, sessionId } = await smsSignIn();
    await decideLink(sent.link, 'reject');
    expect(await (await call).json()).toMatchObject({ code: 'REJECT' });
    expect((await logRowOnceWritten(sessionId)).delivery).toBeNull();
    expect((await postReport(reportUrl, form({ id: 's2', status: 'delivered' }))).status).toBe(200);
    await vi.waitFor(async () => expect((await logRowOnceWritten(sessionId)).delivery).toBe('delivered'), { timeout: 4000, interval: 10 });
  });

  it('"failed" while the call waits, with no other provider: DELIVERY_FAILED at once, not a TIMEOUT at the deadline', async () => {
    const { call, reportUrl, sessionId, startedAt } = await smsSignIn();
    expect(await (await postReport(reportUrl, form({ id: 's3', status: 'failed' }))).json()).toEqual({ result: 'recorded' });
    const answer = await call;
    expect(answer.status).toBe(502);
    expect(await answer.json()).toMatchObject({ code: 'DELIVERY_FAILED' });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const row = await logRowOnceWritten(sessionId);
    expect(row).toMatchObject({ outcome: 'DELIVERY_FAILED', delivery: 'failed' });
  });

  it('refuses unknown, malformed and foreign reports, and they change nothing', async () => {
    const { call, sent, reportUrl, sessionId } = await smsSignIn();
    const [base, token] = [reportUrl.slice(0, reportUrl.lastIndexOf('/')), reportUrl.slice(reportUrl.lastIndexOf('/') + 1)];
    const otherToken = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    // A token that is not this message's, a session that does not exist, a provider that did not send it.
    expect((await postReport(`${base}/${otherToken}`, form({ status: 'failed' }))).status).toBe(404);
    expect((await postReport(reportUrl.replace(sessionId, 'f'.repeat(64)), form({ status: 'failed' }))).status).toBe(404);
    expect((await postReport(reportUrl.replace('/46elks/', '/sinch/'), JSON.stringify({ type: 'recipient_delivery_report_sms', status: 'Failed' }), { 'content-type': 'application/json' })).status).toBe(404);
    expect((await postReport(`${base}/short`, form({ status: 'failed' }))).status).toBe(404);
    // A body that is not a report at all.
    const malformed = await postReport(reportUrl, form({ nothing: 'here' }));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BAD_REQUEST', message: 'status is missing' });
    // Reading the address is not reporting.
    expect((await SELF.fetch(reportUrl)).status).toBe(404);
    // Nothing of that was recorded: the real report still is, and the session still waits for the person.
    expect(await (await postReport(reportUrl, form({ status: 'delivered' }))).json()).toEqual({ result: 'recorded' });
    await decideLink(sent.link, 'accept');
    expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
  });
});
