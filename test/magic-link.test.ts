import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

/** Starts an authentication and returns its pending API call and magic link. */
async function startAuthentication(params: Record<string, string> = {}) {
  const sms = fakeSmsProvider();
  const call = callApi(await seedToken(), { msisdn: freshMsisdn(), ...params });
  const { link } = await sms.nextSms();
  return { call, link };
}

describe('the magic-link page', () => {
  it('shows the title, authentication text and both buttons from the request', async () => {
    const { call, link } = await startAuthentication({
      'title-text': 'Log in to Acme',
      'authentication-text': 'Approve the login to Acme from Stockholm?',
      'button-accept-text': 'Yes, it is me',
      'button-reject-text': 'No',
    });
    const page = await SELF.fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Log in to Acme');
    expect(html).toContain('Approve the login to Acme from Stockholm?');
    expect(html).toMatch(/<button[^>]*name="decision" value="accept"[^>]*>Yes, it is me<\/button>/);
    expect(html).toMatch(/<button[^>]*name="decision" value="reject"[^>]*>No<\/button>/);
    expect(html).toContain('<form method="post">');
    await decideLink(link, 'reject');
    await call;
  });

  it('a prefetched link does not decide the session', async () => {
    const { call, link } = await startAuthentication();
    for (let i = 0; i < 3; i++) expect((await SELF.fetch(link)).status).toBe(200);
    await decideLink(link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('shows the accepted text after Accept, and the link is then used up', async () => {
    const { call, link } = await startAuthentication({ 'touch-accept-text': 'Welcome back!' });
    const accepted = await decideLink(link, 'accept');
    expect(await accepted.text()).toContain('Welcome back!');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

    const again = await decideLink(link, 'reject');
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been used');
    const reopened = await SELF.fetch(link);
    expect(reopened.status).toBe(410);
  });

  it('shows the rejected text after Reject', async () => {
    const { call, link } = await startAuthentication({ 'touch-reject-text': 'We blocked it.' });
    expect(await (await decideLink(link, 'reject')).text()).toContain('We blocked it.');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('an expired link says so and changes nothing', async () => {
    const { call, link } = await startAuthentication({ 'touch-timeout': '1' });
    expect(await (await call).json()).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
    const late = await decideLink(link, 'accept');
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('expired');
  });

  it('a wrong secret or a made-up session shows "not found" and decides nothing', async () => {
    const { call, link } = await startAuthentication();
    const wrongSecret = link.replace(/[^/]+$/, 'A'.repeat(22));
    expect((await decideLink(wrongSecret, 'accept')).status).toBe(404);
    expect((await SELF.fetch('http://localhost/l/not-a-session/secret')).status).toBe(404);
    expect((await SELF.fetch(`http://localhost/l/${'0'.repeat(64)}/secret`)).status).toBe(404);
    await decideLink(link, 'reject');
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('a form without a valid decision is refused with 400 and the session stays open', async () => {
    const { call, link } = await startAuthentication();
    const bad = await decideLink(link, 'maybe');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose Accept or Reject');
    await decideLink(link, 'accept');
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  });

  it('a cross-site form post is refused and changes nothing', async () => {
    const { call, link } = await startAuthentication();
    expect((await decideLink(link, 'accept', { origin: 'https://evil.example' })).status).toBe(403);
    await decideLink(link, 'reject', { origin: 'http://localhost' });
    expect(await (await call).json()).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  });

  it('speaks Swedish when the browser prefers it, English otherwise', async () => {
    const { call, link } = await startAuthentication();
    const swedish = await (await SELF.fetch(link, { headers: { 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' } })).text();
    expect(swedish).toContain('lang="sv"');
    expect(swedish).toContain('Godkänn');
    expect(swedish).toContain('Neka');
    const english = await (await SELF.fetch(link, { headers: { 'accept-language': 'de-DE,en;q=0.5' } })).text();
    expect(english).toContain('lang="en"');
    expect(english).toContain('>Accept<');
    await decideLink(link, 'accept', { 'accept-language': 'sv' });
    await call;
  });

  it('is served with strict security headers and is never cached', async () => {
    const { call, link } = await startAuthentication();
    const page = await SELF.fetch(link);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/); // no third-party assets
    await decideLink(link, 'accept');
    await call;
  });
});

it('an address that does not exist gets a 404 page for people and the JSON code for programs', async () => {
  const page = await SELF.fetch('http://localhost/l/only-one-segment', { headers: { accept: 'text/html', 'accept-language': 'sv' } });
  expect(page.status).toBe(404);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('Sidan finns inte');
  const api = await SELF.fetch('http://localhost/api/nothing-here');
  expect(api.status).toBe(404);
  expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
});
