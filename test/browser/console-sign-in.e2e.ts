// The admin console's sign-in page, with the mouse and with the keyboard alone.
import { expect, it } from 'vitest';
import { baseUrl } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser } from './console-browser';

const browser = consoleBrowser();

it('a wrong password is refused with a message and the username kept; the right one opens the profile list', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl()}/admin`);
  // Not signed in: the console sends the visitor to sign in first.
  await page.waitForURL('**/admin/sign-in?next=*');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await screenshot(page, 'sign-in');

  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const error = page.getByRole('alert');
  await error.waitFor();
  expect(await error.innerText()).toBe('Wrong username or password. Check both and try again.');
  expect(await page.getByLabel('Username').inputValue()).toBe('admin');
  // The password typed is never written back into the page.
  expect(await page.getByLabel('Password').inputValue()).toBe('');

  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin/profiles');
  await page.getByRole('heading', { name: 'Magic Link Endpoints' }).waitFor();
  const account = page.getByRole('banner');
  expect(await account.getByText('admin', { exact: true }).isVisible()).toBe(true);
  expect(await account.getByText('Super administrator').isVisible()).toBe(true);

  // Signing out ends the session: the console asks to sign in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
  await page.goto(`${baseUrl()}/admin/profiles`);
  await page.waitForURL('**/admin/sign-in?next=*');
});

it('the sign-in form can be completed with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl()}/admin/sign-in`);
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');

  await page.keyboard.press('Tab');
  expect(await focusedId()).toBe('username');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  expect(await focusedId()).toBe('password');
  await page.keyboard.type('admin');
  await page.keyboard.press('Enter');

  await page.waitForURL('**/admin/profiles');
  await page.getByRole('heading', { name: 'Magic Link Endpoints' }).waitFor();
  // On the signed-in page the first Tab reaches the skip link, which leads past the navigation.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Skip to content');
  await page.keyboard.press('Enter');
  expect(await focusedId()).toBe('main');
});
