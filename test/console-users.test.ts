import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/security/crypto';
import { findUserByUsername } from '../src/store/users';
import { db, seedUser, signIn } from './admin-client';
import { browserAs, browserFor, controlAttribute, countTestIds, fieldError, testIdText, type Browser } from './console-client';

let root: Browser;
beforeAll(async () => {
  await seedUser('console-root', 'superadmin');
  root = browserFor('console-root', await signIn('console-root'));
});

const usernames = (html: string) => [...html.matchAll(/data-testid="user-row" data-username="([^"]+)"/g)].map((m) => m[1]);

describe('the users screen', () => {
  it('lists accounts with role and status for a superadmin, with Users in the navigation', async () => {
    await seedUser('console-listed', 'admin', { disabled: true });
    const response = await root.get('/admin/users');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(usernames(html)).toEqual(expect.arrayContaining(['console-root', 'console-listed']));
    const row = /data-username="console-listed"[\s\S]*?<\/li>/.exec(html)?.[0] ?? '';
    expect(row).toContain('Administrator');
    expect(row).toContain('Disabled');
    expect(html).not.toContain('pbkdf2');
    expect(html).toContain('data-testid="nav-users"');
  });

  it('is refused to administrators and read-only users with a 403 page, and not linked for them', async () => {
    for (const role of ['admin', 'user'] as const) {
      const browser = await browserAs(role);
      const response = await browser.get('/admin/users');
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect((await browser.post('/admin/users', { username: 'sneaky', password: 'long enough password', role: 'superadmin' })).status).toBe(403);
      expect(countTestIds(await (await browser.get('/admin/profiles')).text(), 'nav-users')).toBe(0);
    }
    expect(await findUserByUsername(db(), 'sneaky')).toBeNull();
  });
});

describe('account changes with the forms', () => {
  it('creates an account and says so', async () => {
    const response = await root.post('/admin/users', { username: 'console-new', password: 'long enough password', role: 'user' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/users');
    expect(testIdText(await (await root.follow(response)).text(), 'flash')).toBe('Account “console-new” created as Read-only.');
    expect(await findUserByUsername(db(), 'console-new')).toMatchObject({ role: 'user', disabled: false });
  });

  it('refuses invalid input beside the fields, keeping all but the password', async () => {
    const response = await root.post('/admin/users', { username: 'console-root', password: 'short', role: 'admin' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'new-password')).toBe('Must be at least 10 characters');
    expect(controlAttribute(html, 'new-username', 'value')).toBe('console-root');
    expect(controlAttribute(html, 'new-password', 'value')).toBeNull();
    expect(html).toMatch(/<option value="admin" selected="">/);
  });

  it('changes a role, resets a password, disables and enables', async () => {
    await seedUser('console-frank', 'user');
    expect((await root.post('/admin/users/console-frank/role', { role: 'admin' })).status).toBe(303);
    expect(await findUserByUsername(db(), 'console-frank')).toMatchObject({ role: 'admin' });

    expect((await root.post('/admin/users/console-frank/password', { password: 'a brand new password' })).status).toBe(303);
    const user = await findUserByUsername(db(), 'console-frank');
    expect(await verifyPassword('a brand new password', user!.passwordHash)).toBe(true);

    const disabled = await root.post('/admin/users/console-frank/disabled', { disabled: 'true' });
    expect(testIdText(await (await root.follow(disabled)).text(), 'flash')).toBe('console-frank is disabled and signed out.');
    expect(await findUserByUsername(db(), 'console-frank')).toMatchObject({ disabled: true });
    await root.post('/admin/users/console-frank/disabled', { disabled: 'false' });
    expect(await findUserByUsername(db(), 'console-frank')).toMatchObject({ disabled: false });
  });

  it('refuses a superadmin demoting or disabling themselves, beside the field', async () => {
    const demote = await root.post('/admin/users/console-root/role', { role: 'user' });
    expect(demote.status).toBe(400);
    expect(fieldError(await demote.text(), 'role-console-root')).toBe('You cannot change your own role');
    const disable = await root.post('/admin/users/console-root/disabled', { disabled: 'true' });
    expect(disable.status).toBe(400);
    expect(fieldError(await disable.text(), 'disabled-console-root')).toBe('You cannot disable your own account');
    expect(await findUserByUsername(db(), 'console-root')).toMatchObject({ role: 'superadmin', disabled: false });
  });

  it('answers 404 for an unknown account', async () => {
    expect((await root.post('/admin/users/nobody-here/role', { role: 'admin' })).status).toBe(404);
  });
});
