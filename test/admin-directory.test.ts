/**
 * Assisted login's configuration through /admin/api: the local user database (and its CSV import),
 * LDAP and Entra ID profiles with their Test button, and assisted login profiles. Real D1; the LDAP
 * profiles talk to a real OpenLDAP (scripts/ldap-server.mjs, seeded from test/ldap/directory.ldif).
 */
import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLdapProfile } from '../src/admin/directory';
import { ApiError } from '../src/domain/api-error';
import { CsvSyntaxError, parseCsv } from '../src/domain/csv';
import { clearEntraTokenCache } from '../src/directory/entra';
import { openDirectorySecret } from '../src/security/directory-secrets';
import { adminFetch, type Caller, db, errorFields, json, signedInAs } from './admin-client';
import { fakeEndpoint } from './support';

/** The test directory's ldap:// URL, from the server test/ldap/global-setup.ts starts (vitest.config.ts binds it). */
const LDAP_URL = env.TEST_LDAP_URL;
const BIND_PASSWORD = 'reader-secret';
const ldapProfile = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  url: LDAP_URL,
  startTls: false,
  bindDn: 'cn=sfwa-reader,dc=example,dc=test',
  bindPassword: BIND_PASSWORD,
  baseDn: 'dc=example,dc=test',
  userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
  ...extra,
});

const TENANT = '5f1c2d3e-0000-4000-8000-00000000c0de';
const CLIENT_ID = '0a1b2c3d-0000-4000-8000-000000000001';
const CLIENT_SECRET = 'Xy7~entra.client-secret_42';
const entraProfile = (name: string, extra: Record<string, unknown> = {}) => ({ name, tenantId: TENANT, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...extra });

let asAdmin: Caller;
let asUser: Caller;
beforeAll(async () => {
  asAdmin = await signedInAs('admin');
  asUser = await signedInAs('user');
});

afterEach(() => {
  clearEntraTokenCache();
  vi.restoreAllMocks();
});

const rawRow = (table: string, column: string, name: string) => env.DB.prepare(`SELECT * FROM ${table} WHERE ${column} = ?`).bind(name).first<Record<string, unknown>>();

/** An endpoint profile whose assisted login names these repositories and rule. */
async function endpointUsing(name: string, assistedLogin: Record<string, unknown>) {
  expect((await asAdmin('POST', '/profiles', { name })).status).toBe(201);
  expect((await asAdmin('PATCH', `/profiles/${name}`, { assistedLogin })).status).toBe(200);
}
const endpointAssistedLogin = async (name: string) => (await json(await asAdmin('GET', `/profiles/${name}`))).assistedLogin;

/** The audit entries of one action, newest first. */
const auditEntries = async (action: string) => (await json(await asAdmin('GET', `/audit-log?action=${action}&size=200`))).items as any[];

// ---- The local user database ----

