import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Caller, errorFields, json, signedInAs } from './admin-client';

/** The repositories and assisted login profiles the endpoints below may name, made through /admin/api as an admin would. */
const ldapProfile = (name: string) => ({
  name,
  url: env.TEST_LDAP_URL,
  startTls: false,
  bindDn: 'cn=sfwa-reader,dc=example,dc=test',
  bindPassword: 'reader-secret',
  baseDn: 'dc=example,dc=test',
  userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
});
const entraProfile = (name: string) => ({ name, tenantId: '5f1c2d3e-0000-4000-8000-00000000c0de', clientId: '0a1b2c3d-0000-4000-8000-000000000001', clientSecret: 'Xy7~entra.client-secret_42' });

let asAdmin: Caller;
beforeAll(async () => {
  asAdmin = await signedInAs('admin');
  const made = [
    await asAdmin('POST', '/ldap-profiles', ldapProfile('corp')),
    await asAdmin('POST', '/ldap-profiles', ldapProfile('partners')),
    await asAdmin('POST', '/entra-profiles', entraProfile('tenant-a')),
    await asAdmin('POST', '/assisted-login-profiles', { name: 'helpdesk', kind: 'normal', managerApproves: true }),
    await asAdmin('POST', '/assisted-login-profiles', { name: 'federated', kind: 'federation', approverGroups: ['approvers'] }),
  ];
  expect(made.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
});


describe('the profile list', () => {
  it('is sorted by name, with each endpoint URL and the default marked', async () => {
    await asAdmin('POST', '/profiles', { name: 'zeta' });
    await asAdmin('POST', '/profiles', { name: 'alpha' });
    const profiles = (await (await asAdmin('GET', '/profiles')).json()) as { name: string; endpoint: string; isDefault: boolean }[];
    const listed = profiles.map(({ name, endpoint, isDefault }) => ({ name, endpoint, isDefault }));
    expect(listed).toEqual([
      { name: 'alpha', endpoint: 'http://localhost/api/sfwa/auth/alpha', isDefault: false },
      { name: 'default', endpoint: 'http://localhost/api/sfwa/auth', isDefault: true },
      { name: 'zeta', endpoint: 'http://localhost/api/sfwa/auth/zeta', isDefault: false },
    ]);
  });
});

describe('creating a profile', () => {
  it('answers 201 with the seed defaults filled in', async () => {
    const response = await asAdmin('POST', '/profiles', { name: 'created', touchMessages: { smsText: 'Sign in?' } });
    expect(response.status).toBe(201);
    const profile = await json(response);
    expect(profile).toMatchObject({
      name: 'created',
      endpoint: 'http://localhost/api/sfwa/auth/created',
      isDefault: false,
      plusActivationLinks: true,
      usePlusIfActivated: true,
      assistedLogin: { profile: null, useLocalDatabase: false, ldapProfiles: [], entraProfiles: [] },
      touchMessages: { smsText: 'Sign in?', titleText: '' },
      rateLimit: { perMinute: 3, perHour: 10 },
    });
    expect(profile).not.toHaveProperty('id');
    expect(await json(await asAdmin('GET', '/profiles/created'))).toEqual(profile);
  });

  it('refuses a name already taken with 409 naming the field', async () => {
    await asAdmin('POST', '/profiles', { name: 'twice' });
    const response = await asAdmin('POST', '/profiles', { name: 'twice' });
    expect(response.status).toBe(409);
    expect(await json(response)).toMatchObject({ code: 'CONFLICT', errors: [{ field: 'name', message: 'is already taken' }] });
  });

  it('refuses invalid fields, naming each, and saves nothing', async () => {
    const response = await asAdmin('POST', '/profiles', { name: 'bad name', touchMessages: { smsText: 'x'.repeat(21) }, colour: 'red' });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(expect.arrayContaining(['name', 'touchMessages.smsText', '(body)']));
    expect((await asAdmin('GET', '/profiles/bad%20name')).status).toBe(404);
  });
});

describe('editing a profile', () => {
  it('merges nested messages and assisted login into the stored ones', async () => {
    await asAdmin('POST', '/profiles', {
      name: 'merge',
      touchMessages: { titleText: 'Hello', smsText: 'Sign in' },
      assistedLogin: { ldapProfiles: ['corp'] },
    });
    const response = await asAdmin('PATCH', '/profiles/merge', {
      touchMessages: { smsText: 'Log in' },
      assistedLogin: { useLocalDatabase: true },
      usePlusIfActivated: false,
    });
    expect(response.status).toBe(200);
    const profile = await json(response);
    expect(profile.touchMessages).toMatchObject({ titleText: 'Hello', smsText: 'Log in' });
    expect(profile.assistedLogin).toMatchObject({ ldapProfiles: ['corp'], useLocalDatabase: true });
    expect(profile.usePlusIfActivated).toBe(false);
    expect(await json(await asAdmin('GET', '/profiles/merge'))).toEqual(profile);
  });

  it('refuses an SMS text of 21 characters (the seed allows 20)', async () => {
    await asAdmin('POST', '/profiles', { name: 'sms' });
    const response = await asAdmin('PATCH', '/profiles/sms', { touchMessages: { smsText: 'x'.repeat(21) } });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['touchMessages.smsText']);
    expect((await asAdmin('PATCH', '/profiles/sms', { touchMessages: { smsText: 'x'.repeat(20) } })).status).toBe(200);
  });

  it('refuses a per-minute limit above the stored per-hour limit, and saves nothing', async () => {
    await asAdmin('POST', '/profiles', { name: 'limits', rateLimit: { perMinute: 2, perHour: 5 } });
    const response = await asAdmin('PATCH', '/profiles/limits', { rateLimit: { perMinute: 6 }, plusActivationLinks: false });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['rateLimit.perMinute']);
    expect(await json(await asAdmin('GET', '/profiles/limits'))).toMatchObject({ plusActivationLinks: true, rateLimit: { perMinute: 2, perHour: 5 } });
  });

  it('renames a named profile, but not onto a taken name', async () => {
    await asAdmin('POST', '/profiles', { name: 'old-name' });
    expect((await asAdmin('PATCH', '/profiles/old-name', { name: 'default' })).status).toBe(409);
    const renamed = await asAdmin('PATCH', '/profiles/old-name', { name: 'new-name' });
    expect(await json(renamed)).toMatchObject({ name: 'new-name', endpoint: 'http://localhost/api/sfwa/auth/new-name' });
    expect((await asAdmin('GET', '/profiles/old-name')).status).toBe(404);
  });

  it('edits the default profile but refuses to rename it', async () => {
    expect((await asAdmin('PATCH', '/profiles/default', { touchMessages: { titleText: 'Welcome' } })).status).toBe(200);
    const response = await asAdmin('PATCH', '/profiles/default', { name: 'main' });
    expect(response.status).toBe(400);
    expect((await json(response)).errors).toEqual([{ field: 'name', message: 'the default profile cannot be renamed' }]);
  });

  it('answers 404 for an unknown profile', async () => {
    expect((await asAdmin('PATCH', '/profiles/nowhere', { usePlusIfActivated: false })).status).toBe(404);
  });
});

