import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_ONLY_PASSWORD_HASH } from '../src/admin/access-sign-in';
import { fakeAccessTeam } from './access-team';
import { adminFetch } from './admin-client';
import { consoleFetch } from './console-client';

let team: Awaited<ReturnType<typeof fakeAccessTeam>>;
beforeEach(async () => {
  team = await fakeAccessTeam();
});
afterEach(() => vi.restoreAllMocks());

const viaAccess = async (claims: Record<string, unknown>) => ({ 'cf-access-jwt-assertion': await team.sign(claims) });

describe('signing in through Cloudflare Access', () => {
  it('signs in the email ACCESS_ROLES names, with its role, and creates the account on first use', async () => {
    const response = await adminFetch('GET', '/session', { headers: await viaAccess({ email: 'Boss@access.example' }) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: 'boss@access.example', role: 'superadmin' });
    const row = await env.DB.prepare('SELECT role, password_hash FROM users WHERE username = ?').bind('boss@access.example').first();
    expect(row).toEqual({ role: 'superadmin', password_hash: ACCESS_ONLY_PASSWORD_HASH });
  });

  it('maps an email domain to read-only and a group to administrator; roles are enforced as for any account', async () => {
    const reader = await viaAccess({ email: 'bob@access.example' });
    expect((await adminFetch('GET', '/profiles', { headers: reader })).status).toBe(200);
    expect((await adminFetch('POST', '/profiles', { headers: reader, body: { name: 'nope' } })).status).toBe(403);
    const admin = await viaAccess({ email: 'carol@access.example', groups: ['sfwa-admins'] });
    expect((await adminFetch('POST', '/profiles', { headers: admin, body: { name: 'via-access' } })).status).toBe(201);
  });

  it('serves the console pages to an Access user without a password sign-in', async () => {
    const page = await consoleFetch('GET', '/admin/profiles', { headers: await viaAccess({ email: 'dave@access.example' }) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('dave@access.example');
  });

  it.each([
    ['an identity with no role', { email: 'eve@elsewhere.example' }],
    ['a token without an email', { sub: 'service-token' }],
  ])('refuses %s', async (_, claims) => {
    expect((await adminFetch('GET', '/session', { headers: await viaAccess(claims) })).status).toBe(401);
  });

  it('refuses a token for another application, and a forged one', async () => {
    const other = await team.sign({ email: 'boss@access.example' }, { audience: 'another-app' });
    expect((await adminFetch('GET', '/session', { headers: { 'cf-access-jwt-assertion': other } })).status).toBe(401);
    expect((await adminFetch('GET', '/session', { headers: { 'cf-access-jwt-assertion': 'e30.e30.AAAA' } })).status).toBe(401);
  });

  it('a super administrator can disable an Access account, and no password ever signs it in', async () => {
    const headers = await viaAccess({ email: 'frank@access.example' });
    expect((await adminFetch('GET', '/session', { headers })).status).toBe(200);
    await env.DB.prepare('UPDATE users SET disabled = 1 WHERE username = ?').bind('frank@access.example').run();
    expect((await adminFetch('GET', '/session', { headers })).status).toBe(401);
    const byPassword = await adminFetch('POST', '/session', { body: { username: 'frank@access.example', password: ACCESS_ONLY_PASSWORD_HASH } });
    expect(byPassword.status).toBe(401);
  });
});
