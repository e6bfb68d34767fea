/** Operational visibility: JSON log lines without full numbers, and one Analytics Engine data point per settled authentication. */
import { env, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthSession } from '../src/auth-session/auth-session';
import { existingSession } from '../src/auth-session/session-client';
import type { Env } from '../src/env';
import { logEvent } from '../src/observability/log';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

describe('log lines', () => {
  it('are one JSON object with the event first, and mask a full number whatever put it there', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void lines.push(line));
    logEvent('warn', 'sms.failed', { session: 'abcdef12', error: '46elks: Invalid to +46701234567' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ event: 'sms.failed', session: 'abcdef12', error: '46elks: Invalid to +4670*****67' });
  });
});

describe('Analytics Engine', () => {
  it('gets one data point per settled authentication: endpoint, outcome, channel, provider, reason, duration', async () => {
    const sms = fakeSmsProvider();
    await seedProfile('analytics-endpoint');
    const call = callApi(await seedToken({ profile: 'analytics-endpoint' }), { msisdn: freshMsisdn() }, 'analytics-endpoint');
    const { link } = await sms.nextSms();
    const sessionId = /\/l\/([0-9a-f]+)\//.exec(link)![1]!;
    const stub = existingSession(env as unknown as Env, sessionId) as unknown as DurableObjectStub<AuthSession>;
    const points: AnalyticsEngineDataPoint[] = [];
    await runInDurableObject(stub, (instance: AuthSession) => {
      const dataset = (instance as unknown as { env: Env }).env.ANALYTICS!;
      vi.spyOn(dataset, 'writeDataPoint').mockImplementation((point) => void points.push(point!));
    });
    await decideLink(link, 'reject');
    expect(await (await call).json()).toMatchObject({ code: 'REJECT' });
    // A later event on the settled session (a delivery report, a second answer) adds none.
    await decideLink(link, 'accept');
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ indexes: ['analytics-endpoint'], blobs: ['analytics-endpoint', 'REJECT', 'sms', '46elks', ''] });
    expect(points[0]!.doubles![0]).toBeGreaterThanOrEqual(0);
    expect(points[0]!.doubles![0]).toBeLessThan(10_000);
  });
});