describe('the local user database', () => {
  it('creates a user, shows the phone masked, stores it sealed, and finds them by any case of the username', async () => {
    const response = await asAdmin('POST', '/directory-users', { username: 'Ulla', displayName: 'Ulla Ulf', phone: '+46 70 222 00 01', email: 'ulla@example.test', groups: ['staff'] });
    expect(response.status).toBe(201);
    const view = await json(response);
    expect(view).toEqual({ username: 'Ulla', displayName: 'Ulla Ulf', phone: '+4670*****01', email: 'ulla@example.test', groups: ['staff'], manager: null });
    expect(await json(await asAdmin('GET', '/directory-users/ulla'))).toEqual(view);

    const row = await rawRow('directory_users', 'username', 'Ulla');
    expect(row?.phone_encrypted).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain('46702220001');
  });

  it('refuses a username taken in another case, a bad phone and an unknown field, naming each', async () => {
    await asAdmin('POST', '/directory-users', { username: 'viktor' });
    const taken = await asAdmin('POST', '/directory-users', { username: 'VIKTOR' });
    expect(taken.status).toBe(409);
    expect(await json(taken)).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'username', message: 'is already taken' }] });

    const invalid = await asAdmin('POST', '/directory-users', { username: 'wilma', phone: '12', colour: 'red' });
    expect(invalid.status).toBe(400);
    expect(await errorFields(invalid)).toEqual(expect.arrayContaining(['phone', '(body)']));
    expect((await asAdmin('GET', '/directory-users/wilma')).status).toBe(404);
  });

  it('takes a manager only when they exist and are someone else', async () => {
    const unknown = await asAdmin('POST', '/directory-users', { username: 'xena', manager: 'nobody-here' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).errors).toEqual([{ field: 'manager', message: 'names no user in the local user database' }]);

    const self = await asAdmin('POST', '/directory-users', { username: 'xena', manager: 'XENA' });
    expect(await errorFields(self)).toEqual(['manager']);

    await asAdmin('POST', '/directory-users', { username: 'Yngve' });
    const managed = await json(await asAdmin('POST', '/directory-users', { username: 'xena', manager: 'yngve' }));
    expect(managed.manager).toBe('Yngve');
    expect(await errorFields(await asAdmin('PATCH', '/directory-users/xena', { manager: 'xena' }))).toEqual(['manager']);
  });

  it('merges a patch, keeping the phone unless it is given, and null clears it', async () => {
    await asAdmin('POST', '/directory-users', { username: 'zlatan', phone: '+46702220002', groups: ['a'] });
    const renamed = await json(await asAdmin('PATCH', '/directory-users/zlatan', { displayName: 'Zlatan Z' }));
    expect(renamed).toMatchObject({ displayName: 'Zlatan Z', phone: '+4670*****02', groups: ['a'] });
    const cleared = await json(await asAdmin('PATCH', '/directory-users/zlatan', { phone: null }));
    expect(cleared.phone).toBeNull();
    expect((await rawRow('directory_users', 'username', 'zlatan'))?.phone_key).toBeNull();
  });

  it('follows a rename in the users they manage, and refuses to delete a manager', async () => {
    await asAdmin('POST', '/directory-users', { username: 'boss-1' });
    await asAdmin('POST', '/directory-users', { username: 'worker-1', manager: 'boss-1' });
    expect((await asAdmin('PATCH', '/directory-users/boss-1', { username: 'boss-2' })).status).toBe(200);
    expect((await json(await asAdmin('GET', '/directory-users/worker-1'))).manager).toBe('boss-2');

    const refused = await asAdmin('DELETE', '/directory-users/boss-2');
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toBe('"boss-2" is the manager of "worker-1": give them another manager first');

    expect((await asAdmin('PATCH', '/directory-users/worker-1', { manager: null })).status).toBe(200);
    expect((await asAdmin('DELETE', '/directory-users/boss-2')).status).toBe(204);
    expect((await asAdmin('GET', '/directory-users/boss-2')).status).toBe(404);
    expect((await asAdmin('DELETE', '/directory-users/boss-2')).status).toBe(404);
  });

  it('lists in pages, searching usernames and display names', async () => {
    for (const [username, displayName] of [['page-a', 'Paging Person'], ['page-b', 'Paging Person'], ['page-c', 'Someone Else']]) {
      await asAdmin('POST', '/directory-users', { username, displayName });
    }
    const page = await json(await asAdmin('GET', '/directory-users?search=paging&page=1&size=1'));
    expect(page).toEqual({ items: [expect.objectContaining({ username: 'page-b' })], page: 1, size: 1, total: 2 });
    const all = await json(await asAdmin('GET', '/directory-users?search=page-&size=200'));
    expect(all.items.map((user: { username: string }) => user.username)).toEqual(['page-a', 'page-b', 'page-c']);
    expect(await errorFields(await asAdmin('GET', '/directory-users?size=0'))).toEqual(['size']);

    // "_" and "%" are searched for as themselves, not as LIKE wildcards.
    await asAdmin('POST', '/directory-users', { username: 'under_score' });
    await asAdmin('POST', '/directory-users', { username: 'underXscore' });
    const literal = await json(await asAdmin('GET', '/directory-users?search=under_'));
    expect(literal.items.map((user: { username: string }) => user.username)).toEqual(['under_score']);
  });

  it('records changes in the audit log with the phone masked only', async () => {
    await asAdmin('POST', '/directory-users', { username: 'audited-user', phone: '+46702220003' });
    await asAdmin('PATCH', '/directory-users/audited-user', { phone: '+46702220004' });
    const [created] = (await auditEntries('directory-user.create')).filter((entry) => entry.target === 'audited-user');
    expect(created.changes).toEqual({ phone: { to: '+4670*****03' } });
    const [updated] = (await auditEntries('directory-user.update')).filter((entry) => entry.target === 'audited-user');
    expect(updated.changes).toEqual({ phone: { from: '+4670*****03', to: '+4670*****04' } });
    expect(JSON.stringify(await auditEntries('directory-user.update'))).not.toMatch(/4670222000[34]/);
  });
});

