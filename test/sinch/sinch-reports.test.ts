/** SMS_PROVIDERS "sinch,46elks": Sinch's delivery reports reach the session; a failed delivery goes on to 46elks. */
import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callApi, fakeEndpoint, fakeSmsProvider, freshMsisdn, pollFor, seedToken, decideLink } from '../support';

afterEach(() => vi.restoreAllMocks());

const SINCH_URL = 'https://eu.sms.api.sinch.com/xms/v1/plan-test/batches';

function fakeSinch() {
  const sent: { from: string; to: string[]; body: string; callback_url?: string; delivery_report?: string }[] = [];
  fakeEndpoint(SINCH_URL, async (request) => {
    sent.push(await request.json());
    return Response.json({ id: `batch-${sent.length}` }, { status: 201 });
  });
  let read = 0;
  return { nextSms: () => pollFor(() => (sent[read] ? sent[read++] : undefined), 'Sinch SMS') };
}

const sinchReport = (url: string, status: string, extra: Record<string, unknown> = {}) =>
  SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'recipient_delivery_report_sms', batch_id: 'batch-1', recipient: '46701234567', code: 0, status, at: '2026-12-04T10:00:00.000Z', ...extra }),
  });

async function signIn() {
  const sinch = fakeSinch();
  const hangUp = new AbortController();
  const msisdn = freshMsisdn();
  const call = callApi(await seedToken(), { msisdn, timeout: '60' }, '', { signal: hangUp.signal });
  const sms = await sinch.nextSms();
  const link = /\S+\/l\/\S+/.exec(sms.body)?.[0] ?? '';
  return { sinch, call, sms, msisdn, link, hangUp, sessionId: /\/l\/([0-9a-f]+)\//.exec(link)?.[1] ?? '' };
}

it('sends by Sinch at its EU endpoint with a final delivery report per recipient', async () => {
  const { sms, msisdn, call, link } = await signIn();
  expect(sms).toMatchObject({ from: 'SFWA', to: [msisdn], delivery_report: 'per_recipient_final' });
  expect(sms.callback_url).toMatch(/^http:\/\/localhost\/api\/sfwa\/delivery\/sinch\/[0-9a-f]{64}\/[A-Za-z0-9_-]{43}$/);
  await decideLink(link, 'accept');
  expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
});

describe('Sinch delivery reports', () => {
  it('records Delivered once; a replay, a bad body or an unknown address is refused', async () => {
    const { sms, call, hangUp, sessionId } = await signIn();
    const url = sms.callback_url!;
    const notJson = await SELF.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'status=Delivered' });
    expect(notJson.status).toBe(400);
    expect((await sinchReport(url, 'Delivered', { type: 'recipient_delivery_report_mms' })).status).toBe(400);
    expect((await sinchReport(url.replace(sessionId, '0'.repeat(64)), 'Delivered')).status).toBe(404);
    expect(await (await sinchReport(url, 'Dispatched')).json()).toEqual({ result: 'ignored' });
    expect(await (await sinchReport(url, 'Delivered')).json()).toEqual({ result: 'recorded' });
    expect((await sinchReport(url, 'Failed')).status).toBe(409);
    hangUp.abort();
    await call.catch(() => null);
  });

  it('an Expired report sends the link again by the next provider (46elks)', async () => {
    const { sinch, sms, call, msisdn } = await signIn();
    const elks = fakeSmsProvider();
    expect(await (await sinchReport(sms.callback_url!, 'Expired', { code: 406 })).json()).toEqual({ result: 'recorded' });
    const again = await elks.nextSms();
    expect(again.form.get('to')).toBe(msisdn);
    expect(again.form.get('whendelivered')).toMatch(/\/api\/sfwa\/delivery\/46elks\//);
    await decideLink(again.link, 'accept');
    expect(await (await call).json()).toMatchObject({ code: 'ACCEPT' });
  });
});