describe('the name check', () => {
  it('tells whether a name is free, taken or invalid', async () => {
    const check = async (name: string) => (await asAdmin('GET', `/profile-name-check?name=${encodeURIComponent(name)}`)).json();
    expect(await check('free-name')).toEqual({ name: 'free-name', available: true });
    expect(await check('default')).toEqual({ name: 'default', available: false, reason: 'is already taken' });
    expect(await check('-bad')).toMatchObject({ name: '-bad', available: false, reason: expect.stringContaining('must start with a letter or digit') });
    expect(await check('')).toEqual({ name: '', available: false, reason: 'is required' });
  });
});

describe('deleting a profile', () => {
  it('refuses the default profile', async () => {
    const response = await asAdmin('DELETE', '/profiles/default');
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: 'BAD_REQUEST', message: 'the default profile cannot be deleted' });
    expect((await asAdmin('GET', '/profiles/default')).status).toBe(200);
  });

  it('deletes a named profile and its tokens', async () => {
    await asAdmin('POST', '/profiles', { name: 'doomed' });
    await asAdmin('POST', '/profiles/doomed/tokens', { name: 'doomed-app' });
    expect((await asAdmin('DELETE', '/profiles/doomed')).status).toBe(204);
    expect((await asAdmin('GET', '/profiles/doomed')).status).toBe(404);
    const tokens = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE name = 'doomed-app'").first<{ n: number }>();
    expect(tokens?.n).toBe(0);
    expect((await asAdmin('DELETE', '/profiles/doomed')).status).toBe(404);
  });
});

