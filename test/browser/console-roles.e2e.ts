// Accounts and roles in the admin console: a super administrator creates a read-only account on the
// Users screen; a read-only user sees every profile but no control that changes one, and the server
// refuses their changes even when posted directly.
import { expect, it } from 'vitest';
import { adminApi, adminCookie, baseUrl } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, openTab, signIn, uniqueName } from './console-browser';

const browser = consoleBrowser();
const PASSWORD = 'read-only-passphrase';

it('a super administrator creates a read-only account on the Users screen, and its owner can sign in', async () => {
  const username = uniqueName('viewer');
  const page = await browser.signedInPage();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Administrator accounts' }).waitFor();

  const form = page.getByRole('region', { name: 'New account' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByLabel('Role').selectOption({ label: 'Read-only' });
  await form.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('status').filter({ hasText: `Account “${username}” created as Read-only.` }).waitFor();

  const account = page.getByRole('listitem').filter({ has: page.getByText(username, { exact: true }) });
  expect(await account.getByTestId('user-role').innerText()).toBe('Read-only');
  expect(await account.getByTestId('user-status').innerText()).toBe('Active');
  await screenshot(page, 'users');

  const viewer = await browser.newPage();
  await signIn(viewer, username, PASSWORD);
  const banner = viewer.getByRole('banner');
  expect(await banner.getByText(username, { exact: true }).isVisible()).toBe(true);
  expect(await banner.getByText('Read-only', { exact: true }).isVisible()).toBe(true);
});

it('a read-only user sees the profiles and the editor without any control that changes them, and a direct POST is refused', async () => {
  const username = uniqueName('auditor');
  const profile = uniqueName('readonly');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/users', { username, password: PASSWORD, role: 'user' });
  await adminApi(cookie, 'POST', '/profiles', { name: profile, touchMessages: { smsText: 'Acme code' } });
  await adminApi(cookie, 'POST', `/profiles/${profile}/tokens`, { name: 'existing-app' });

  const page = await browser.signedInPage(username, PASSWORD);
  // The profile list: every profile with its endpoint, but no New profile, Edit or Delete.
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: profile, exact: true }) });
  expect(await row.getByRole('cell').nth(1).innerText()).toContain(`${baseUrl()}/api/sfwa/auth/${profile}`);
  expect(await page.getByRole('link', { name: 'New profile' }).count()).toBe(0);
  expect(await page.getByRole('link', { name: /^Edit / }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /Delete/ }).count()).toBe(0);
  expect(await page.getByRole('columnheader', { name: 'Action' }).count()).toBe(0);
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count()).toBe(0);

  // The editor: settings shown read-only, no Save, no Delete profile.
  await row.getByRole('link', { name: profile, exact: true }).click();
  await page.getByRole('heading', { name: `Profile “${profile}”` }).waitFor();
  expect(await page.getByRole('note').filter({ hasText: 'You have read-only access' }).isVisible()).toBe(true);
  const general = page.getByRole('tabpanel', { name: 'General Settings' });
  expect(await general.getByLabel('Name').getAttribute('readonly')).not.toBeNull();
  expect(await general.getByLabel('Enable plus activation links').isDisabled()).toBe(true);
  const messages = await openTab(page, 'User Messages');
  const smsText = messages.getByRole('group', { name: 'Touch Accept Messages' }).getByLabel('SMS text');
  expect(await smsText.inputValue()).toBe('Acme code');
  expect(await smsText.getAttribute('readonly')).not.toBeNull();
  expect(await page.getByRole('button', { name: /Save|Create profile|Delete/ }).count()).toBe(0);

  // API tokens: listed, but no create, import or delete.
  const tokens = await openTab(page, 'API Token Management');
  expect(await tokens.getByRole('row').filter({ hasText: 'existing-app' }).count()).toBe(1);
  expect(await tokens.getByText('Create new API token').count()).toBe(0);
  expect(await tokens.getByText('Import existing API token').count()).toBe(0);
  expect(await tokens.getByRole('button').count()).toBe(0);

  // Posting a change from this browser anyway (as a hand-made form would) is refused with 403, and nothing changes.
  const post = (path: string, fields: Record<string, string>) =>
    page.evaluate(
      async ([path, fields]) => (await fetch(path, { method: 'POST', body: new URLSearchParams(fields) })).status,
      [path, fields] as const,
    );
  expect(await post(`/admin/profiles/${profile}`, { name: profile, 'touchMessages.smsText': 'Changed', 'rateLimit.perMinute': '3', 'rateLimit.perHour': '10' })).toBe(403);
  expect(await post(`/admin/profiles/${profile}/tokens`, { name: 'sneaky-token' })).toBe(403);
  expect(await post(`/admin/profiles/${profile}/tokens/existing-app/delete`, {})).toBe(403);
  expect(await post(`/admin/profiles/${profile}/delete`, {})).toBe(403);
  expect(await post('/admin/profiles/new', { name: uniqueName('sneaky') })).toBe(403);
  expect(await post('/admin/users', { username: uniqueName('sneaky'), password: PASSWORD, role: 'superadmin' })).toBe(403);

  const stored = await adminApi<{ touchMessages: { smsText: string } }>(cookie, 'GET', `/profiles/${profile}`);
  expect(stored.touchMessages.smsText).toBe('Acme code');
  const list = await adminApi<{ items: { name: string }[] }>(cookie, 'GET', `/profiles/${profile}/tokens`);
  expect(list.items.map((token) => token.name)).toEqual(['existing-app']);

  // A page the role does not reach says so, in the console's frame.
  const response = await page.goto(`${baseUrl()}/admin/users`);
  expect(response?.status()).toBe(403);
  await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
});
