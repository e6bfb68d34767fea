import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN_SESSION_COOKIE } from '../src/domain/constants';
import { sha256Hex } from '../src/security/crypto';
import { insertAdminSession } from '../src/store/admin-sessions';
import { db, PASSWORD, seedUser, sessionCookie } from './admin-client';
import { browserFor, consoleFetch, controlAttribute, testIdText } from './console-client';

const signInForm = (form: Record<string, string>, headers?: Record<string, string>) => consoleFetch('POST', '/admin/sign-in', { form, headers });

describe('the sign-in page', () => {
  it('renders a form with labelled username and password fields, not cached', async () => {
    const response = await consoleFetch('GET', '/admin/sign-in');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(controlAttribute(html, 'password', 'type')).toBe('password');
    expect(controlAttribute(html, 'username', 'autocomplete')).toBe('username');
  });

  it('signs in with the same session as the API and goes to `next`', async () => {
    await seedUser('console-alice', 'admin');
    const response = await signInForm({ username: 'console-alice', password: PASSWORD, next: '/admin/profiles/default?page=0' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/default?page=0');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    const page = await consoleFetch('GET', '/admin/profiles', { cookie: sessionCookie(response) });
    expect(page.status).toBe(200);
    expect(testIdText(await page.text(), 'current-user')).toBe('console-alice');
  });

  it('answers bad credentials with a 401 page that keeps the username and sets no cookie', async () => {
    await seedUser('console-bob', 'admin');
    const response = await signInForm({ username: 'console-bob', password: 'not the password', next: '/admin/users' });
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(testIdText(html, 'sign-in-error')).toContain('Wrong username or password');
    expect(controlAttribute(html, 'username', 'value')).toBe('console-bob');
    expect(controlAttribute(html, 'password', 'value')).toBeNull();
    expect(html).toContain('name="next" value="/admin/users"');
  });

  it('names a missing field beside it', async () => {
    const response = await signInForm({ username: 'someone', password: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(controlAttribute(html, 'password', 'aria-invalid')).toBe('true');
    expect(controlAttribute(html, 'password', 'aria-describedby')).toBe('password-error');
    expect(html).toContain('<p class="field-error" id="password-error">Is required</p>');
  });

  it('goes to the profiles when already signed in', async () => {
    await seedUser('console-carol', 'user');
    const signedIn = await signInForm({ username: 'console-carol', password: PASSWORD });
    const response = await consoleFetch('GET', '/admin/sign-in?next=/admin/profiles/default', { cookie: sessionCookie(signedIn) });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/default');
  });
});

describe('pages without a session', () => {
  it('redirect (303) to sign-in with the page as `next`', async () => {
    const response = await consoleFetch('GET', '/admin/profiles/default?page=1&size=5');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/admin/sign-in?next=${encodeURIComponent('/admin/profiles/default?page=1&size=5')}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('say the session expired when the browser still held one, and clear it', async () => {
    const user = await seedUser('console-dave', 'admin');
    const now = new Date();
    await insertAdminSession(db(), { idHash: await sha256Hex('an-expired-session'), userId: user.id, expiresAt: new Date(now.getTime() - 1000) }, now);
    const response = await consoleFetch('GET', '/admin/users', { cookie: `${ADMIN_SESSION_COOKIE}=an-expired-session` });
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toBe('/admin/sign-in?next=%2Fadmin%2Fusers&session=expired');
    expect(response.headers.get('set-cookie')).toMatch(/^sfwa_admin=;.*Max-Age=0/);
    const page = await consoleFetch('GET', location);
    expect(testIdText(await page.text(), 'sign-in-notice')).toBe('Your session expired, please sign in again.');
  });

  it('/admin leads to the profiles', async () => {
    const response = await consoleFetch('GET', '/admin');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles');
  });
});

describe('`next` after sign-in', () => {
  it.each([
    'https://evil.example/admin',
    '//evil.example/admin',
    '/\\evil.example/admin',
    '/admin/../../evil',
    '/administrator',
    'javascript:alert(1)',
    '/admin/api/users',
    '',
  ])('ignores %j and goes to the profiles', async (next) => {
    const username = `console-next-${Math.random().toString(36).slice(2, 8)}`;
    await seedUser(username, 'user');
    const response = await signInForm({ username, password: PASSWORD, next });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles');
  });

  it('is cleaned on the sign-in page too', async () => {
    const html = await (await consoleFetch('GET', '/admin/sign-in?next=https%3A%2F%2Fevil.example')).text();
    expect(html).toContain('name="next" value="/admin/profiles"');
  });
});

describe('signing out', () => {
  it('ends the session, clears the cookie and says so on the sign-in page', async () => {
    await seedUser('console-erin', 'user');
    const cookie = sessionCookie(await signInForm({ username: 'console-erin', password: PASSWORD }));
    const browser = browserFor('console-erin', cookie);
    const response = await browser.post('/admin/sign-out');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/sign-in');
    expect(response.headers.get('set-cookie')).toMatch(/sfwa_admin=;.*Max-Age=0/);
    expect(testIdText(await (await browser.follow(response)).text(), 'sign-in-notice')).toBe('You have signed out.');
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'console-erin'").first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe('cross-site form posts', () => {
  it('are refused with 403 at the root of a page group too, and change nothing', async () => {
    await seedUser('console-root-guard', 'superadmin');
    const cookie = sessionCookie(await signInForm({ username: 'console-root-guard', password: PASSWORD }));
    const forged = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const created = await consoleFetch('POST', '/admin/users', { cookie, form: { username: 'forged-user', password: 'long enough password', role: 'superadmin' }, headers: forged });
    expect(created.status).toBe(403);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE username = 'forged-user'").first('n')).toBe(0);
    const signedOut = await consoleFetch('POST', '/admin/sign-out', { cookie, headers: forged });
    expect(signedOut.status).toBe(403);
    expect((await consoleFetch('GET', '/admin/profiles', { cookie })).status).toBe(200);
  });

  it('are refused with 403 on sign-in', async () => {
    await seedUser('console-victim', 'admin');
    const response = await signInForm({ username: 'console-victim', password: PASSWORD }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
