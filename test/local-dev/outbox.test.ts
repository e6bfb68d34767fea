import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../src/providers/sms/outbox';
import { decideLink, freshMsisdn, seedToken } from '../support';

async function waitForOutbox(msisdn: string): Promise<OutboxMessage[]> {
  for (let i = 0; i < 100; i++) {
    const messages = await (await SELF.fetch(`http://localhost/dev/outbox?msisdn=${encodeURIComponent(msisdn)}`)).json<OutboxMessage[]>();
    if (messages.length) return messages;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('nothing in the outbox');
}

describe('local development outbox', () => {
  it('the README walkthrough: call the API, open the link from the outbox, tap Accept, get ACCEPT', async () => {
    const msisdn = freshMsisdn();
    const call = SELF.fetch(`http://localhost/api/sfwa/auth?msisdn=${encodeURIComponent(msisdn)}&touch-timeout=60`, { headers: { 'api-key': await seedToken() } });
    const [message] = await waitForOutbox(msisdn);
    expect(message).toMatchObject({ channel: 'sms', to: msisdn });
    // The number has no app yet, so the default profile (activation links on) offers it after the magic link.
    const [first, second] = message!.text.split('\n');
    expect(first).toBe(`Godkänn inloggning: ${message!.url}`);
    expect(second).toMatch(/^Skaffa appen och godkänn med ett tryck: http:\/\/localhost\/plus\/activate\/[A-Za-z0-9_-]{22}$/);
    expect(message!.url).toMatch(/^http:\/\/localhost\/l\//);
    expect(Date.now() - Date.parse(message!.sentAt)).toBeLessThan(10_000);
    await decideLink(message!.url, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('shows the outbox as a page like a phone inbox, with the link clickable', async () => {
    const msisdn = freshMsisdn();
    const call = SELF.fetch(`http://localhost/api/sfwa/auth?msisdn=${encodeURIComponent(msisdn)}`, { headers: { 'api-key': await seedToken() } });
    const [message] = await waitForOutbox(msisdn);
    const page = await SELF.fetch(`http://localhost/dev/phone?msisdn=${encodeURIComponent(msisdn)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<a href="${message!.url}">${message!.url}</a>`);
    // The activation link after it is a link of its own, and the magic link is shown once.
    expect(html).toMatch(/<a href="(http:\/\/localhost\/plus\/activate\/[A-Za-z0-9_-]{22})">\1<\/a>/);
    expect(html.split(message!.url).length - 1).toBe(2);
    await decideLink(message!.url, 'reject');
    await call;
  });

  it('with ?wait=N answers an empty outbox when its first message is recorded, not after N seconds', async () => {
    const msisdn = freshMsisdn();
    const reading = SELF.fetch(`http://localhost/dev/outbox?msisdn=${encodeURIComponent(msisdn)}&wait=20`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startedMs = Date.now();
    const call = SELF.fetch(`http://localhost/api/sfwa/auth?msisdn=${encodeURIComponent(msisdn)}&touch-timeout=60`, { headers: { 'api-key': await seedToken() } });
    const [message] = await (await reading).json<OutboxMessage[]>();
    expect(message).toMatchObject({ channel: 'sms', to: msisdn });
    expect(Date.now() - startedMs).toBeLessThan(5000);
    await decideLink(message!.url, 'accept');
    await call;
  });

  it('with ?wait=N is not woken by a message to another number', async () => {
    const [waiting, other] = [freshMsisdn(), freshMsisdn()];
    const startedMs = Date.now();
    const reading = SELF.fetch(`http://localhost/dev/outbox?msisdn=${encodeURIComponent(waiting)}&wait=2`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const call = SELF.fetch(`http://localhost/api/sfwa/auth?msisdn=${encodeURIComponent(other)}&touch-timeout=60`, { headers: { 'api-key': await seedToken() } });
    const [message] = await waitForOutbox(other);
    expect(await (await reading).json()).toEqual([]);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(1900);
    await decideLink(message!.url, 'reject');
    await call;
  });

  it('with ?wait=N answers an empty outbox with [] after N seconds, and refuses a wait over 25', async () => {
    const startedMs = Date.now();
    const empty = await SELF.fetch(`http://localhost/dev/outbox?msisdn=${encodeURIComponent(freshMsisdn())}&wait=1`);
    expect(await empty.json()).toEqual([]);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(900);
    const tooLong = await SELF.fetch(`http://localhost/dev/outbox?msisdn=${encodeURIComponent(freshMsisdn())}&wait=26`);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ errors: [{ field: 'wait' }] });
  });

  it('refuses an outbox query without a valid number', async () => {
    const response = await SELF.fetch('http://localhost/dev/outbox?msisdn=abc');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST', errors: [{ field: 'msisdn' }] });
  });
});
