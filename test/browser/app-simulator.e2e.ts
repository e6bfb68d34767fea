// The app simulator at /dev/app as a newcomer uses it: a phone-sized page that activates as a companion
// app, receives the sign-in request an API call pushes, and answers it, signed, through the real protocol.
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { adminApi, adminCookie, authenticate, baseUrl, nextOutboxMessage } from './admin-api';
import { launchBrowser, screenshot } from './browser';

let browser: Browser;
let cookie: string;
let apiKey: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  cookie = await adminCookie();
  ({ token: apiKey } = await adminApi<{ token: string }>(cookie, 'POST', '/profiles/default/tokens', { name: `e2e-app-${Date.now()}` }));
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(() => browser?.close());

let sequence = 0;
/** A number no other test uses: "this wasn't me" blocks a number for the profile for an hour. */
function freshMsisdn(): string {
  sequence += 1;
  return `+46702${String(Date.now() % 10_000).padStart(4, '0')}${String(sequence % 100).padStart(2, '0')}`;
}
const masked = (msisdn: string) => `${msisdn.slice(0, 5)}${'*'.repeat(msisdn.length - 7)}${msisdn.slice(-2)}`;

async function openSimulator(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', isMobile: true, hasTouch: true });
  contexts.push(context);
  const page = await context.newPage();
  // A script the CSP blocks, or one that throws, would otherwise only show as a page that does nothing.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && !/Failed to load resource/.test(message.text()) && problems.push(message.text()));
  Object.assign(page, { problems });
  await page.goto(`${baseUrl()}/dev/app`);
  return page;
}
const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

