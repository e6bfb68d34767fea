import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Caller, errorFields, json, signedInAs } from './admin-client';

let asAdmin: Caller;
beforeAll(async () => {
  asAdmin = await signedInAs('admin');
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