// ---- CSV import ----

describe('reading CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, after a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\n"two\nlines",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\nlines', ''],
    ]);
    expect(parseCsv('a,b\n\nc,d')).toEqual([['a', 'b'], [''], ['c', 'd']]);
  });

  it('refuses an unclosed quote and text after a closing quote, naming the row', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open')).toThrow('never closed');
    try {
      parseCsv('a\nb\n"x"y');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ row: 3, message: expect.stringContaining('after a closing quote') });
    }
  });
});

describe('importing users from CSV', () => {
  it('creates new users and updates existing ones in the columns given', async () => {
    await asAdmin('POST', '/directory-users', { username: 'csv-old', displayName: 'Old Name', phone: '+46702220010', groups: ['x'] });
    const csv = [
      'username,displayName,phone,email,groups,manager',
      'csv-boss,"Boss, The",+46702220011,boss@example.test,staff;helpdesk,',
      'csv-new,"Nils ""Nisse"" N",,,staff,csv-boss',
      'CSV-OLD,New Name,+46702220012,,y;z,csv-boss',
    ].join('\r\n');
    const response = await asAdmin('POST', '/directory-users/import', { csv });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ created: 2, updated: 1 });
    expect(await json(await asAdmin('GET', '/directory-users/csv-boss'))).toEqual({
      username: 'csv-boss',
      displayName: 'Boss, The',
      phone: '+4670*****11',
      email: 'boss@example.test',
      groups: ['staff', 'helpdesk'],
      manager: null,
    });
    expect(await json(await asAdmin('GET', '/directory-users/csv-new'))).toMatchObject({ displayName: 'Nils "Nisse" N', phone: null, manager: 'csv-boss' });
    expect(await json(await asAdmin('GET', '/directory-users/csv-old'))).toMatchObject({ username: 'CSV-OLD', displayName: 'New Name', phone: '+4670*****12', groups: ['y', 'z'] });

    // Columns left out keep what is stored.
    expect(await json(await asAdmin('POST', '/directory-users/import', { csv: 'username,displayName\ncsv-old,Only The Name\n' }))).toEqual({ created: 0, updated: 1 });
    expect(await json(await asAdmin('GET', '/directory-users/csv-old'))).toMatchObject({ displayName: 'Only The Name', phone: '+4670*****12', groups: ['y', 'z'] });

    const [entry] = await auditEntries('directory-user.import');
    expect(entry.changes).toEqual({ created: '0', updated: '1: csv-old' });
  });

  it('changes nothing when any row is invalid, and names each bad row and field', async () => {
    await asAdmin('POST', '/directory-users', { username: 'csv-kept', displayName: 'Kept' });
    const csv = [
      'username,displayName,phone,email,groups,manager',
      'csv-fine,Fine,+46702220020,,,',
      'csv-bad-phone,Bad,12345,,,',
      'csv-kept,Changed,,,,nobody-known',
      'csv-fine,Twice,,,,',
    ].join('\n');
    const response = await asAdmin('POST', '/directory-users/import', { csv });
    expect(response.status).toBe(400);
    const { errors } = await json(response);
    expect(errors.map((error: { field: string }) => error.field)).toEqual(['row 3.phone', 'row 4.manager', 'row 5.username']);
    expect(errors[0].message).toMatch(/international format/);
    expect((await asAdmin('GET', '/directory-users/csv-fine')).status).toBe(404);
    expect((await json(await asAdmin('GET', '/directory-users/csv-kept'))).displayName).toBe('Kept');
  });

  it('refuses an unknown header column and a broken quote', async () => {
    const header = await asAdmin('POST', '/directory-users/import', { csv: 'username,shoeSize\nsomeone,42' });
    expect((await json(header)).errors).toEqual([{ field: 'row 1', message: expect.stringContaining('"shoeSize"') }]);
    const quote = await asAdmin('POST', '/directory-users/import', { csv: 'username\n"someone' });
    expect(await errorFields(quote)).toEqual(['row 2']);
    expect((await asAdmin('GET', '/directory-users/someone')).status).toBe(404);
  });
});

