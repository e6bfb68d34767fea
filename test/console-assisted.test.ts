/**
 * The console's Assisted login section: assisted login profiles, LDAP and Entra ID profiles and the
 * local user database, through the pages as a browser without JavaScript uses them. LDAP profiles are
 * tested against the real OpenLDAP server of test/ldap/global-setup.ts.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAssistedLoginProfile, findDirectoryUser, findLdapProfile } from '../src/store/directory';
import { findProfile } from '../src/store/profiles';
import { db } from './admin-client';
import { browserAs, consoleFetch, controlAttribute, countTestIds, fieldError, testIdText, textareaValue, type Browser } from './console-client';
import { editorForm } from './profile-editor-form';
import { seedProfile } from './support';

let admin: Browser;
let reader: Browser;
let sequence = 0;
beforeAll(async () => {
  admin = await browserAs('admin');
  reader = await browserAs('user');
});

const BIND_PASSWORD = 'reader-secret';

/** The LDAP editor's form as a browser submits it (ticked checkboxes only). */
const ldapForm = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      name: `corp-${++sequence}`,
      url: env.TEST_LDAP_URL,
      bindDn: 'cn=sfwa-reader,dc=example,dc=test',
      bindPassword: BIND_PASSWORD,
      timeoutSeconds: '3',
      baseDn: 'dc=example,dc=test',
      userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
      phoneAttribute: '',
      displayNameAttribute: '',
      groupAttribute: '',
      managerAttribute: '',
      ...overrides,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

