// Profiles in the admin console: create one (with the live name check), edit its messages within the
// seed's limits, and delete it after confirming.
import { expect, it } from 'vitest';
import { adminApi, adminCookie, baseUrl } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, descriptionOf, flashText, openTab, PHONE, uniqueName } from './console-browser';

const browser = consoleBrowser();

interface ProfileView {
  name: string;
  touchMessages: { smsText: string; titleText: string };
}

it('"New profile" refuses a taken name as it is typed, then creates the profile, listed with its endpoint URL and a copy button', async () => {
  const name = uniqueName('webshop');
  const page = await browser.signedInPage('admin', 'admin', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.getByRole('link', { name: 'New profile' }).click();
  await page.getByRole('heading', { name: 'New profile' }).waitFor();
  // Creating: no API Token Management tab yet (seed).
  expect(await page.getByRole('tab').allInnerTexts()).toEqual(['General Settings', 'Assisted Login', 'User Messages', 'Rate limits', 'Abuse protection', 'Callbacks']);

  const nameField = page.getByRole('tabpanel', { name: 'General Settings' }).getByLabel('Name');
  await nameField.pressSequentially('default');
  await expect.poll(() => descriptionOf(nameField)).toContain('Name is already taken');
  expect(await nameField.getAttribute('aria-invalid')).toBe('true');
  // The browser will not submit the form while the name is refused.
  expect(await nameField.evaluate((input) => (input as HTMLInputElement).validity.customError)).toBe(true);

  await nameField.fill('');
  await nameField.pressSequentially(name);
  await expect.poll(() => descriptionOf(nameField)).toContain(`✓ “${name}” is available`);
  expect(await nameField.getAttribute('aria-invalid')).toBeNull();

  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.waitForURL(`**/admin/profiles/${name}`);
  expect(await flashText(page)).toBe(`Profile “${name}” created. Its API tokens are under API Token Management.`);
  expect(await page.getByRole('tab').allInnerTexts()).toContain('API Token Management');
  await screenshot(page, 'profile-editor-general');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profiles' }).click();
  await page.waitForURL('**/admin/profiles');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const endpoint = `${baseUrl()}/api/sfwa/auth/${name}`;
  expect(await row.getByRole('cell').nth(1).innerText()).toContain(endpoint);
  await screenshot(page, 'profile-list');
  const copy = row.getByRole('button', { name: `Copy the endpoint URL of ${name}` });
  await copy.click();
  await copy.getByText('Copied').waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(endpoint);
  // The default profile is marked as such and has no Delete button.
  const defaultRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'default', exact: true }) });
  expect(await defaultRow.getByText('Default endpoint').count()).toBe(1);
  expect(await defaultRow.getByRole('button', { name: /Delete/ }).count()).toBe(0);
  expect(await defaultRow.getByRole('cell').nth(1).innerText()).toContain(`${baseUrl()}/api/sfwa/auth`);
});

it('the profile list reads well at phone width', async () => {
  const page = await browser.signedInPage('admin', 'admin', { viewport: PHONE, isMobile: true, hasTouch: true });
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'default', exact: true }) });
  await row.waitFor();
  // Nothing wider than the screen: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await screenshot(page, 'profile-list-phone');
});

