import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminFetch, errorFields, json, PASSWORD, seedUser, signIn, type Caller } from './admin-client';

let asRoot: Caller;
beforeAll(async () => {
  await seedUser('root', 'superadmin');
  const cookie = await signIn('root');
  asRoot = (method, path, body) => adminFetch(method, path, { cookie, body });
});


describe('accounts', () => {
  it('are created by a superadmin and listed without their passwords', async () => {
    const response = await asRoot('POST', '/users', { username: 'new.admin@example', password: 'long enough password', role: 'admin' });
    expect(response.status).toBe(201);
    expect(await json(response)).toEqual({ username: 'new.admin@example', role: 'admin', disabled: false, createdAt: expect.any(String) });
    expect(await signIn('new.admin@example', 'long enough password')).toMatch(/^sfwa_admin=/);

    const listText = await (await asRoot('GET', '/users')).text();
    expect(listText).not.toContain('pbkdf2');
    expect(JSON.parse(listText)).toEqual(
      expect.arrayContaining([{ username: 'root', role: 'superadmin', disabled: false, createdAt: expect.any(String) }]),
    );
  });

  it('refuse a short username or password, an unknown role, and a taken username', async () => {
    const invalid = await asRoot('POST', '/users', { username: 'ab', password: 'short', role: 'owner' });
    expect(invalid.status).toBe(400);
    expect(await errorFields(invalid)).toEqual(['username', 'password', 'role']);

    const taken = await asRoot('POST', '/users', { username: 'root', password: 'long enough password', role: 'user' });
    expect(taken.status).toBe(409);
    expect(await errorFields(taken)).toEqual(['username']);
  });

  it('change role, and a new password signs the account out everywhere', async () => {
    await seedUser('frank', 'user');
    const cookie = await signIn('frank');
    const promoted = await asRoot('PATCH', '/users/frank', { role: 'admin' });
    expect(await json(promoted)).toMatchObject({ username: 'frank', role: 'admin' });
    expect(await (await adminFetch('GET', '/session', { cookie })).json()).toEqual({ username: 'frank', role: 'admin' });

    expect((await asRoot('PATCH', '/users/frank', { password: 'a brand new password' })).status).toBe(200);
    expect((await adminFetch('GET', '/session', { cookie })).status).toBe(401);
    expect(await signIn('frank', 'a brand new password')).toMatch(/^sfwa_admin=/);
  });

  it('when disabled, lose their sessions and cannot sign in', async () => {
    await seedUser('grace', 'admin');
    const cookie = await signIn('grace');
    const response = await asRoot('PATCH', '/users/grace', { disabled: true });
    expect(await json(response)).toMatchObject({ username: 'grace', disabled: true });
    expect((await adminFetch('GET', '/session', { cookie })).status).toBe(401);
    expect((await adminFetch('POST', '/session', { body: { username: 'grace', password: PASSWORD } })).status).toBe(401);
    const sessions = await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'grace'").first<{ n: number }>();
    expect(sessions?.n).toBe(0);
  });

  it('cannot be demoted or disabled by their own superadmin', async () => {
    const demote = await asRoot('PATCH', '/users/root', { role: 'admin' });
    expect(demote.status).toBe(400);
    expect(await errorFields(demote)).toEqual(['role']);
    const disable = await asRoot('PATCH', '/users/root', { disabled: true });
    expect(disable.status).toBe(400);
    expect(await errorFields(disable)).toEqual(['disabled']);
    expect(await json(await asRoot('GET', '/session'))).toEqual({ username: 'root', role: 'superadmin' });
  });

  it('answer 404 for an unknown username', async () => {
    expect((await asRoot('PATCH', '/users/nobody', { disabled: true })).status).toBe(404);
  });
});
