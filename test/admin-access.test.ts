import { describe, expect, it } from 'vitest';
import { adminFetch, json, seedUser, signedInAs } from './admin-client';

const NEW_PROFILE = { name: 'shop' };

describe('roles', () => {
  it('a user may view profiles and tokens but not change them, nor see accounts', async () => {
    const asUser = await signedInAs('user');
    expect((await asUser('GET', '/profiles')).status).toBe(200);
    expect((await asUser('GET', '/profiles/default')).status).toBe(200);
    expect((await asUser('GET', '/profiles/default/tokens')).status).toBe(200);
    expect((await asUser('GET', '/profile-name-check?name=x')).status).toBe(200);
    const refused = [
      await asUser('POST', '/profiles', NEW_PROFILE),
      await asUser('PATCH', '/profiles/default', { plusActivationLinks: false }),
      await asUser('DELETE', '/profiles/default'),
      await asUser('POST', '/profiles/default/tokens', { name: 'app' }),
      await asUser('POST', '/profiles/default/tokens/import', { name: 'app', token: 'x'.repeat(16) }),
      await asUser('DELETE', '/profiles/default/tokens/app'),
      await asUser('GET', '/users'),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      expect((await json(response)).code).toBe('FORBIDDEN');
    }
    const profile = await json(await asUser('GET', '/profiles/default'));
    expect(profile.plusActivationLinks).toBe(true);
  });

  it('an admin may change profiles and tokens, but not see accounts', async () => {
    const asAdmin = await signedInAs('admin');
    expect((await asAdmin('POST', '/profiles', { name: 'admins-profile' })).status).toBe(201);
    expect((await asAdmin('PATCH', '/profiles/admins-profile', { plusActivationLinks: false })).status).toBe(200);
    expect((await asAdmin('POST', '/profiles/admins-profile/tokens', { name: 'app' })).status).toBe(201);
    expect((await asAdmin('DELETE', '/profiles/admins-profile/tokens/app')).status).toBe(204);
    expect((await asAdmin('DELETE', '/profiles/admins-profile')).status).toBe(204);
    expect((await asAdmin('GET', '/users')).status).toBe(403);
    expect((await asAdmin('POST', '/users', { username: 'mallory', password: 'long enough password', role: 'superadmin' })).status).toBe(403);
  });

  it('a superadmin also manages accounts', async () => {
    const asSuperadmin = await signedInAs('superadmin');
    expect((await asSuperadmin('GET', '/users')).status).toBe(200);
    expect((await asSuperadmin('POST', '/profiles', { name: 'superadmins-profile' })).status).toBe(201);
  });
});

describe('cross-site requests', () => {
  const createShop = async (headers: Record<string, string>) => (await signedInAs('admin'))('POST', '/profiles', NEW_PROFILE, headers);
  const shopExists = async () => (await (await signedInAs('user'))('GET', '/profiles/shop')).status === 200;

  it('are refused when Origin is another site, and nothing changes', async () => {
    const response = await createShop({ origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect((await json(response)).code).toBe('FORBIDDEN');
    expect(await shopExists()).toBe(false);
  });

  it('are refused when Sec-Fetch-Site says cross-site or same-site', async () => {
    expect((await createShop({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await createShop({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect(await shopExists()).toBe(false);
  });

  it('also guard sign-in', async () => {
    await seedUser('victim', 'admin');
    const response = await adminFetch('POST', '/session', {
      body: { username: 'victim', password: 'whatever' },
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
  });

  it('are allowed from the same origin', async () => {
    const response = await createShop({ origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(201);
    expect(await shopExists()).toBe(true);
  });
});

describe('request bodies', () => {
  it('must be sent as application/json', async () => {
    const asAdmin = await signedInAs('admin');
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await asAdmin('POST', '/profiles', 'name=formed', { 'content-type': contentType });
      expect(response.status).toBe(400);
      expect((await json(response)).errors).toEqual([{ field: '(body)', message: 'must be sent with content-type: application/json' }]);
    }
    expect((await asAdmin('GET', '/profiles/formed')).status).toBe(404);
  });
});

describe('every admin answer', () => {
  it('is marked no-store, errors included', async () => {
    const asUser = await signedInAs('user');
    for (const response of [await asUser('GET', '/profiles'), await asUser('GET', '/profiles/missing'), await adminFetch('GET', '/session')]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });
});