// ---- LDAP profiles ----

describe('LDAP profiles', () => {
  it('are created with defaults, shown without the bind password, which is stored sealed', async () => {
    const response = await asAdmin('POST', '/ldap-profiles', ldapProfile('corp'));
    expect(response.status).toBe(201);
    const view = await json(response);
    expect(view).toEqual({
      name: 'corp',
      url: LDAP_URL,
      startTls: false,
      bindDn: 'cn=sfwa-reader,dc=example,dc=test',
      bindPasswordSet: true,
      baseDn: 'dc=example,dc=test',
      userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
      phoneAttribute: 'mobile',
      displayNameAttribute: 'displayName',
      groupAttribute: 'memberOf',
      managerAttribute: 'manager',
      timeoutSeconds: 5,
      usedBy: [],
    });
    expect(await json(await asAdmin('GET', '/ldap-profiles/corp'))).toEqual(view);
    expect(JSON.stringify(await json(await asAdmin('GET', '/ldap-profiles')))).not.toContain(BIND_PASSWORD);

    const sealed = (await rawRow('ldap_profiles', 'name', 'corp'))?.bind_password_sealed as string;
    expect(sealed).not.toContain(BIND_PASSWORD);
    expect(await openDirectorySecret(env, sealed)).toBe(BIND_PASSWORD);
  });

  it('refuse a taken name, a user filter without {id}, a URL that is not ldap(s):// and a missing password', async () => {
    await asAdmin('POST', '/ldap-profiles', ldapProfile('taken-ldap'));
    const taken = await asAdmin('POST', '/ldap-profiles', ldapProfile('taken-ldap'));
    expect(taken.status).toBe(409);
    expect(await errorFields(taken)).toEqual(['name']);

    const { bindPassword: _password, ...withoutPassword } = ldapProfile('bad-ldap', { userFilter: '(uid=alice)', url: 'https://ldap.example.test' });
    const invalid = await asAdmin('POST', '/ldap-profiles', withoutPassword);
    expect(invalid.status).toBe(400);
    const { errors } = await json(invalid);
    expect(errors.map((error: { field: string }) => error.field).sort()).toEqual(['bindPassword', 'url', 'userFilter']);
    expect(errors.find((error: { field: string }) => error.field === 'userFilter').message).toContain('{id}');
    expect((await asAdmin('GET', '/ldap-profiles/bad-ldap')).status).toBe(404);
  });

  it('keep the bind password when a patch leaves it out, and record only that it changed', async () => {
    await asAdmin('POST', '/ldap-profiles', ldapProfile('patched'));
    const patched = await asAdmin('PATCH', '/ldap-profiles/patched', { timeoutSeconds: 3 });
    expect(await json(patched)).toMatchObject({ timeoutSeconds: 3, bindPasswordSet: true });
    expect(await json(await asAdmin('POST', '/ldap-profiles/patched/test', { id: 'alice' }))).toMatchObject({ ok: true, found: true });

    expect(await errorFields(await asAdmin('PATCH', '/ldap-profiles/patched', { timeoutSeconds: 0 }))).toEqual(['timeoutSeconds']);
    expect((await asAdmin('PATCH', '/ldap-profiles/patched', { bindPassword: 'new-password-1' })).status).toBe(200);
    const updates = (await auditEntries('ldap-profile.update')).filter((entry) => entry.target === 'patched');
    expect(updates.map((entry) => entry.changes)).toEqual([{ bindPassword: 'changed' }, { timeoutSeconds: { from: 5, to: 3 } }]);
    const [created] = (await auditEntries('ldap-profile.create')).filter((entry) => entry.target === 'patched');
    expect(created.changes).toMatchObject({ bindPassword: 'set', url: { to: LDAP_URL } });
    const everything = JSON.stringify(await json(await asAdmin('GET', '/audit-log?size=200')));
    expect(everything).not.toContain(BIND_PASSWORD);
    expect(everything).not.toContain('new-password-1');
  });

  it('cannot be deleted while an endpoint profile uses one; a rename follows into the endpoint', async () => {
    await asAdmin('POST', '/ldap-profiles', ldapProfile('used-ldap'));
    await endpointUsing('shop-ldap', { ldapProfiles: ['used-ldap'] });
    expect((await json(await asAdmin('GET', '/ldap-profiles/used-ldap'))).usedBy).toEqual(['shop-ldap']);

    const refused = await asAdmin('DELETE', '/ldap-profiles/used-ldap');
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toBe('LDAP profile "used-ldap" is used by the endpoint profile "shop-ldap": remove it from its assisted login settings first');

    const renamed = await json(await asAdmin('PATCH', '/ldap-profiles/used-ldap', { name: 'renamed-ldap' }));
    expect(renamed).toMatchObject({ name: 'renamed-ldap', usedBy: ['shop-ldap'] });
    expect((await endpointAssistedLogin('shop-ldap')).ldapProfiles).toEqual(['renamed-ldap']);

    await asAdmin('PATCH', '/profiles/shop-ldap', { assistedLogin: { ldapProfiles: [] } });
    expect((await asAdmin('DELETE', '/ldap-profiles/renamed-ldap')).status).toBe(204);
    expect((await asAdmin('GET', '/ldap-profiles/renamed-ldap')).status).toBe(404);
    expect((await auditEntries('ldap-profile.delete')).map((entry) => entry.target)).toContain('renamed-ldap');
  });
});