const assistedForm = (overrides: Record<string, string | undefined> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries({
      name: `helpdesk-${++sequence}`,
      kind: 'normal',
      notificationAttribute: '',
      sessionTimeoutSeconds: '120',
      approverIdAttributes: 'uid\nmail',
      approverGroups: 'helpdesk',
      approverIdentities: '',
      userGroups: '',
      ...overrides,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

async function createLdap(overrides: Record<string, string | undefined> = {}) {
  const form = ldapForm(overrides);
  const response = await admin.post('/admin/assisted/ldap/new', form);
  expect(response.status).toBe(303);
  return form['name']!;
}

const rowNames = (html: string, area: string) => [...html.matchAll(new RegExp(`data-testid="${area}-row" data-name="([^"]+)"`, 'g'))].map((m) => m[1]);

describe('the Assisted login section', () => {
  it('is in the navigation, opens on the assisted login profiles and has a tab per kind', async () => {
    const start = await admin.get('/admin/assisted');
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/admin/assisted/profiles');
    const html = await (await admin.follow(start)).text();
    expect(html).toContain('data-testid="nav-assisted"');
    for (const area of ['profiles', 'users', 'ldap', 'entra']) expect(html).toContain(`data-testid="subnav-${area}"`);
    expect(html).toContain('<a href="/admin/assisted/profiles" aria-current="page" data-testid="subnav-profiles">');
  });
});

describe('LDAP profiles in the console', () => {
  it('creates one, never shows its bind password again, and Test finds a person with masked phone and groups', async () => {
    const form = ldapForm();
    const created = await admin.post('/admin/assisted/ldap/new', form);
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe(`/admin/assisted/ldap/${form['name']}`);
    const editor = await (await admin.follow(created)).text();
    expect(testIdText(editor, 'flash')).toContain(`LDAP profile “${form['name']}” created`);
    expect(editor).not.toContain(BIND_PASSWORD);
    expect(controlAttribute(editor, 'ldap-bindPassword', 'value')).toBeNull();
    // Empty attribute fields took the usual names.
    expect(controlAttribute(editor, 'ldap-phoneAttribute', 'value')).toBe('mobile');
    expect(controlAttribute(editor, 'ldap-groupAttribute', 'value')).toBe('memberOf');
    expect(await findLdapProfile(db(), form['name']!)).toMatchObject({ url: env.TEST_LDAP_URL, startTls: false, timeoutSeconds: 3 });

    const list = await (await admin.get('/admin/assisted/ldap')).text();
    expect(rowNames(list, 'ldap')).toContain(form['name']);
    expect(list).not.toContain(BIND_PASSWORD);

    const test = await admin.post(`/admin/assisted/ldap/${form['name']}/test`, { id: 'alice' });
    expect(test.status).toBe(200);
    const result = await test.text();
    expect(result).toContain('data-outcome="found"');
    expect(testIdText(result, 'test-result')).toContain('Found Alice Andersson');
    expect(testIdText(result, 'test-phone')).toMatch(/^\+46 ?70.*01$/);
    expect(result).not.toContain('+46701110001');
    expect(testIdText(result, 'test-groups')).toContain('staff');
    expect(controlAttribute(result, 'ldap-test-id', 'value')).toBe('alice');
  });

  it('says who was not found, and why a wrong password or an unreachable directory failed, in words', async () => {
    const name = await createLdap();
    const missing = await (await admin.post(`/admin/assisted/ldap/${name}/test`, { id: 'nobody-here' })).text();
    expect(missing).toContain('data-outcome="not-found"');
    expect(testIdText(missing, 'test-result')).toContain('nobody');

    const wrong = await createLdap({ bindPassword: 'not-the-password' });
    const refused = await (await admin.post(`/admin/assisted/ldap/${wrong}/test`, { id: 'alice' })).text();
    expect(refused).toContain('data-outcome="failed"');
    expect(testIdText(refused, 'test-result')?.toLowerCase()).toMatch(/password|credentials|bind/);
    expect(refused).not.toContain('not-the-password');

    const away = await createLdap({ url: 'ldap://127.0.0.1:1', timeoutSeconds: '1' });
    const unreachable = await (await admin.post(`/admin/assisted/ldap/${away}/test`, { id: 'alice' })).text();
    expect(unreachable).toContain('data-outcome="failed"');
  });

  it('keeps the stored password when saved with the password left empty, and uses a new one when typed', async () => {
    const name = await createLdap();
    const saved = await admin.post(`/admin/assisted/ldap/${name}`, ldapForm({ name, bindPassword: '', baseDn: 'ou=people,dc=example,dc=test' }));
    expect(saved.status).toBe(303);
    expect(await findLdapProfile(db(), name)).toMatchObject({ baseDn: 'ou=people,dc=example,dc=test' });
    expect(await (await admin.post(`/admin/assisted/ldap/${name}/test`, { id: 'bob' })).text()).toContain('data-outcome="found"');

    await admin.post(`/admin/assisted/ldap/${name}`, ldapForm({ name, bindPassword: 'changed-wrongly' }));
    expect(await (await admin.post(`/admin/assisted/ldap/${name}/test`, { id: 'bob' })).text()).toContain('data-outcome="failed"');
  });

  it('refuses bad settings beside their fields, keeps what was typed and saves nothing', async () => {
    const form = ldapForm({ url: 'https://ldap.example.com', userFilter: '(uid=alice)', timeoutSeconds: '90' });
    const response = await admin.post('/admin/assisted/ldap/new', form);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'ldap-url')).toContain('ldaps://host');
    expect(fieldError(html, 'ldap-userFilter')).toContain('{id}');
    expect(fieldError(html, 'ldap-timeoutSeconds')).toBe('Must be at most 30');
    expect(controlAttribute(html, 'ldap-url', 'value')).toBe('https://ldap.example.com');
    expect(controlAttribute(html, 'ldap-bindPassword', 'value')).toBeNull();
    expect(testIdText(html, 'error-summary')).toContain('URL:');
    expect(await findLdapProfile(db(), form['name']!)).toBeNull();
  });

  it('shows a read-only user the settings without Save or Test, and refuses their changes with 403', async () => {
    const name = await createLdap();
    const html = await (await reader.get(`/admin/assisted/ldap/${name}`)).text();
    expect(html).toContain('data-testid="read-only-notice"');
    expect(countTestIds(html, 'save-ldap')).toBe(0);
    expect(countTestIds(html, 'run-test')).toBe(0);
    expect((await reader.post(`/admin/assisted/ldap/${name}`, ldapForm({ name, baseDn: 'dc=changed' }))).status).toBe(403);
    expect((await reader.post(`/admin/assisted/ldap/${name}/test`, { id: 'alice' })).status).toBe(403);
    expect((await reader.post(`/admin/assisted/ldap/${name}/delete`)).status).toBe(403);
    expect(await findLdapProfile(db(), name)).toMatchObject({ baseDn: 'dc=example,dc=test' });
  });

  it('refuses to delete one an endpoint uses, naming the endpoint; deletes it once unused', async () => {
    const name = await createLdap();
    const endpoint = `uses-ldap-${++sequence}`;
    await seedProfile(endpoint, { assistedLogin: { profile: null, useLocalDatabase: false, ldapProfiles: [name], entraProfiles: [] } });
    const list = await (await admin.get('/admin/assisted/ldap')).text();
    expect(list).toContain(endpoint);
    const confirm = await admin.get(`/admin/assisted/ldap/${name}/delete`);
    expect(confirm.status).toBe(303);
    expect(testIdText(await (await admin.follow(confirm)).text(), 'flash')).toContain(endpoint);
    expect((await admin.post(`/admin/assisted/ldap/${name}/delete`)).status).toBe(400);
    expect(await findLdapProfile(db(), name)).not.toBeNull();

    const unused = await createLdap();
    const deleted = await admin.post(`/admin/assisted/ldap/${unused}/delete`);
    expect(deleted.status).toBe(303);
    expect(testIdText(await (await admin.follow(deleted)).text(), 'flash')).toContain('deleted');
    expect(await findLdapProfile(db(), unused)).toBeNull();
  });
});

describe('Entra ID profiles in the console', () => {
  it('creates one with a write-only client secret and refuses a client id that is not a GUID', async () => {
    const bad = await admin.post('/admin/assisted/entra/new', { name: 'contoso', tenantId: 'contoso.onmicrosoft.com', clientId: 'my-app', clientSecret: 'very-secret-value' });
    expect(bad.status).toBe(400);
    const refused = await bad.text();
    expect(fieldError(refused, 'entra-clientId')).toContain('GUID');
    expect(refused).not.toContain('very-secret-value');

    const created = await admin.post('/admin/assisted/entra/new', { name: 'contoso', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'very-secret-value' });
    expect(created.status).toBe(303);
    const editor = await (await admin.follow(created)).text();
    expect(editor).not.toContain('very-secret-value');
    expect(controlAttribute(editor, 'entra-tenantId', 'value')).toBe('contoso.onmicrosoft.com');
    expect(editor).toContain('data-testid="test-panel"');
  });
});

describe('assisted login profiles in the console', () => {
  it('offers a new profile with the defaults, and a live name check', async () => {
    const html = await (await admin.get('/admin/assisted/profiles/new')).text();
    expect(controlAttribute(html, 'assisted-sessionTimeoutSeconds', 'value')).toBe('120');
    expect(controlAttribute(html, 'assisted-notificationAttribute', 'value')).toBe('displayName');
    expect(textareaValue(html, 'assisted-approverIdAttributes')).toBe('sAMAccountName\nuid\nmail\nmobile');
    expect(controlAttribute(html, 'assisted-name', 'data-name-check')).toBe('/admin/api/assisted-login-profile-name-check');
    for (const panel of ['general', 'approvers', 'users']) expect(html).toContain(`data-testid="panel-${panel}"`);
  });

  it('creates and edits one; the list shows its kind', async () => {
    const form = assistedForm({ userGroups: 'staff\ncontractors' });
    const created = await admin.post('/admin/assisted/profiles/new', form);
    expect(created.status).toBe(303);
    expect(await findAssistedLoginProfile(db(), form['name']!)).toMatchObject({
      kind: 'normal',
      notificationAttribute: 'displayName',
      approverIdAttributes: ['uid', 'mail'],
      approverGroups: ['helpdesk'],
      managerApproves: false,
      groupsMatchingPartInCn: false,
      userGroups: ['staff', 'contractors'],
    });
    const saved = await admin.post(`/admin/assisted/profiles/${form['name']}`, { ...form, managerApproves: 'on', kind: 'federation' });
    expect(saved.status).toBe(303);
    expect(await findAssistedLoginProfile(db(), form['name']!)).toMatchObject({ kind: 'federation', managerApproves: true });
    const list = await (await admin.get('/admin/assisted/profiles')).text();
    expect(rowNames(list, 'profiles')).toContain(form['name']);
    expect(list).toContain('Federation (Entra ID)');
  });

  it('refuses a rule that names no approvers, beside the approver groups, and saves nothing', async () => {
    const form = assistedForm({ approverGroups: '', sessionTimeoutSeconds: '5' });
    const response = await admin.post('/admin/assisted/profiles/new', form);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'assisted-approverGroups')).toContain('at least one way to find approvers');
    expect(fieldError(html, 'assisted-sessionTimeoutSeconds')).toBe('Must be at least 15');
    expect(textareaValue(html, 'assisted-approverIdAttributes')).toBe('uid\nmail');
    expect(await findAssistedLoginProfile(db(), form['name']!)).toBeNull();
  });

  it('answers the name check: free, taken, or invalid', async () => {
    const form = assistedForm();
    await admin.post('/admin/assisted/profiles/new', form);
    const check = async (name: string) => (await consoleFetch('GET', `/admin/api/assisted-login-profile-name-check?name=${encodeURIComponent(name)}`, { cookie: admin.cookie })).json();
    expect(await check(form['name']!)).toMatchObject({ available: false, reason: 'is already taken' });
    expect(await check('a-free-name')).toMatchObject({ available: true });
    expect(await check('bad/name')).toMatchObject({ available: false });
  });
});

