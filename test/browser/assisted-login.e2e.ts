// Assisted login as an administrator sets it up and an approver answers it: an LDAP profile against the
// real test directory (slapd, started by global-setup.ts) with Test, an assisted login profile, the
// endpoint's Assisted Login tab; then an application names a user and their approver, the approver's
// phone gets the request naming the user, they accept, and the log shows both.
import { expect, inject, it } from 'vitest';
import { adminApi, adminCookie, baseUrl, nextOutboxMessage } from './admin-api';
import { screenshot } from './browser';
import { consoleBrowser, flashText, openTab, PHONE, uniqueName } from './console-browser';

const browser = consoleBrowser();

/** Hank of the help desk, as test/ldap/directory.ldif has him. */
const HANK_PHONE = '+46701110004';

it('an administrator connects a directory, writes the rule and turns it on; the approver approves Alice, and the log says who', async () => {
  const ldapName = uniqueName('corp');
  const ruleName = uniqueName('helpdesk');
  const endpoint = uniqueName('intranet');
  const cookie = await adminCookie();
  await adminApi(cookie, 'POST', '/profiles', { name: endpoint, rateLimit: { perMinute: 100, perHour: 1000 } });
  const { token } = await adminApi<{ token: string }>(cookie, 'POST', `/profiles/${endpoint}/tokens`, { name: 'intranet-app' });

  // 1. The directory, and Test: who is "alice"?
  const page = await browser.signedInPage();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assisted login' }).click();
  await page.waitForURL('**/admin/assisted/profiles');
  await page.getByRole('navigation', { name: 'Assisted login' }).getByRole('link', { name: 'LDAP profiles' }).click();
  await page.getByRole('link', { name: 'New LDAP profile' }).click();
  const connection = await openTab(page, 'Connection');
  await connection.getByLabel('Name').fill(ldapName);
  await connection.getByLabel('URL').fill(inject('ldapUrl'));
  await connection.getByLabel('Use StartTLS (ldap:// only)').uncheck();
  await connection.getByLabel('Bind DN').fill('cn=sfwa-reader,dc=example,dc=test');
  await connection.getByLabel('Bind password').fill('reader-secret');
  const search = await openTab(page, 'Search');
  await search.getByLabel('Base DN').fill('dc=example,dc=test');
  await search.getByLabel('User filter').fill('(&(objectClass=inetOrgPerson)(uid={id}))');
  await page.getByRole('button', { name: 'Create LDAP profile' }).click();
  await page.waitForURL(`**/admin/assisted/ldap/${ldapName}`);
  expect(await flashText(page)).toBe(`LDAP profile “${ldapName}” created.`);
  // The password went in and never comes back out.
  expect(await page.content()).not.toContain('reader-secret');

  await page.getByLabel('User id to look up').fill('alice');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const result = page.getByTestId('test-result');
  await result.waitFor();
  expect(await result.getAttribute('data-outcome')).toBe('found');
  expect(await result.innerText()).toContain('Found Alice Andersson');
  expect(await page.getByTestId('test-groups').innerText()).toContain('staff');
  await screenshot(page, 'assisted-ldap-test');

  // 2. The rule: the help desk approves.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Assisted login' }).click();
  await page.getByRole('link', { name: 'New assisted login profile' }).click();
  const general = await openTab(page, 'General');
  await general.getByLabel('Profile name').fill(ruleName);
  await expect.poll(() => page.getByText(`“${ruleName}” is available`).count()).toBe(1);
  const approvers = await openTab(page, 'Approvers');
  await approvers.getByLabel('Approver groups').fill('helpdesk');
  await screenshot(page, 'assisted-profile-approvers');
  await page.getByRole('button', { name: 'Create assisted login profile' }).click();
  await page.waitForURL(`**/admin/assisted/profiles/${ruleName}`);

  // 3. The endpoint uses the rule, looking people up in the directory.
  await page.goto(`${baseUrl()}/admin/profiles/${endpoint}`);
  const tab = await openTab(page, 'Assisted Login');
  await tab.getByLabel('Assisted login profile').selectOption(ruleName);
  await tab.getByRole('group', { name: 'LDAP Profiles' }).getByLabel(ldapName, { exact: true }).check();
  await screenshot(page, 'profile-editor-assisted-login');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(`**/admin/profiles/${endpoint}`);
  expect(await flashText(page)).toBe(`Profile “${endpoint}” saved.`);

  // 4. Alice signs in to the intranet naming Hank; Hank's phone gets the request, naming her.
  const started = Date.now();
  const answer = fetch(`${baseUrl()}/api/sfwa/auth/${endpoint}?username=alice&approver=hank`, { headers: { 'api-key': token } }).then((r) => r.json());
  const sms = await nextOutboxMessage(HANK_PHONE, started - 1000);
  expect(sms.text).toContain('Alice Andersson');
  const phone = await browser.newPage({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.goto(sms.url);
  await phone.getByRole('heading', { name: 'Approve a sign-in for Alice Andersson' }).waitFor();
  expect(await phone.getByText("You are approving someone else's sign-in").count()).toBe(1);
  await screenshot(phone, 'assisted-approver');
  await phone.getByRole('button', { name: 'Approve for Alice Andersson' }).tap();
  expect(await answer).toMatchObject({ code: 'ACCEPT', approver: 'hank' });

  // 5. The log names the user and the approver who answered.
  await page.goto(`${baseUrl()}/admin/log?profile=${encodeURIComponent(endpoint)}`);
  const row = page.getByRole('row').filter({ has: page.getByTestId('log-approver') }).first();
  expect(await row.getByTestId('log-assisted-user').innerText()).toBe('alice');
  expect(await row.getByTestId('log-approver').innerText()).toBe('hank');
  await screenshot(page, 'log-assisted');
});
