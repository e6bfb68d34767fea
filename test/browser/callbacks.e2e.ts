// Callbacks as an administrator sets them up: the allowed hosts in the profile editor's Callbacks tab, then a
// callback secret shown once; an application may then name a callback-url on a listed host, and one on any
// other host is refused with nothing sent.
import { expect, it } from 'vitest';
import { adminApi, adminCookie, baseUrl } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, freshMsisdn, uniqueName } from './console-browser';

const browser = consoleBrowser();

it('an administrator lists a callback host and creates the secret, shown once; a callback-url elsewhere is refused with nothing sent', async () => {
  const name = uniqueName('hooks');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name });
  const { token } = await adminApi<{ token: string }>(cookie, 'POST', `/profiles/${name}/tokens`, { name: 'e2e-callbacks' });

  const page = await browser.signedInPage();
  await page.goto(`${baseUrl()}/admin/profiles/${name}`);
  await page.getByRole('tab', { name: 'Callbacks' }).click();
  const panel = page.getByRole('tabpanel', { name: 'Callbacks' });
  expect(await panel.getByTestId('callback-secret-state').textContent()).toContain('No callback secret yet');
  await panel.getByLabel('Allowed callback hosts').fill('Hooks.Example.com\n\n*.example.org');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(() => page.getByTestId('flash').textContent()).toContain(`Profile “${name}” saved`);
  expect((await adminApi<{ callbackHosts: string[] }>(cookie, 'GET', `/profiles/${name}`)).callbackHosts).toEqual(['hooks.example.com', '*.example.org']);

  // The secret: made with a POST, shown on its own page once.
  await page.getByRole('tab', { name: 'Callbacks' }).click();
  await panel.getByTestId('create-callback-secret').click();
  const secret = (await page.getByTestId('created-callback-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await screenshot(page, 'callback-secret-created');
  await page.getByTestId('callback-secret-created-done').click();
  await page.getByRole('tab', { name: 'Callbacks' }).click();
  expect(await panel.getByTestId('callback-secret-state').textContent()).toContain('Created');
  expect(await page.content()).not.toContain(secret);
  await screenshot(page, 'profile-editor-callbacks');

  // Through the API: a host not listed is refused before anything is sent.
  const msisdn = freshMsisdn();
  const refused = await fetch(`${baseUrl()}/api/sfwa/auth/${name}`, {
    method: 'POST',
    headers: { 'api-key': token, 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify({ msisdn, 'callback-url': 'https://hooks.example.net/outcome' }),
  });
  expect(refused.status).toBe(400);
  expect(await refused.json()).toMatchObject({ errors: [{ field: 'callback-url', message: expect.stringContaining('hooks.example.net') }] });
  expect(await (await fetch(`${baseUrl()}/dev/outbox?msisdn=${encodeURIComponent(msisdn)}`)).json()).toEqual([]);
});
