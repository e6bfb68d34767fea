import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminApi, adminCookie, authenticate, baseUrl, nextOutboxMessage } from './admin-api';
import { launchBrowser, screenshot } from './browser';

let browser: Browser;
let apiKey: string;
beforeAll(async () => {
  browser = await launchBrowser();
  const cookie = await adminCookie();
  ({ token: apiKey } = await adminApi<{ token: string }>(cookie, 'POST', '/profiles/default/tokens', { name: `e2e-link-${Date.now()}` }));
});
afterAll(() => browser?.close());

it('a person on a phone opens the SMS link, taps Accept, and the waiting API call returns ACCEPT', async () => {
  const msisdn = '+46701110001';
  const started = Date.now();
  const answer = authenticate(apiKey, msisdn, '', { 'title-text': 'Sign in to Acme', 'authentication-text': 'Approve the sign-in to Acme?' });
  const sms = await nextOutboxMessage(msisdn, started - 1000);

  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(sms.url);
  await expect(page.getByRole('heading', { name: 'Sign in to Acme' }).isVisible()).resolves.toBe(true);
  await screenshot(page, 'magic-link');
  await page.getByRole('button', { name: 'Accept' }).tap();
  await page.getByText('You approved the sign-in').waitFor();
  await screenshot(page, 'magic-link-accepted');
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

  await page.goto(sms.url);
  await page.getByText('This link has already been used').waitFor();
  await context.close();
});

it('the outbox page shows the SMS like a phone inbox, in Swedish for a Swedish number', async () => {
  const msisdn = '+46701110002';
  const started = Date.now();
  const answer = authenticate(apiKey, msisdn);
  await nextOutboxMessage(msisdn, started - 1000);
  const page = await browser.newPage({ viewport: { width: 390, height: 700 } });
  await page.goto(`${baseUrl()}/dev/phone?msisdn=${encodeURIComponent(msisdn)}`);
  const link = page.getByRole('link', { name: /\/l\// });
  await expect(link.count()).resolves.toBe(1);
  await expect(page.getByText('Godkänn inloggning:').count()).resolves.toBe(1);
  await screenshot(page, 'dev-outbox');
  await link.click();
  await page.getByRole('button', { name: 'Reject' }).click();
  expect(await answer).toEqual({ code: 'REJECT', channel: 'sms', receipt: expect.any(String) });
  await page.close();
});