describe("an endpoint's assisted login settings", () => {
  const assistedOf = async (name: string) => (await json(await asAdmin('GET', `/profiles/${name}`))).assistedLogin;
  const refusal = async (response: Response) => {
    expect(response.status).toBe(400);
    return (await json(response)).errors;
  };

  it('are saved when the profiles they name exist and fit the kind: normal with the local database and LDAP, federation with Entra ID', async () => {
    const created = await asAdmin('POST', '/profiles', { name: 'assisted-ok', assistedLogin: { profile: 'helpdesk', useLocalDatabase: true, ldapProfiles: ['corp', 'partners'] } });
    expect(created.status).toBe(201);
    expect((await json(created)).assistedLogin).toEqual({ profile: 'helpdesk', useLocalDatabase: true, ldapProfiles: ['corp', 'partners'], entraProfiles: [] });

    const switched = await asAdmin('PATCH', '/profiles/assisted-ok', { assistedLogin: { profile: 'federated', useLocalDatabase: false, ldapProfiles: [], entraProfiles: ['tenant-a'] } });
    expect(switched.status).toBe(200);
    expect(await assistedOf('assisted-ok')).toEqual({ profile: 'federated', useLocalDatabase: false, ldapProfiles: [], entraProfiles: ['tenant-a'] });
  });

  it('refuse an assisted login, LDAP or Entra ID profile that does not exist, naming each, and save nothing', async () => {
    const errors = await refusal(
      await asAdmin('POST', '/profiles', { name: 'assisted-missing', assistedLogin: { profile: 'no-such-rule', useLocalDatabase: true, ldapProfiles: ['corp', 'ghost'], entraProfiles: ['nowhere'] } }),
    );
    expect(errors).toEqual([
      { field: 'assistedLogin.profile', message: 'no assisted login profile named "no-such-rule"' },
      { field: 'assistedLogin.ldapProfiles.1', message: 'no LDAP profile named "ghost"' },
      { field: 'assistedLogin.entraProfiles.0', message: 'no Entra ID profile named "nowhere"' },
    ]);
    expect((await asAdmin('GET', '/profiles/assisted-missing')).status).toBe(404);

    await asAdmin('POST', '/profiles', { name: 'assisted-kept', assistedLogin: { profile: 'helpdesk', useLocalDatabase: true } });
    expect(await refusal(await asAdmin('PATCH', '/profiles/assisted-kept', { assistedLogin: { ldapProfiles: ['ghost'] }, usePlusIfActivated: false }))).toEqual([
      { field: 'assistedLogin.ldapProfiles.0', message: 'no LDAP profile named "ghost"' },
    ]);
    expect(await refusal(await asAdmin('PATCH', '/profiles/assisted-kept', { assistedLogin: { profile: 'gone-rule' } }))).toEqual([
      { field: 'assistedLogin.profile', message: 'no assisted login profile named "gone-rule"' },
    ]);
    const kept = await json(await asAdmin('GET', '/profiles/assisted-kept'));
    expect(kept).toMatchObject({ usePlusIfActivated: true, assistedLogin: { profile: 'helpdesk', useLocalDatabase: true, ldapProfiles: [], entraProfiles: [] } });
  });

  it('refuse a repository listed twice', async () => {
    const errors = await refusal(
      await asAdmin('POST', '/profiles', { name: 'assisted-twice', assistedLogin: { profile: 'helpdesk', ldapProfiles: ['corp', 'partners', 'corp'], entraProfiles: [] } }),
    );
    expect(errors).toEqual([{ field: 'assistedLogin.ldapProfiles.2', message: 'lists the LDAP profile "corp" more than once' }]);
    expect(await refusal(await asAdmin('POST', '/profiles', { name: 'assisted-twice', assistedLogin: { entraProfiles: ['tenant-a', 'tenant-a'] } }))).toEqual([
      { field: 'assistedLogin.entraProfiles.1', message: 'lists the Entra ID profile "tenant-a" more than once' },
    ]);
    expect((await asAdmin('GET', '/profiles/assisted-twice')).status).toBe(404);
  });

  it("keep a normal profile to the local database and LDAP, and a federation one to Entra ID", async () => {
    expect(await refusal(await asAdmin('POST', '/profiles', { name: 'assisted-kind', assistedLogin: { profile: 'helpdesk', useLocalDatabase: true, entraProfiles: ['tenant-a'] } }))).toEqual([
      { field: 'assistedLogin.entraProfiles', message: 'the assisted login profile "helpdesk" (kind normal) finds users in the local database and LDAP only: remove the Entra ID profile "tenant-a"' },
    ]);
    expect(
      await refusal(await asAdmin('POST', '/profiles', { name: 'assisted-kind', assistedLogin: { profile: 'federated', useLocalDatabase: true, ldapProfiles: ['corp', 'partners'], entraProfiles: ['tenant-a'] } })),
    ).toEqual([
      { field: 'assistedLogin.useLocalDatabase', message: 'the assisted login profile "federated" (kind federation) finds users in Entra ID only: turn off the local database' },
      { field: 'assistedLogin.ldapProfiles', message: 'the assisted login profile "federated" (kind federation) finds users in Entra ID only: remove the LDAP profiles "corp", "partners"' },
    ]);
    expect((await asAdmin('GET', '/profiles/assisted-kind')).status).toBe(404);

    // Choosing the other kind's profile alone is refused too: the stored repositories would not fit it.
    await asAdmin('POST', '/profiles', { name: 'assisted-ldap', assistedLogin: { profile: 'helpdesk', ldapProfiles: ['corp'] } });
    expect(await errorFields(await asAdmin('PATCH', '/profiles/assisted-ldap', { assistedLogin: { profile: 'federated' } }))).toEqual(['assistedLogin.ldapProfiles', 'assistedLogin.entraProfiles']);
    expect((await assistedOf('assisted-ldap')).profile).toBe('helpdesk');
  });

  it('need at least one user repository once an assisted login profile is chosen', async () => {
    expect(await refusal(await asAdmin('POST', '/profiles', { name: 'assisted-empty', assistedLogin: { profile: 'helpdesk' } }))).toEqual([
      { field: 'assistedLogin.useLocalDatabase', message: 'Choose at least one user repository for the assisted login profile "helpdesk": the local database or an LDAP profile' },
    ]);
    expect(await refusal(await asAdmin('POST', '/profiles', { name: 'assisted-empty', assistedLogin: { profile: 'federated' } }))).toEqual([
      { field: 'assistedLogin.entraProfiles', message: 'Choose at least one user repository for the assisted login profile "federated": an Entra ID profile' },
    ]);
    expect((await asAdmin('GET', '/profiles/assisted-empty')).status).toBe(404);

    await asAdmin('POST', '/profiles', { name: 'assisted-last', assistedLogin: { profile: 'helpdesk', ldapProfiles: ['corp'] } });
    expect(await errorFields(await asAdmin('PATCH', '/profiles/assisted-last', { assistedLogin: { ldapProfiles: [] } }))).toEqual(['assistedLogin.useLocalDatabase']);
    expect((await assistedOf('assisted-last')).ldapProfiles).toEqual(['corp']);
  });

  it('keep the repositories as they are while no assisted login profile is chosen', async () => {
    const created = await asAdmin('POST', '/profiles', { name: 'assisted-later', assistedLogin: { profile: null, useLocalDatabase: true, ldapProfiles: ['corp'], entraProfiles: ['tenant-a'] } });
    expect(created.status).toBe(201);
    expect((await json(created)).assistedLogin).toEqual({ profile: null, useLocalDatabase: true, ldapProfiles: ['corp'], entraProfiles: ['tenant-a'] });
    expect((await asAdmin('PATCH', '/profiles/assisted-later', { assistedLogin: { useLocalDatabase: false, ldapProfiles: [], entraProfiles: [] } })).status).toBe(200);
    // Turning assisted login off again is always allowed.
    await asAdmin('POST', '/profiles', { name: 'assisted-off', assistedLogin: { profile: 'helpdesk', useLocalDatabase: true } });
    expect((await asAdmin('PATCH', '/profiles/assisted-off', { assistedLogin: { profile: null, useLocalDatabase: false } })).status).toBe(200);
  });
});

