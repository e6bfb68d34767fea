import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN_SESSION_TTL_SECONDS } from '../src/domain/constants';
import { sha256Hex } from '../src/security/crypto';
import { insertAdminSession } from '../src/store/admin-sessions';
import { adminFetch, db, json, PASSWORD, seedUser, sessionCookie, signIn } from './admin-client';

const signInResponse = (username: string, password: string) => adminFetch('POST', '/session', { body: { username, password } });

describe('signing in to the admin console', () => {
  it('answers the user and role and sets a strict, HttpOnly session cookie for /admin', async () => {
    await seedUser('alice', 'admin');
    const response = await signInResponse('alice', PASSWORD);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await json(response)).toEqual({ username: 'alice', role: 'admin' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sfwa_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain(`Max-Age=${ADMIN_SESSION_TTL_SECONDS}`);

    const me = await adminFetch('GET', '/session', { cookie: sessionCookie(response) });
    expect(me.status).toBe(200);
    expect(await json(me)).toEqual({ username: 'alice', role: 'admin' });
  });

  it('stores only the SHA-256 of the cookie value', async () => {
    await seedUser('hashed', 'user');
    const cookie = await signIn('hashed');
    const secret = cookie.split('=')[1] ?? '';
    const rows = await env.DB.prepare('SELECT s.id_hash FROM admin_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?').bind('hashed').all();
    expect(rows.results).toEqual([{ id_hash: await sha256Hex(secret) }]);
  });

  it('gives one and the same 401 for a wrong password, an unknown user and a disabled account', async () => {
    await seedUser('bob', 'admin');
    await seedUser('carol', 'admin', { disabled: true });
    const answers = [await signInResponse('bob', 'wrong password'), await signInResponse('nobody', PASSWORD), await signInResponse('carol', PASSWORD)];
    for (const response of answers) {
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(await json(response)).toEqual({ code: 'UNAUTHORIZED', message: 'Wrong username or password' });
    }
  });

  it('refuses a body that is not a JSON object naming the fields', async () => {
    const missing = await adminFetch('POST', '/session', { body: {} });
    expect(missing.status).toBe(400);
    expect((await json(missing)).errors.map((e: { field: string }) => e.field)).toEqual(['username', 'password']);

    const broken = await adminFetch('POST', '/session', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect((await json(broken)).errors).toEqual([{ field: '(body)', message: 'is not valid JSON' }]);
  });
});

describe('the session', () => {
  it('is required: without a cookie, or with an unknown one, the API answers 401', async () => {
    expect((await adminFetch('GET', '/session')).status).toBe(401);
    const unknown = await adminFetch('GET', '/profiles', { cookie: 'sfwa_admin=not-a-session' });
    expect(unknown.status).toBe(401);
    expect((await json(unknown)).code).toBe('UNAUTHORIZED');
  });

  it('ends at sign-out: the cookie is cleared and no longer works', async () => {
    await seedUser('dave', 'user');
    const cookie = await signIn('dave');
    const signOut = await adminFetch('DELETE', '/session', { cookie });
    expect(signOut.status).toBe(204);
    expect(signOut.headers.get('set-cookie')).toMatch(/^sfwa_admin=;.*Max-Age=0/);
    expect((await adminFetch('GET', '/session', { cookie })).status).toBe(401);
  });

  it('no longer works once expired', async () => {
    const user = await seedUser('erin', 'admin');
    const now = new Date();
    const storeSession = async (secret: string, expiresInMs: number) =>
      insertAdminSession(db(), { idHash: await sha256Hex(secret), userId: user.id, expiresAt: new Date(now.getTime() + expiresInMs) }, now);
    await storeSession('expired-session-secret', -1000);
    await storeSession('current-session-secret', 60_000);
    expect((await adminFetch('GET', '/session', { cookie: 'sfwa_admin=expired-session-secret' })).status).toBe(401);
    expect((await adminFetch('GET', '/session', { cookie: 'sfwa_admin=current-session-secret' })).status).toBe(200);
  });
});
