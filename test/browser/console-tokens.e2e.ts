// API tokens in the profile editor's API Token Management tab: create (shown once) and use, import,
// page through, delete; and the authentication they make, seen in the authentication log.
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { adminApi, adminCookie, authenticate, baseUrl, nextOutboxMessage } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, descriptionOf, freshMsisdn, maskedMsisdn, openTab, PHONE, uniqueName } from './console-browser';

const browser = consoleBrowser();

async function newProfile(): Promise<{ name: string; cookie: string }> {
  const name = uniqueName('tokens');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name });
  return { name, cookie };
}

/** The editor of a profile, on its API Token Management tab. */
async function tokenTab(page: Page, profile: string): Promise<Locator> {
  await page.goto(`${baseUrl()}/admin/profiles/${profile}`);
  return openTab(page, 'API Token Management');
}

/** A disclosure ("Create new API token", "Import existing API token"), opened. */
async function openDisclosure(panel: Locator, summary: string): Promise<Locator> {
  const disclosure = panel.locator('details').filter({ has: panel.page().getByText(summary, { exact: true }) });
  await disclosure.getByText(summary, { exact: true }).click();
  await disclosure.getByRole('button').waitFor();
  return disclosure;
}

/** The token names listed on the tab's current page, in order. */
async function listedTokens(page: Page, profile: string): Promise<string[]> {
  // Each name is shown as code, in its row's first cell.
  return page.getByRole('table', { name: `API tokens of ${profile}` }).getByRole('cell').locator('code').allTextContents();
}

/** The authentication log filtered like a person would: by profile and outcome, refreshed until the entry is written. */
async function authLogRows(page: Page, profile: string, outcome: string): Promise<Locator> {
  const response = await page.goto(`${baseUrl()}/admin/log`);
  expect(response?.status(), 'the authentication log page /admin/log').toBe(200);
  const profileFilter = page.getByLabel('Profile', { exact: true });
  const outcomeFilter = page.getByLabel('Outcome', { exact: true });
  for (const [filter, value] of [
    [profileFilter, profile],
    [outcomeFilter, outcome],
  ] as const) {
    if ((await filter.evaluate((element) => element.tagName)) === 'SELECT') await filter.selectOption(value);
    else await filter.fill(value);
  }
  const form = page.locator('form').filter({ has: profileFilter });
  await form.locator('button:not([type=button]):not([type=reset]), input[type=submit]').first().click();
  await page.waitForURL((url) => url.searchParams.get('profile') === profile);
  // The session's Durable Object writes the entry after answering: refresh until it is there.
  const rows = page.getByTestId('auth-log-row');
  await expect
    .poll(async () => {
      if ((await rows.count()) > 0) return true;
      await page.reload();
      return false;
    })
    .toBe(true);
  return rows;
}

it('a token created in the editor is shown once as name:secret, works against the API, and the authentication shows in the log', async () => {
  const { name } = await newProfile();
  const tokenName = uniqueName('checkout');
  const page = await browser.signedInPage();
  const panel = await tokenTab(page, name);
  expect(await panel.getByText('No API tokens yet.').isVisible()).toBe(true);
  const create = await openDisclosure(panel, 'Create new API token');
  await create.getByLabel('Name').fill(tokenName);
  await create.getByRole('button', { name: 'Create API token' }).click();

  await page.getByRole('heading', { name: `API token “${tokenName}” created` }).waitFor();
  expect(await page.getByRole('alert').innerText()).toContain('Copy this token now — you will not see it again.');
  const apiKey = (await page.getByTestId('created-token').innerText()).trim();
  expect(apiKey).toMatch(new RegExp(`^${tokenName}:[A-Za-z0-9_-]{40}$`));
  expect(await page.getByRole('button', { name: 'Copy the API key' }).isVisible()).toBe(true);
  await screenshot(page, 'token-created');

  await page.getByRole('link', { name: 'Done — back to API tokens' }).click();
  await page.getByRole('tabpanel', { name: 'API Token Management' }).waitFor();
  expect(await listedTokens(page, name)).toEqual([tokenName]);
  // Only its name is listed; the secret is nowhere on the page again.
  expect(await page.content()).not.toContain(apiKey.split(':')[1]);

  // From a script: the call blocks until the person on the phone decides.
  const msisdn = freshMsisdn();
  const started = Date.now();
  const answer = authenticate(apiKey, msisdn, name);
  const sms = await nextOutboxMessage(msisdn, started - 1000);
  const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.goto(sms.url);
  await phone.getByRole('button', { name: 'Accept' }).tap();
  await phone.getByText('You approved the sign-in').waitFor();
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });

  const rows = await authLogRows(page, name, 'ACCEPT');
  expect(await rows.count()).toBe(1);
  const headers = await page.getByRole('columnheader').allTextContents();
  const cells = await rows.first().getByRole('cell').allTextContents();
  const entry = Object.fromEntries(headers.map((header, i) => [header.trim(), cells[i]?.trim()]));
  expect(entry).toMatchObject({ Profile: name, Token: tokenName, 'Phone number': maskedMsisdn(msisdn), Outcome: 'Accepted' });
  expect(await rows.first().locator('[data-outcome]').getAttribute('data-outcome')).toBe('ACCEPT');
  await screenshot(page, 'auth-log');
});