describe("an endpoint's callbacks", () => {
  it('takes callback hosts in a PATCH, lowercased, and refuses a bad one naming its index', async () => {
    await asAdmin('POST', '/profiles', { name: 'calling' });
    const saved = await asAdmin('PATCH', '/profiles/calling', { callbackHosts: ['Hooks.Example.com', '*.example.org:8443'] });
    expect(saved.status).toBe(200);
    expect((await json(saved)).callbackHosts).toEqual(['hooks.example.com', '*.example.org:8443']);

    const refused = await asAdmin('PATCH', '/profiles/calling', { callbackHosts: ['https://hooks.example.com/path'] });
    expect(refused.status).toBe(400);
    expect(await errorFields(refused)).toEqual(['callbackHosts.0']);
    expect((await json(await asAdmin('GET', '/profiles/calling'))).callbackHosts).toEqual(['hooks.example.com', '*.example.org:8443']);
  });

  it('makes a callback secret shown once, replaces it with another, and deletes it', async () => {
    await asAdmin('POST', '/profiles', { name: 'signing' });
    expect((await json(await asAdmin('GET', '/profiles/signing'))).callbackSecret).toBeNull();

    const created = await asAdmin('POST', '/profiles/signing/callback-secret');
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const first = await json(created);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const view = await json(await asAdmin('GET', '/profiles/signing'));
    expect(view.callbackSecret).toEqual({ createdAt: first.createdAt });
    expect(JSON.stringify(view)).not.toContain(first.secret);

    const second = await json(await asAdmin('POST', '/profiles/signing/callback-secret'));
    expect(second.secret).not.toBe(first.secret);

    expect((await asAdmin('DELETE', '/profiles/signing/callback-secret')).status).toBe(204);
    expect((await json(await asAdmin('GET', '/profiles/signing'))).callbackSecret).toBeNull();
  });

  it('lets only an administrator make or delete the secret', async () => {
    await asAdmin('POST', '/profiles', { name: 'guarded' });
    const reader = await signedInAs('user');
    expect((await reader('POST', '/profiles/guarded/callback-secret')).status).toBe(403);
    expect((await reader('DELETE', '/profiles/guarded/callback-secret')).status).toBe(403);
    expect((await json(await asAdmin('GET', '/profiles/guarded'))).callbackSecret).toBeNull();
  });
});