describe('the local user database in the console', () => {
  it('adds a person; the list and editor show the phone masked only', async () => {
    const created = await admin.post('/admin/assisted/users/new', { username: 'ulla', displayName: 'Ulla Ulm', phone: '+46 70 555 12 34', email: 'ulla@example.com', groups: 'staff\nteam-red-users', manager: '' });
    expect(created.status).toBe(303);
    const list = await (await admin.follow(created)).text();
    expect(testIdText(list, 'flash')).toContain('“ulla” added');
    expect(rowNames(list, 'user')).toContain('ulla');
    expect(list).not.toContain('+46705551234');
    const editor = await (await admin.get('/admin/assisted/users/ulla')).text();
    expect(controlAttribute(editor, 'user-phone', 'value')).toBe('');
    expect(editor).not.toContain('+46705551234');
    expect(textareaValue(editor, 'user-groups')).toBe('staff\nteam-red-users');
  });

  it('keeps the phone when saved with it empty, removes it when asked, and refuses an unknown manager beside the field', async () => {
    await admin.post('/admin/assisted/users/new', { username: 'vera', displayName: 'Vera', phone: '+46705551235', email: '', groups: '', manager: '' });
    const form = { username: 'vera', displayName: 'Vera V', phone: '', email: '', groups: '', manager: '' };
    expect((await admin.post('/admin/assisted/users/vera', form)).status).toBe(303);
    expect(await findDirectoryUser(db(), 'vera')).toMatchObject({ displayName: 'Vera V', phoneMasked: expect.stringMatching(/35$/) });

    const refused = await admin.post('/admin/assisted/users/vera', { ...form, manager: 'nobody-known' });
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'user-manager')).toContain('Names no user');

    expect((await admin.post('/admin/assisted/users/vera', { ...form, removePhone: 'on' })).status).toBe(303);
    expect(await findDirectoryUser(db(), 'vera')).toMatchObject({ phoneMasked: null, phoneEncrypted: null });
  });

  it('imports pasted CSV, and refuses a bad file row by row with nothing imported', async () => {
    const refused = await admin.post('/admin/assisted/users/import', { csv: 'username,phone,manager\nwilma,+46705551236,\nxena,12,\nyara,,nobody\n' });
    expect(refused.status).toBe(400);
    const errors = testIdText(await refused.text(), 'import-errors') ?? '';
    expect(errors).toContain('Row 3.phone');
    expect(errors).toContain('Row 4.manager');
    expect(await findDirectoryUser(db(), 'wilma')).toBeNull();

    const imported = await admin.post('/admin/assisted/users/import', { csv: 'username,displayName,phone,groups,manager\nwilma,Wilma,+46705551236,staff;helpdesk,\nxena,Xena,,staff,wilma\n' });
    expect(imported.status).toBe(303);
    expect(testIdText(await (await admin.follow(imported)).text(), 'flash')).toContain('2 added, 0 updated');
    expect(await findDirectoryUser(db(), 'xena')).toMatchObject({ manager: 'wilma', groups: ['staff'] });
    expect(await findDirectoryUser(db(), 'wilma')).toMatchObject({ groups: ['staff', 'helpdesk'] });
  });

  it('imports a chosen CSV file, updating people already there', async () => {
    const upload = new FormData();
    upload.set('csv', '');
    upload.set('file', new File(['username,displayName\nwilma,Wilma Updated\nyrsa,Yrsa\n'], 'people.csv', { type: 'text/csv' }));
    const response = await consoleFetch('POST', '/admin/assisted/users/import', { cookie: admin.cookie, multipart: upload });
    expect(response.status).toBe(303);
    expect(await findDirectoryUser(db(), 'yrsa')).toMatchObject({ displayName: 'Yrsa' });
    expect(await findDirectoryUser(db(), 'wilma')).toMatchObject({ displayName: 'Wilma Updated', groups: ['staff', 'helpdesk'] });
  });

  it('searches the list, and refuses to delete a manager of others, saying whom', async () => {
    await admin.post('/admin/assisted/users/new', { username: 'boss', displayName: 'Big Boss', phone: '', email: '', groups: '', manager: '' });
    await admin.post('/admin/assisted/users/new', { username: 'minion', displayName: 'Little Minion', phone: '', email: '', groups: '', manager: 'boss' });
    const found = await (await admin.get('/admin/assisted/users?search=minion')).text();
    expect(rowNames(found, 'user')).toEqual(['minion']);

    const refused = await admin.post('/admin/assisted/users/boss/delete');
    expect(refused.status).toBe(303);
    expect(testIdText(await (await admin.follow(refused)).text(), 'flash')).toContain('minion');
    expect(await findDirectoryUser(db(), 'boss')).not.toBeNull();

    expect((await admin.post('/admin/assisted/users/minion/delete')).status).toBe(303);
    expect(await findDirectoryUser(db(), 'minion')).toBeNull();
  });

  it('is read-only for read-only users', async () => {
    const html = await (await reader.get('/admin/assisted/users')).text();
    expect(countTestIds(html, 'new-user')).toBe(0);
    expect(countTestIds(html, 'import-form')).toBe(0);
    expect((await reader.post('/admin/assisted/users/new', { username: 'sneaky' })).status).toBe(403);
    expect(await findDirectoryUser(db(), 'sneaky')).toBeNull();
  });
});

