// Abuse protection as an administrator uses it: narrow a profile's allowed countries with the console's
// searchable picker; a sign-in for another country's number is then refused through the API with nothing
// sent; and the audit log says who changed what.
import { expect, it } from 'vitest';
import { adminApi, adminCookie, baseUrl } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, freshMsisdn, uniqueName } from './console-browser';

const browser = consoleBrowser();

it('an administrator narrows the allowed countries to Sweden: a Norwegian number is refused with nothing sent, and the audit log shows the change', async () => {
  const name = uniqueName('nordic');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name });
  const { token } = await adminApi<{ token: string }>(cookie, 'POST', `/profiles/${name}/tokens`, { name: 'e2e-countries' });

  const page = await browser.signedInPage();
  await page.goto(`${baseUrl()}/admin/profiles/${name}`);
  await page.getByRole('tab', { name: 'Abuse protection' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Abuse protection' });
  // A new profile follows the deployment's default (EU/EEA, GB and CH): Norway is in it.
  expect(await panel.getByLabel('The deployment’s default').isChecked()).toBe(true);
  expect(await panel.getByRole('checkbox', { name: /^Norway/ }).isChecked()).toBe(true);

  // Clear, then find Sweden by searching: ticking it chooses "Only the countries ticked below".
  await panel.getByRole('button', { name: 'Clear' }).click();
  await expect.poll(() => panel.getByTestId('country-count').textContent()).toBe('0 ticked');
  await panel.getByLabel('Search countries').fill('swe');
  expect(await panel.getByRole('checkbox', { name: /^Norway/ }).isVisible()).toBe(false);
  await panel.getByRole('checkbox', { name: /^Sweden/ }).check();
  expect(await panel.getByLabel('Only the countries ticked below').isChecked()).toBe(true);
  await expect.poll(() => panel.getByTestId('country-count').textContent()).toBe('1 ticked');
  await panel.getByLabel('Search countries').fill('');
  await screenshot(page, 'profile-editor-abuse-protection');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(() => page.getByTestId('flash').textContent()).toContain(`Profile “${name}” saved`);

  // Through the API: a Norwegian mobile is refused before anything is sent; a Swedish one is not refused.
  const norwegian = '+4791234567';
  const refused = await fetch(`${baseUrl()}/api/sfwa/auth/${name}`, {
    method: 'POST',
    headers: { 'api-key': token, 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: norwegian }),
  });
  expect(refused.status).toBe(400);
  const body = (await refused.json()) as { code: string; errors: { field: string; message: string }[] };
  expect(body.code).toBe('BAD_REQUEST');
  expect(body.errors).toEqual([{ field: 'msisdn', message: expect.stringContaining('Norway (NO)') }]);
  expect(await (await fetch(`${baseUrl()}/dev/outbox?msisdn=${encodeURIComponent(norwegian)}`)).json()).toEqual([]);
  const swedish = await fetch(`${baseUrl()}/api/sfwa/auth/${name}`, {
    method: 'POST',
    headers: { 'api-key': token, 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: freshMsisdn(), 'touch-timeout': 1 }),
  });
  expect(await swedish.json()).toMatchObject({ code: 'TIMEOUT', channel: 'sms' });

  // The audit log: who changed which profile, and how.
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByLabel('Action').selectOption('profile.update');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const row = page.getByTestId('audit-row').filter({ hasText: name }).first();
  await row.waitFor();
  expect(await row.getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['admin', 'Profile changed', name]));
  expect(await row.getByTestId('audit-changes').textContent()).toContain('allowedCountries: – → ["SE"]');
  await screenshot(page, 'audit-log');
});