it('the SMS text takes at most 20 characters; past the form limit the server refuses it beside the field and saves nothing', async () => {
  const name = uniqueName('messages');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name, touchMessages: { smsText: 'Code from Acme', titleText: 'Acme sign-in' } });
  const page = await browser.signedInPage();
  await page.goto(`${baseUrl()}/admin/profiles/${name}`);
  const panel = await openTab(page, 'User Messages');
  const touch = panel.getByRole('group', { name: 'Touch Accept Messages' });
  const smsText = touch.getByLabel('SMS text');
  expect(await smsText.inputValue()).toBe('Code from Acme');
  expect(await descriptionOf(smsText)).toBe('14 / 20');

  // The form holds at most 20 characters, and the count says so.
  await smsText.fill('');
  await smsText.pressSequentially('A'.repeat(21));
  expect(await smsText.inputValue()).toBe('A'.repeat(20));
  expect(await descriptionOf(smsText)).toBe('20 / 20');

  // Past the form's limit (as a crafted request would be), the server refuses it, beside the field.
  await smsText.evaluate((input) => input.removeAttribute('maxlength'));
  await smsText.pressSequentially('B');
  expect(await descriptionOf(smsText)).toBe('21 / 20');
  await touch.getByLabel('Title text').fill('Changed title');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('alert').filter({ hasText: 'Nothing was saved: one field needs attention' }).waitFor();
  // The refused form opens on the tab of the refused field, with everything typed kept.
  const refusedTab = page.getByRole('tab', { name: /User Messages/ });
  expect(await refusedTab.getAttribute('aria-selected')).toBe('true');
  const refused = page.getByRole('tabpanel', { name: /User Messages/ }).getByRole('group', { name: 'Touch Accept Messages' });
  const refusedSms = refused.getByLabel('SMS text');
  expect(await refusedSms.inputValue()).toBe(`${'A'.repeat(20)}B`);
  expect(await refusedSms.getAttribute('aria-invalid')).toBe('true');
  expect(await descriptionOf(refusedSms)).toContain('Must be at most 20 characters');
  expect(await refused.getByLabel('Title text').inputValue()).toBe('Changed title');
  await screenshot(page, 'profile-editor-messages');

  // Nothing was saved: the editor, opened again, shows the stored texts.
  await page.goto(`${baseUrl()}/admin/profiles/${name}`);
  const stored = (await openTab(page, 'User Messages')).getByRole('group', { name: 'Touch Accept Messages' });
  expect(await stored.getByLabel('SMS text').inputValue()).toBe('Code from Acme');
  expect(await stored.getByLabel('Title text').inputValue()).toBe('Acme sign-in');
  const profile = await adminApi<ProfileView>(cookie, 'GET', `/profiles/${name}`);
  expect(profile.touchMessages).toMatchObject({ smsText: 'Code from Acme', titleText: 'Acme sign-in' });

  // Within the limit it is saved.
  await stored.getByLabel('SMS text').fill('Sign in to Acme');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('status').filter({ hasText: `Profile “${name}” saved.` }).waitFor();
  expect((await adminApi<ProfileView>(cookie, 'GET', `/profiles/${name}`)).touchMessages.smsText).toBe('Sign in to Acme');
});

it('a profile is deleted only after confirming in the dialog', async () => {
  const name = uniqueName('retired');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name });
  await adminApi(cookie, 'POST', `/profiles/${name}/tokens`, { name: 'legacy-app' });
  const page = await browser.signedInPage();
  const row = () => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const dialog = page.getByRole('dialog');

  await row().getByRole('button', { name: `Delete ${name}` }).click();
  await dialog.waitFor();
  expect(await dialog.getByRole('heading').innerText()).toBe('Are you sure?');
  expect(await dialog.innerText()).toContain(`Delete the profile “${name}”? Its API tokens are deleted with it`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(await row().count()).toBe(1);

  await row().getByRole('button', { name: `Delete ${name}` }).click();
  await dialog.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByRole('status').filter({ hasText: `Profile “${name}” deleted, with its API tokens.` }).waitFor();
  expect(await row().count()).toBe(0);
  const answer = await fetch(`${baseUrl()}/admin/api/profiles/${name}`, { headers: { cookie } });
  expect(answer.status).toBe(404);
});

it('without JavaScript, Delete leads to a confirmation page', async () => {
  const name = uniqueName('nojs');
  await adminApi(await adminCookie(), 'POST', '/profiles', { name });
  const page = await browser.signedInPage('admin', 'admin', { javaScriptEnabled: false });
  await page.goto(`${baseUrl()}/admin/profiles/${name}`);
  await page.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByRole('heading', { name: `Delete the profile “${name}”?` }).waitFor();
  expect(await page.getByRole('main').innerText()).toContain(`applications calling ${baseUrl()}/api/sfwa/auth/${name} will get 404`);
  await page.getByRole('button', { name: 'Delete profile' }).click();
  await page.getByRole('status').filter({ hasText: `Profile “${name}” deleted, with its API tokens.` }).waitFor();
  expect(await page.getByRole('link', { name, exact: true }).count()).toBe(0);
});