describe("the endpoint editor's Assisted Login tab", () => {
  it('chooses an assisted login profile and the LDAP profiles searched, in order', async () => {
    const rule = assistedForm();
    await admin.post('/admin/assisted/profiles/new', rule);
    const first = await createLdap();
    const second = await createLdap();
    const endpoint = `assisted-endpoint-${++sequence}`;
    await seedProfile(endpoint);
    const editor = await (await admin.get(`/admin/profiles/${endpoint}`)).text();
    expect(editor).toContain(`<option value="${rule['name']}">${rule['name']} · Normal (LDAP and local users)</option>`);
    expect(editor).not.toContain('arrive in a later release');

    const saved = await admin.post(
      `/admin/profiles/${endpoint}`,
      editorForm({ name: endpoint, 'assistedLogin.profile': rule['name'], [`ldap:${first}`]: 'on', [`ldap-order:${first}`]: '2', [`ldap:${second}`]: 'on', [`ldap-order:${second}`]: '1' }),
    );
    expect(saved.status).toBe(303);
    expect((await findProfile(db(), endpoint))?.assistedLogin).toEqual({ profile: rule['name'], useLocalDatabase: false, ldapProfiles: [second, first], entraProfiles: [] });
    const shown = await (await admin.get(`/admin/profiles/${endpoint}`)).text();
    expect(controlAttribute(shown, 'profile-assistedLogin-profile', 'data-testid')).toBe('assisted-profile');
    expect(shown).toContain(`<option value="${rule['name']}" selected="">`);
    // The rule and the repositories now say which endpoint uses them.
    expect(await (await admin.get('/admin/assisted/profiles')).text()).toContain(endpoint);
  });

  it('refuses an assisted login profile without a repository, or with repositories of the other kind, beside the fields', async () => {
    const rule = assistedForm();
    await admin.post('/admin/assisted/profiles/new', rule);
    const endpoint = `assisted-endpoint-${++sequence}`;
    await seedProfile(endpoint);
    const none = await admin.post(`/admin/profiles/${endpoint}`, editorForm({ name: endpoint, 'assistedLogin.profile': rule['name'] }));
    expect(none.status).toBe(400);
    expect(testIdText(await none.text(), 'error-summary')).toMatch(/repositor/i);
    expect((await findProfile(db(), endpoint))?.assistedLogin.profile).toBeNull();
  });
});