describe("an LDAP profile's Test button", () => {
  beforeAll(async () => {
    await asAdmin('POST', '/ldap-profiles', ldapProfile('tested'));
    await asAdmin('POST', '/ldap-profiles', ldapProfile('wrong-password', { bindPassword: 'not-the-password' }));
    await asAdmin('POST', '/ldap-profiles', ldapProfile('unreachable', { url: 'ldap://127.0.0.1:1' }));
  });
  const test = async (profile: string, id: string) => {
    const response = await asAdmin('POST', `/ldap-profiles/${profile}/test`, { id });
    expect(response.status).toBe(200);
    return json(response);
  };

  it('finds a user by the user filter, with masked phone, groups and manager', async () => {
    expect(await test('tested', 'alice')).toEqual({
      ok: true,
      found: true,
      ref: 'uid=alice,ou=people,dc=example,dc=test',
      displayName: 'Alice Andersson',
      phone: '+4670*****01',
      groups: expect.arrayContaining(['staff', 'team-red-users']),
      managerRef: 'uid=maria,ou=people,dc=example,dc=test',
      ms: expect.any(Number),
    });
  });

  it('finds a user by mail too, and says why there is no phone', async () => {
    expect(await test('tested', 'bob@example.test')).toMatchObject({ found: true, displayName: 'Bob Berg', phone: '+4670*****02' });
    expect(await test('tested', 'nora')).toMatchObject({ found: true, phone: null, phoneProblem: 'no mobile attribute' });
  });

  it('says when nobody has the id', async () => {
    expect(await test('tested', 'nobody-at-all')).toEqual({ ok: true, found: false, message: expect.stringMatching(/^No user "nobody-at-all" in LDAP profile "tested"/), ms: expect.any(Number) });
  });

  it('reports a refused bind and an unreachable server as not ok, quickly', async () => {
    expect(await test('wrong-password', 'alice')).toEqual({ ok: false, message: expect.stringContaining('invalid credentials'), ms: expect.any(Number) });
    const started = Date.now();
    const unreachable = await test('unreachable', 'alice');
    expect(unreachable).toEqual({ ok: false, message: expect.stringContaining('ldap://127.0.0.1:1'), ms: expect.any(Number) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 404 for an unknown profile and 400 without an id', async () => {
    expect((await asAdmin('POST', '/ldap-profiles/nowhere/test', { id: 'alice' })).status).toBe(404);
    expect(await errorFields(await asAdmin('POST', '/ldap-profiles/tested/test', {}))).toEqual(['id']);
  });
});

// ---- Entra ID profiles ----

describe('Entra ID profiles', () => {
  it('are created without showing the client secret, which is stored sealed and kept by a patch leaving it out', async () => {
    const response = await asAdmin('POST', '/entra-profiles', entraProfile('contoso'));
    expect(response.status).toBe(201);
    const view = await json(response);
    expect(view).toEqual({ name: 'contoso', tenantId: TENANT, clientId: CLIENT_ID, clientSecretSet: true, usedBy: [] });
    expect(await json(await asAdmin('GET', '/entra-profiles'))).toEqual(expect.arrayContaining([view]));

    const sealed = (await rawRow('entra_profiles', 'name', 'contoso'))?.client_secret_sealed as string;
    expect(sealed).not.toContain(CLIENT_SECRET);
    expect(await openDirectorySecret(env, sealed)).toBe(CLIENT_SECRET);

    expect(await json(await asAdmin('PATCH', '/entra-profiles/contoso', { tenantId: 'contoso.onmicrosoft.com' }))).toMatchObject({ tenantId: 'contoso.onmicrosoft.com' });
    expect((await rawRow('entra_profiles', 'name', 'contoso'))?.client_secret_sealed).toBe(sealed);
    await asAdmin('PATCH', '/entra-profiles/contoso', { clientSecret: 'a-new-secret' });
    expect(await openDirectorySecret(env, (await rawRow('entra_profiles', 'name', 'contoso'))?.client_secret_sealed as string)).toBe('a-new-secret');
    const changes = (await auditEntries('entra-profile.update')).filter((entry) => entry.target === 'contoso').map((entry) => entry.changes);
    expect(changes).toEqual([{ clientSecret: 'changed' }, { tenantId: { from: TENANT, to: 'contoso.onmicrosoft.com' } }]);
    expect(JSON.stringify(changes)).not.toContain('a-new-secret');
  });

  it('refuse a taken name and ids that are not a tenant or a GUID', async () => {
    await asAdmin('POST', '/entra-profiles', entraProfile('taken-entra'));
    expect((await asAdmin('POST', '/entra-profiles', entraProfile('taken-entra'))).status).toBe(409);
    const invalid = await asAdmin('POST', '/entra-profiles', entraProfile('bad-entra', { tenantId: 'not a tenant', clientId: 'app-1', clientSecret: '' }));
    expect(invalid.status).toBe(400);
    expect(await errorFields(invalid)).toEqual(['tenantId', 'clientId', 'clientSecret']);
  });

  it('cannot be deleted while used; a rename follows into the endpoint', async () => {
    await asAdmin('POST', '/entra-profiles', entraProfile('used-entra'));
    await endpointUsing('shop-entra', { entraProfiles: ['used-entra'] });
    const refused = await asAdmin('DELETE', '/entra-profiles/used-entra');
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toContain('"shop-entra"');
    await asAdmin('PATCH', '/entra-profiles/used-entra', { name: 'renamed-entra' });
    expect((await endpointAssistedLogin('shop-entra')).entraProfiles).toEqual(['renamed-entra']);
    await asAdmin('PATCH', '/profiles/shop-entra', { assistedLogin: { entraProfiles: [] } });
    expect((await asAdmin('DELETE', '/entra-profiles/renamed-entra')).status).toBe(204);
  });

  it("Test reports refused client credentials as not ok, with Entra ID's reason", async () => {
    await asAdmin('POST', '/entra-profiles', entraProfile('refused-entra'));
    fakeEndpoint(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, async () =>
      Response.json({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x' }, { status: 401 }),
    );
    const response = await asAdmin('POST', '/entra-profiles/refused-entra/test', { id: 'alice@contoso.com' });
    expect(response.status).toBe(200);
    const answer = await json(response);
    expect(answer).toEqual({ ok: false, message: expect.stringContaining('AADSTS7000215'), ms: expect.any(Number) });
    expect(answer.message).not.toContain(CLIENT_SECRET);
  });
});

// ---- Assisted login profiles ----

describe('assisted login profiles', () => {
  it('are created with defaults and shown with the endpoints using them', async () => {
    const response = await asAdmin('POST', '/assisted-login-profiles', { name: 'helpdesk-approves', approverGroups: ['helpdesk'] });
    expect(response.status).toBe(201);
    const view = await json(response);
    expect(view).toEqual({
      name: 'helpdesk-approves',
      kind: 'normal',
      notificationAttribute: 'displayName',
      sessionTimeoutSeconds: 120,
      approverIdAttributes: ['sAMAccountName', 'uid', 'mail', 'mobile'],
      approverGroups: ['helpdesk'],
      approverIdentities: [],
      managerApproves: false,
      groupsMatchingPartInCn: false,
      userGroups: [],
      usedBy: [],
    });
    expect(await json(await asAdmin('GET', '/assisted-login-profiles/helpdesk-approves'))).toEqual(view);
    expect(await json(await asAdmin('GET', '/assisted-login-profiles'))).toEqual(expect.arrayContaining([view]));
    expect((await asAdmin('POST', '/assisted-login-profiles', { name: 'helpdesk-approves', managerApproves: true })).status).toBe(409);
  });

  it('refuse a profile with no way to find approvers, and a "*" without groups matching part in CN', async () => {
    const noApprovers = await asAdmin('POST', '/assisted-login-profiles', { name: 'nobody-approves' });
    expect(noApprovers.status).toBe(400);
    expect((await json(noApprovers)).errors).toEqual([{ field: 'approverGroups', message: expect.stringContaining('at least one way to find approvers') }]);

    const star = await asAdmin('POST', '/assisted-login-profiles', { name: 'star', approverGroups: ['team-*-approvers'] });
    expect(await errorFields(star)).toEqual(['approverGroups.0']);
    expect((await json(await asAdmin('POST', '/assisted-login-profiles', { name: 'star', approverGroups: ['team-*-approvers'] }))).errors[0].message).toContain('Groups matching part in CN');
  });

  it('check the rules on the merged profile after a patch, saving nothing when they fail', async () => {
    await asAdmin('POST', '/assisted-login-profiles', { name: 'merged', approverGroups: ['helpdesk'] });
    const broken = await asAdmin('PATCH', '/assisted-login-profiles/merged', { approverGroups: [], sessionTimeoutSeconds: 60 });
    expect(broken.status).toBe(400);
    expect(await errorFields(broken)).toEqual(['approverGroups']);
    expect(await json(await asAdmin('GET', '/assisted-login-profiles/merged'))).toMatchObject({ approverGroups: ['helpdesk'], sessionTimeoutSeconds: 120 });

    const teams = await asAdmin('PATCH', '/assisted-login-profiles/merged', { groupsMatchingPartInCn: true, userGroups: ['team-*-users'], approverGroups: ['team-*-approvers'] });
    expect(teams.status).toBe(200);
    expect(await json(teams)).toMatchObject({ groupsMatchingPartInCn: true, userGroups: ['team-*-users'], approverGroups: ['team-*-approvers'], sessionTimeoutSeconds: 120 });
    expect(await errorFields(await asAdmin('PATCH', '/assisted-login-profiles/merged', { userGroups: ['all-users'] }))).toEqual(['userGroups']);
    const [update] = (await auditEntries('assisted-login-profile.update')).filter((entry) => entry.target === 'merged');
    expect(update.changes).toMatchObject({ groupsMatchingPartInCn: { from: false, to: true } });
  });

  it('cannot be deleted while an endpoint profile uses one; a rename follows into the endpoint', async () => {
    await asAdmin('POST', '/assisted-login-profiles', { name: 'used-rule', managerApproves: true });
    await endpointUsing('shop-rule', { profile: 'used-rule', useLocalDatabase: true });
    expect((await json(await asAdmin('GET', '/assisted-login-profiles/used-rule'))).usedBy).toEqual(['shop-rule']);
    const refused = await asAdmin('DELETE', '/assisted-login-profiles/used-rule');
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toContain('"shop-rule"');

    await asAdmin('PATCH', '/assisted-login-profiles/used-rule', { name: 'renamed-rule' });
    expect((await endpointAssistedLogin('shop-rule')).profile).toBe('renamed-rule');
    await asAdmin('PATCH', '/profiles/shop-rule', { assistedLogin: { profile: null } });
    expect((await asAdmin('DELETE', '/assisted-login-profiles/renamed-rule')).status).toBe(204);
    expect((await asAdmin('GET', '/assisted-login-profiles/renamed-rule')).status).toBe(404);
  });

  it('keep their kind while an endpoint uses them, whose repositories were chosen for it', async () => {
    await asAdmin('POST', '/assisted-login-profiles', { name: 'kind-kept', managerApproves: true });
    await endpointUsing('shop-kind', { profile: 'kind-kept', useLocalDatabase: true });
    const refused = await asAdmin('PATCH', '/assisted-login-profiles/kind-kept', { kind: 'federation' });
    expect(refused.status).toBe(400);
    expect((await json(refused)).errors).toEqual([{ field: 'kind', message: expect.stringContaining('"shop-kind"') }]);
    expect((await json(await asAdmin('GET', '/assisted-login-profiles/kind-kept'))).kind).toBe('normal');
    // Other changes still save.
    expect((await asAdmin('PATCH', '/assisted-login-profiles/kind-kept', { sessionTimeoutSeconds: 60 })).status).toBe(200);
  });
});

// ---- Roles and configuration ----

describe('access', () => {
  it('lets the user role read everything but change and test nothing', async () => {
    await asAdmin('POST', '/directory-users', { username: 'readable' });
    await asAdmin('POST', '/ldap-profiles', ldapProfile('readable-ldap'));
    await asAdmin('POST', '/entra-profiles', entraProfile('readable-entra'));
    await asAdmin('POST', '/assisted-login-profiles', { name: 'readable-rule', managerApproves: true });
    for (const path of ['/directory-users', '/directory-users/readable', '/ldap-profiles', '/ldap-profiles/readable-ldap', '/entra-profiles', '/entra-profiles/readable-entra', '/assisted-login-profiles', '/assisted-login-profiles/readable-rule']) {
      expect((await asUser('GET', path)).status, path).toBe(200);
    }
    const changes: Array<[string, string, unknown]> = [
      ['POST', '/directory-users', { username: 'sneaky' }],
      ['PATCH', '/directory-users/readable', { displayName: 'x' }],
      ['DELETE', '/directory-users/readable', undefined],
      ['POST', '/directory-users/import', { csv: 'username\nsneaky' }],
      ['POST', '/ldap-profiles', ldapProfile('sneaky')],
      ['PATCH', '/ldap-profiles/readable-ldap', { timeoutSeconds: 9 }],
      ['DELETE', '/ldap-profiles/readable-ldap', undefined],
      ['POST', '/ldap-profiles/readable-ldap/test', { id: 'alice' }],
      ['POST', '/entra-profiles', entraProfile('sneaky')],
      ['PATCH', '/entra-profiles/readable-entra', { tenantId: 'x.example' }],
      ['DELETE', '/entra-profiles/readable-entra', undefined],
      ['POST', '/entra-profiles/readable-entra/test', { id: 'alice' }],
      ['POST', '/assisted-login-profiles', { name: 'sneaky', managerApproves: true }],
      ['PATCH', '/assisted-login-profiles/readable-rule', { managerApproves: false }],
      ['DELETE', '/assisted-login-profiles/readable-rule', undefined],
    ];
    for (const [method, path, body] of changes) expect((await asUser(method, path, body)).status, `${method} ${path}`).toBe(403);
    expect((await asAdmin('GET', '/directory-users/sneaky')).status).toBe(404);
    expect((await adminFetch('GET', '/ldap-profiles')).status).toBe(401);
  });

  it('tells clearly that DIRECTORY_SECRET_KEY is missing when a credential is to be stored', async () => {
    const { bindPassword, ...profile } = ldapProfile('no-key');
    const attempt = createLdapProfile(db(), { PHONE_HASH_SECRET: env.PHONE_HASH_SECRET, DIRECTORY_SECRET_KEY: undefined }, { ...profile, bindPassword, phoneAttribute: 'mobile', displayNameAttribute: 'displayName', groupAttribute: 'memberOf', managerAttribute: 'manager', timeoutSeconds: 5 }, { username: 'test', address: null });
    const error = await attempt.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect((error as ApiError).body.message).toMatch(/^DIRECTORY_SECRET_KEY is not set/);
    expect((await asAdmin('GET', '/ldap-profiles/no-key')).status).toBe(404);
  });
});