/** Types the number (or link) and activates; resolves with the device id the page shows. */
async function activate(page: Page, input: string, msisdnMasked: string): Promise<string> {
  await page.getByLabel('Phone number or activation link').fill(input);
  await page.getByRole('button', { name: 'Activate' }).tap();
  await page.getByTestId('device-number').getByText(msisdnMasked, { exact: true }).waitFor();
  const deviceId = (await page.getByTestId('device-id').textContent()) ?? '';
  expect(deviceId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  return deviceId;
}

async function devicesOf(msisdn: string) {
  return (await adminApi<{ items: { id: string; platform: string; label: string }[] }>(cookie, 'GET', `/devices?msisdn=${encodeURIComponent(msisdn)}`)).items;
}

it('activates for a number, gets the push of an API call, and Accept answers it: ACCEPT by push', async () => {
  const msisdn = freshMsisdn();
  const page = await openSimulator();
  await expect(page.getByTestId('device-section').isHidden()).resolves.toBe(true);
  const deviceId = await activate(page, msisdn, masked(msisdn));
  expect(await devicesOf(msisdn)).toEqual([expect.objectContaining({ id: deviceId, platform: 'web', label: 'App simulator' })]);
  await expect(page.getByTestId('device-push-token').textContent()).resolves.toMatch(/^dev:web-/);

  const answer = authenticate(apiKey, msisdn, '', { 'title-text': 'Sign in to Acme', 'authentication-text': 'Approve the sign-in to Acme?' });
  const card = page.getByRole('article', { name: 'Sign in to Acme' });
  await card.waitFor();
  await expect(card.getByText('Approve the sign-in to Acme?').isVisible()).resolves.toBe(true);
  await expect(card.getByTestId('request-context').textContent()).resolves.toMatch(/^Requested by default at \d{1,2}:\d{2}:\d{2}/);
  await expect.poll(() => card.getByTestId('countdown').textContent()).toMatch(/^Answer within (60|59|58|57|56|55) s$/);
  // The push was seen too, as a notification.
  await expect.poll(() => page.getByTestId('push-notice').textContent()).toMatch(/^Push received at .*: Sign in to Acme \(default\)$/);
  await screenshot(page, 'app-simulator');

  await card.getByRole('button', { name: 'Accept' }).tap();
  const accepted = (await answer) as unknown as { receipt: string };
  expect(accepted).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  // The simulator answers with protocol v2: the receipt carries the hash of the texts on its card, signed by the device.
  const keys = createRemoteJWKSet(new URL(`${baseUrl()}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(accepted.receipt, keys, { typ: 'sfwa-receipt+jwt', algorithms: ['ES256'] });
  const shown = createHash('sha256').update(['Sign in to Acme', 'Approve the sign-in to Acme?', 'Accept', 'Reject'].join('\u001f')).digest('base64url');
  expect(payload).toMatchObject({ outcome: 'ACCEPT', channel: 'push', textsBy: 'device', textsHash: shown, device: { id: deviceId, signature: expect.any(String) } });
  await expect.poll(() => card.getByTestId('result').textContent()).toBe('Accepted: the sign-in goes ahead.');
  await expect(card.getByRole('button').count()).resolves.toBe(0);
  expect(problemsOf(page)).toEqual([]);
});

it('number matching: the card offers three numbers, 42 among them, and picking 42 accepts', async () => {
  const msisdn = freshMsisdn();
  const page = await openSimulator();
  await activate(page, msisdn, masked(msisdn));

  const answer = authenticate(apiKey, msisdn, '', { 'match-code': '42' });
  const card = page.getByTestId('request-card');
  await card.waitFor();
  await card.getByText('Which number is shown where you are signing in?').waitFor();
  const choices = await card.getByTestId('match-choice').allTextContents();
  expect(choices).toHaveLength(3);
  expect(new Set(choices).size).toBe(3);
  expect(choices).toContain('42');
  // With number matching there is no plain Accept: the person must pick.
  await expect(card.getByRole('button', { name: 'Accept' }).count()).resolves.toBe(0);

  await card.getByRole('button', { name: '42', exact: true }).tap();
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  await expect.poll(() => card.getByTestId('result').getAttribute('data-result')).toBe('accepted');
  expect(problemsOf(page)).toEqual([]);
});

it('"This wasn\'t me" rejects as unexpected, and the number is then blocked for the profile', async () => {
  const msisdn = freshMsisdn();
  const page = await openSimulator();
  await activate(page, msisdn, masked(msisdn));

  const answer = authenticate(apiKey, msisdn);
  const card = page.getByRole('article', { name: 'Sign-in request' });
  await card.waitFor();
  await card.getByRole('button', { name: "This wasn't me" }).tap();
  expect(await answer).toEqual({ code: 'REJECT', channel: 'push', reason: 'unexpected', receipt: expect.any(String) });
  await expect.poll(() => card.getByTestId('result').getAttribute('data-result')).toBe('rejected');
  await expect(card.getByTestId('result').textContent()).resolves.toMatch(/^Reported/);
  // The block is written just after the answer: a try before it lands times out in 1 s, and the poll tries again.
  await expect.poll(() => authenticate(apiKey, msisdn, '', { 'touch-timeout': '1' })).toEqual({ code: 'RATE_LIMITED', reason: 'blocked', message: expect.any(String) });
  expect(problemsOf(page)).toEqual([]);
});

it('keeps its device over a reload, and "Deactivate this device" removes it: the next sign-in goes by SMS', async () => {
  const msisdn = freshMsisdn();
  const page = await openSimulator();
  const deviceId = await activate(page, msisdn, masked(msisdn));

  await page.reload();
  await expect.poll(() => page.getByTestId('device-id').textContent()).toBe(deviceId);
  // After the reload the kept key still signs: a Reject counts.
  const answer = authenticate(apiKey, msisdn);
  await page.getByTestId('request-card').getByRole('button', { name: 'Reject' }).tap();
  expect(await answer).toEqual({ code: 'REJECT', channel: 'push', receipt: expect.any(String) });

  await page.getByRole('button', { name: 'Deactivate this device' }).tap();
  await page.getByRole('heading', { name: 'Activate' }).waitFor();
  await expect(page.getByTestId('message').textContent()).resolves.toBe(`Deactivated: sign-in requests to ${masked(msisdn)} go by SMS again.`);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('sfwa-app-simulator')))).toEqual([]);
  expect(await devicesOf(msisdn)).toEqual([]);

  const started = Date.now();
  const bySms = authenticate(apiKey, msisdn);
  const sms = await nextOutboxMessage(msisdn, started - 1000);
  await fetch(sms.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'accept' }) });
  expect(await bySms).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
  expect(problemsOf(page)).toEqual([]);
});

it('activates with an activation link pasted from an SMS in the phone inbox', async () => {
  const msisdn = freshMsisdn();
  // A number without the app gets the magic link and, on the next line, an activation link.
  const started = Date.now();
  const bySms = authenticate(apiKey, msisdn);
  const sms = await nextOutboxMessage(msisdn, started - 1000);
  const activationLink = /\S+\/plus\/activate\/[A-Za-z0-9_-]+/.exec(sms.text)?.[0];
  expect(activationLink).toBeDefined();
  await fetch(sms.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'reject' }) });
  expect(await bySms).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });

  const page = await openSimulator();
  await activate(page, activationLink!, masked(msisdn));
  const answer = authenticate(apiKey, msisdn);
  await page.getByTestId('request-card').getByRole('button', { name: 'Accept' }).tap();
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });

  // The link worked once: pasting it again is refused, with the server's reason.
  const second = await openSimulator();
  await second.getByLabel('Phone number or activation link').fill(activationLink!);
  await second.getByRole('button', { name: 'Activate' }).tap();
  await expect.poll(() => second.getByTestId('message').textContent()).toBe('Activation refused: This activation link has already been used');
});

it('a bad number is refused naming the field; with a broken push token the sign-in falls back to SMS and the device is dropped', async () => {
  const page = await openSimulator();
  await page.getByLabel('Phone number or activation link').fill('12');
  await page.getByRole('button', { name: 'Activate' }).tap();
  await expect.poll(() => page.getByTestId('message').textContent()).toMatch(/^Activation refused: msisdn: /);

  const msisdn = freshMsisdn();
  await page.getByLabel('Simulate a broken push token').check();
  await activate(page, msisdn, masked(msisdn));
  await expect(page.getByTestId('device-push-token').textContent()).resolves.toMatch(/^dev-gone:web-.* \(simulated broken token\)$/);

  const started = Date.now();
  const answer = authenticate(apiKey, msisdn);
  const sms = await nextOutboxMessage(msisdn, started - 1000);
  // The provider said the token is gone: the server deactivated the device, and the simulator notices.
  await expect.poll(() => page.getByTestId('message').textContent()).toMatch(/^The server no longer knows this device/);
  await page.getByRole('heading', { name: 'Activate' }).waitFor();
  await fetch(sms.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'accept' }) });
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
});
