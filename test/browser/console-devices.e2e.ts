// The console's Devices page as a help desk uses it: send a person an activation link (by SMS to their
// number, never shown to the administrator), see their phone (the app simulator) appear under their
// number with how it was activated, and deactivate it, after which sign-ins go by SMS.
import { expect, it } from 'vitest';
import { adminApi, adminCookie, authenticate, baseUrl, nextOutboxMessage } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, freshMsisdn, maskedMsisdn, PHONE } from './console-browser';

const browser = consoleBrowser();

it('an administrator sends an activation link to the number, the phone activates with it, and a deactivation sends sign-ins back to SMS', async () => {
  const msisdn = freshMsisdn();
  const admin = await browser.signedInPage();
  await admin.getByRole('link', { name: 'Devices' }).click();
  await admin.getByRole('heading', { name: 'Companion-app devices' }).waitFor();

  // The link goes by SMS to the number; the administrator's page says so, and shows no link.
  const sentAt = Date.now();
  await admin.getByRole('region', { name: 'Send an activation link' }).getByLabel('Phone number').fill(msisdn);
  await admin.getByRole('button', { name: 'Send activation link by SMS' }).click();
  expect(await admin.getByTestId('activation-sent').textContent()).toContain(`sent by SMS to ${maskedMsisdn(msisdn)}`);
  expect(await admin.content()).not.toContain('/plus/activate/');

  // The person's phone: the SMS inbox has the link, and the app simulator is given it.
  const invite = await nextOutboxMessage(msisdn, sentAt, '/plus/activate/');
  expect(invite.url).toMatch(new RegExp(`^${baseUrl()}/plus/activate/[A-Za-z0-9_-]{22}$`));
  const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.goto(`${baseUrl()}/dev/app`);
  await phone.getByLabel('Phone number or activation link').fill(invite.url);
  await phone.getByRole('button', { name: 'Activate' }).tap();
  await phone.getByTestId('device-number').getByText(maskedMsisdn(msisdn), { exact: true }).waitFor();
  // ...and then the notice that a new device can approve its sign-ins, with a link to deactivate it.
  expect((await nextOutboxMessage(msisdn, sentAt, '/plus/deactivate/')).text).toContain('“App simulator”');

  await admin.getByTestId('activation-done').click();
  const row = admin.getByTestId('device-row');
  await row.waitFor();
  expect(await admin.getByTestId('device-number').textContent()).toBe(maskedMsisdn(msisdn));
  expect(await row.getByRole('cell').allInnerTexts()).toEqual(expect.arrayContaining(['App simulator', 'Web', maskedMsisdn(msisdn), 'With a link sent by SMS at admin’s request']));
  await screenshot(admin, 'devices');

  await admin.getByRole('button', { name: 'Deactivate App simulator' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await admin.getByTestId('no-devices').waitFor();

  // With no device left, the next sign-in to that number goes by SMS.
  const cookie = await adminCookie();
  const { token } = await adminApi<{ token: string }>(cookie, 'POST', '/profiles/default/tokens', { name: `e2e-devices-${Date.now()}` });
  const startedAt = Date.now();
  const answer = authenticate(token, msisdn);
  const sms = await nextOutboxMessage(msisdn, startedAt);
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(sms.url);
  await page.getByRole('button', { name: 'Accept' }).click();
  expect(await answer).toEqual({ code: 'ACCEPT', channel: 'sms', receipt: expect.any(String) });
});