it('an imported token must have 16–42 characters; a valid one is listed and works against the API', async () => {
  const { name } = await newProfile();
  const tokenName = uniqueName('partner');
  const secret = 'imported-secret-0123456789';
  const page = await browser.signedInPage();
  let panel = await tokenTab(page, name);
  let form = await openDisclosure(panel, 'Import existing API token');
  await form.getByLabel('Name').fill(tokenName);
  const tokenField = form.getByLabel('Plain text token');
  await tokenField.fill('fifteen-chars-x');

  // The browser holds the form back first (minlength)…
  await form.getByRole('button', { name: 'Import API token' }).click();
  expect(await tokenField.evaluate((input) => (input as HTMLInputElement).validity.tooShort)).toBe(true);
  expect(page.url()).toContain(`/admin/profiles/${name}`);

  // …and past it, the server refuses it with the error beside the field, the form open with what was typed.
  await tokenField.evaluate((input) => input.removeAttribute('minlength'));
  await form.getByRole('button', { name: 'Import API token' }).click();
  await page.getByRole('alert').filter({ hasText: 'The token was not imported' }).waitFor();
  panel = page.getByRole('tabpanel', { name: /API Token Management/ });
  form = panel.locator('details').filter({ has: page.getByText('Import existing API token', { exact: true }) });
  expect(await form.getAttribute('open')).not.toBeNull();
  const refused = form.getByLabel('Plain text token');
  expect(await refused.inputValue()).toBe('fifteen-chars-x');
  expect(await descriptionOf(refused)).toContain('Must be at least 16 characters');
  expect(await form.getByLabel('Name').inputValue()).toBe(tokenName);
  expect(await panel.getByText('No API tokens yet.').isVisible()).toBe(true);

  await refused.fill(secret);
  await form.getByRole('button', { name: 'Import API token' }).click();
  await page.getByRole('status').filter({ hasText: `API token “${tokenName}” imported.` }).waitFor();
  expect(await listedTokens(page, name)).toEqual([tokenName]);
  const row = page.getByRole('row').filter({ hasText: tokenName });
  expect(await row.getByText('Imported').isVisible()).toBe(true);
  expect(await row.getByRole('cell').nth(1).innerText()).toBe('N/A');

  // The imported key is accepted by the API (nobody answers the SMS, so it times out); a wrong secret is not.
  expect(await authenticate(`${tokenName}:${secret}`, freshMsisdn(), name, { 'touch-timeout': '1' })).toEqual({ code: 'TIMEOUT', channel: 'sms', receipt: expect.any(String) });
  expect(await authenticate(`${tokenName}:${secret}x`, freshMsisdn(), name)).toMatchObject({ code: 'UNAUTHORIZED' });
});

it('the token list pages through 25 tokens with Next and Previous', async () => {
  const { name, cookie } = await newProfile();
  const names = Array.from({ length: 25 }, (_, i) => `app-${String(i + 1).padStart(2, '0')}`);
  await Promise.all(names.map((tokenName) => adminApi(cookie, 'POST', `/profiles/${name}/tokens`, { name: tokenName })));
  const page = await browser.signedInPage();
  const panel = await tokenTab(page, name);
  const pagination = panel.getByRole('navigation', { name: 'API token pages' });

  expect(await pagination.innerText()).toContain('Page 1 of 2 · 25 tokens');
  expect(await listedTokens(page, name)).toEqual(names.slice(0, 20));
  expect(await pagination.getByRole('link', { name: /Previous/ }).count()).toBe(0);

  await pagination.getByRole('link', { name: /Next/ }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '1');
  const second = page.getByRole('tabpanel', { name: 'API Token Management' }).getByRole('navigation', { name: 'API token pages' });
  expect(await second.innerText()).toContain('Page 2 of 2 · 25 tokens');
  expect(await listedTokens(page, name)).toEqual(names.slice(20));
  expect(await second.getByRole('link', { name: /Next/ }).count()).toBe(0);
  await screenshot(page, 'tokens');

  await second.getByRole('link', { name: /Previous/ }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '0');
  expect(await page.getByRole('navigation', { name: 'API token pages' }).innerText()).toContain('Page 1 of 2 · 25 tokens');
  expect(await listedTokens(page, name)).toEqual(names.slice(0, 20));
});

it('a token is deleted after confirming in the dialog, and the API refuses it at once', async () => {
  const { name, cookie } = await newProfile();
  await adminApi(cookie, 'POST', `/profiles/${name}/tokens`, { name: 'keep-me' });
  const { token: removedKey } = await adminApi<{ token: string }>(cookie, 'POST', `/profiles/${name}/tokens`, { name: 'remove-me' });
  const page = await browser.signedInPage();
  await tokenTab(page, name);
  const dialog = page.getByRole('dialog');

  await page.getByRole('button', { name: 'Delete API token remove-me' }).click();
  await dialog.waitFor();
  expect(await dialog.innerText()).toContain('Delete the API token “remove-me”? Applications using it will be refused.');
  await dialog.getByRole('button', { name: 'Delete token' }).click();
  await page.getByRole('status').filter({ hasText: 'API token “remove-me” deleted.' }).waitFor();
  // Back on the token tab, without the deleted token.
  expect(await page.getByRole('tab', { name: 'API Token Management' }).getAttribute('aria-selected')).toBe('true');
  expect(await listedTokens(page, name)).toEqual(['keep-me']);

  expect(await authenticate(removedKey, freshMsisdn(), name)).toMatchObject({ code: 'UNAUTHORIZED' });
});
