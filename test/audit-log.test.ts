/**
 * The administrator audit log: every change made in the console or the admin API, and every sign-in
 * and refused sign-in, leaves one entry (time, who, address, action, target, what changed, never a
 * secret); any signed-in user reads it, filtered and paginated, and as CSV; it is kept as long as the
 * authentication log.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deleteExpiredRecords } from '../src/scheduled';
import { insertAuditEntry } from '../src/store/audit-log';
import { adminFetch, db, json, PASSWORD, seedUser, sessionCookie, signedInAs, type Caller } from './admin-client';
import { browserAs } from './console-client';
import { activateTestDevice } from './device-support';
import { freshMsisdn } from './support';

const ADDRESS = '198.51.100.23';

type Entry = { at: string; actor: string; address: string; action: string; target: string; changes: Record<string, unknown>; summary: string };

/** An admin (of `role`) whose every call comes from ADDRESS, as Cloudflare's edge would say. */
async function adminAt(role: 'admin' | 'superadmin' | 'user', username: string): Promise<Caller> {
  await seedUser(username, role);
  const cookie = sessionCookie(await adminFetch('POST', '/session', { body: { username, password: PASSWORD }, headers: { 'cf-connecting-ip': ADDRESS } }));
  return (method, path, body, headers) => adminFetch(method, path, { cookie, body, headers: { 'cf-connecting-ip': ADDRESS, ...headers } });
}

async function entries(query: Record<string, string> = {}): Promise<Entry[]> {
  const reader = await signedInAs('user');
  const response = await reader('GET', `/audit-log?${new URLSearchParams({ size: '200', ...query })}`);
  expect(response.status).toBe(200);
  return (await json(response)).items;
}

const newest = async (action: string, actor?: string) => (await entries({ action, ...(actor && { actor }) }))[0];

describe('what leaves an entry', () => {
  it('creating, changing and deleting a profile, with what changed', async () => {
    const admin = await adminAt('admin', 'audit-profiles');
    expect((await admin('POST', '/profiles', { name: 'audited', rateLimit: { perMinute: 5, perHour: 20 } })).status).toBe(201);
    expect(await newest('profile.create', 'audit-profiles')).toMatchObject({
      actor: 'audit-profiles',
      address: ADDRESS,
      target: 'audited',
      changes: { 'rateLimit.perMinute': { to: 5 }, 'rateLimit.perHour': { to: 20 } },
    });

    await admin('PATCH', '/profiles/audited', { name: 'audited-2', allowedCountries: ['SE'], touchMessages: { smsText: 'Hi' } });
    const updated = await newest('profile.update', 'audit-profiles');
    expect(updated).toMatchObject({
      target: 'audited',
      changes: { name: { from: 'audited', to: 'audited-2' }, allowedCountries: { from: null, to: ['SE'] }, 'touchMessages.smsText': { from: '', to: 'Hi' } },
    });
    expect(Object.keys(updated!.changes)).toHaveLength(3);
    expect(updated!.summary).toContain('name: audited → audited-2');

    await admin('DELETE', '/profiles/audited-2');
    expect(await newest('profile.delete', 'audit-profiles')).toMatchObject({ target: 'audited-2' });
  });

  it('a save that changes nothing leaves nothing', async () => {
    const admin = await adminAt('admin', 'audit-noop');
    await admin('POST', '/profiles', { name: 'unchanged' });
    await admin('PATCH', '/profiles/unchanged', { dialect: 'cloud' });
    expect(await entries({ actor: 'audit-noop', action: 'profile.update' })).toHaveLength(0);
  });

  it('API tokens created, imported and deleted, never with their value', async () => {
    const admin = await adminAt('admin', 'audit-tokens');
    await admin('POST', '/profiles', { name: 'token-home' });
    const created = await json(await admin('POST', '/profiles/token-home/tokens', { name: 'made', expiresAt: '2030-01-01T00:00:00Z' }));
    await admin('POST', '/profiles/token-home/tokens/import', { name: 'brought', token: 'imported-secret-value-123' });
    await admin('DELETE', '/profiles/token-home/tokens/made');
    const mine = await entries({ actor: 'audit-tokens' });
    expect(mine.map((entry) => [entry.action, entry.target])).toEqual([
      ['token.delete', 'token-home/made'],
      ['token.import', 'token-home/brought'],
      ['token.create', 'token-home/made'],
      ['profile.create', 'token-home'],
      ['sign-in', 'audit-tokens'],
    ]);
    expect(mine[2]!.changes).toEqual({ expiresAt: { to: '2030-01-01T00:00:00.000Z' } });
    const everything = JSON.stringify(mine);
    expect(everything).not.toContain((created.token as string).split(':')[1]);
    expect(everything).not.toContain('imported-secret-value-123');
  });

  it('accounts and roles; a password reset says only that it changed', async () => {
    const superadmin = await adminAt('superadmin', 'audit-super');
    await superadmin('POST', '/users', { username: 'helpdesk', password: 'first-password-123', role: 'user' });
    await superadmin('PATCH', '/users/helpdesk', { role: 'admin', password: 'second-password-456', disabled: true });
    const created = await newest('user.create', 'audit-super');
    expect(created).toMatchObject({ target: 'helpdesk', changes: { role: { to: 'user' } } });
    const changed = await newest('user.update', 'audit-super');
    expect(changed).toMatchObject({ target: 'helpdesk', changes: { role: { from: 'user', to: 'admin' }, disabled: { from: false, to: true }, password: 'changed' } });
    const everything = JSON.stringify(await entries({ actor: 'audit-super' }));
    expect(everything).not.toContain('first-password-123');
    expect(everything).not.toContain('second-password-456');
  });

  it('sign-ins, refused sign-ins (with why, never the password) and sign-outs, with the address', async () => {
    await seedUser('audit-signer', 'admin');
    const from = { 'cf-connecting-ip': '192.0.2.44' };
    await adminFetch('POST', '/session', { body: { username: 'audit-signer', password: 'not-my-password' }, headers: from });
    await adminFetch('POST', '/session', { body: { username: 'no-such-person', password: 'guess-123' }, headers: from });
    const cookie = sessionCookie(await adminFetch('POST', '/session', { body: { username: 'audit-signer', password: PASSWORD }, headers: from }));
    await adminFetch('DELETE', '/session', { cookie, headers: from });

    expect(await newest('sign-in.refused', 'audit-signer')).toMatchObject({ address: '192.0.2.44', target: 'audit-signer', changes: { reason: 'wrong-password' } });
    expect(await newest('sign-in.refused', 'no-such-person')).toMatchObject({ changes: { reason: 'unknown-user' } });
    expect(await newest('sign-in', 'audit-signer')).toMatchObject({ address: '192.0.2.44' });
    expect(await newest('sign-out', 'audit-signer')).toMatchObject({ target: 'audit-signer' });
    expect(JSON.stringify(await entries())).not.toContain('not-my-password');
  });

  it('a device deactivated by an administrator', async () => {
    const admin = await adminAt('admin', 'audit-devices');
    const device = await activateTestDevice(freshMsisdn());
    expect((await admin('DELETE', `/devices/${device.deviceId}`)).status).toBe(204);
    expect(await newest('device.deactivated', 'audit-devices')).toMatchObject({ address: ADDRESS, target: `device ${device.deviceId} of ${device.msisdnMasked}` });
  });

  it('the console forms leave the same entries as the API', async () => {
    const browser = await browserAs('admin');
    await browser.post('/admin/profiles/new', { name: 'from-console', dialect: 'cloud', allowedCountriesMode: 'default', 'rateLimit.perMinute': '3', 'rateLimit.perHour': '10', unexpectedBlockMinutes: '60', 'smsBudget.perHour': '500', 'smsBudget.perDay': '5000' });
    const entry = (await entries({ action: 'profile.create' })).find((candidate) => candidate.target === 'from-console');
    expect(entry?.actor).toMatch(/^console-admin-/);
  });
});

describe('reading it', () => {
  it('any signed-in user reads it; without a session, 401', async () => {
    const reader = await signedInAs('user');
    expect((await reader('GET', '/audit-log')).status).toBe(200);
    expect((await adminFetch('GET', '/audit-log')).status).toBe(401);
  });

  it('filters by who, action and time, newest first, with pages', async () => {
    const base = Date.parse('2026-01-10T12:00:00Z');
    for (let i = 0; i < 5; i++) {
      await insertAuditEntry(db(), { atMs: base + i * 60_000, actor: 'filter-bot', address: null, action: i % 2 ? 'token.delete' : 'token.create', target: `p/t${i}`, changes: null });
    }
    const reader = await signedInAs('user');
    const page = await json(await reader('GET', '/audit-log?actor=filter-bot&size=2&page=1'));
    expect(page).toMatchObject({ page: 1, size: 2, total: 5 });
    expect(page.items.map((entry: Entry) => entry.target)).toEqual(['p/t2', 'p/t1']);
    const created = await json(await reader('GET', '/audit-log?actor=filter-bot&action=token.create'));
    expect(created.items.map((entry: Entry) => entry.target)).toEqual(['p/t4', 'p/t2', 'p/t0']);
    const timed = await json(await reader('GET', `/audit-log?actor=filter-bot&from=${new Date(base + 60_000).toISOString()}&to=${new Date(base + 3 * 60_000).toISOString()}`));
    expect(timed.items.map((entry: Entry) => entry.target)).toEqual(['p/t2', 'p/t1']);
  });

  it.each([
    ['action=nonsense', 'action'],
    ['from=yesterday', 'from'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['size=1000', 'size'],
  ])('refuses %s naming %s', async (query, field) => {
    const reader = await signedInAs('user');
    const response = await reader('GET', `/audit-log?${query}`);
    expect(response.status).toBe(400);
    expect((await json(response)).errors[0].field).toBe(field);
  });

  it('exports the same filters as CSV, safe to open in a spreadsheet', async () => {
    await insertAuditEntry(db(), { atMs: Date.parse('2026-02-01T00:00:00Z'), actor: 'csv-bot', address: '192.0.2.1', action: 'profile.create', target: '=HYPERLINK("x")', changes: { name: { to: 'x' } } });
    const reader = await signedInAs('user');
    const response = await reader('GET', '/audit-log.csv?actor=csv-bot');
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(await response.text()).toBe('at,actor,address,action,target,summary\r\n2026-02-01T00:00:00.000Z,csv-bot,192.0.2.1,profile.create,"\'=HYPERLINK(""x"")",name: x\r\n');
  });

  it('the console page lists it, with filters', async () => {
    const admin = await adminAt('admin', 'audit-page');
    await admin('POST', '/profiles', { name: 'shown-in-console' });
    const browser = await browserAs('user');
    const html = await (await browser.get('/admin/audit?actor=audit-page&action=profile.create')).text();
    expect(html).toContain('data-testid="audit-row"');
    expect(html).toContain('shown-in-console');
    expect(html).toContain(ADDRESS);
    expect(html).toContain('href="/admin/api/audit-log.csv?actor=audit-page&amp;action=profile.create"');
    expect((await browser.get('/admin/audit?action=nonsense')).status).toBe(400);
  });

  it('is kept as long as LOG_RETENTION_DAYS, then deleted by the nightly job', async () => {
    const now = Date.now();
    await insertAuditEntry(db(), { atMs: now - 91 * 86_400_000, actor: 'old-bot', address: null, action: 'sign-in', target: 'old-bot', changes: null });
    await insertAuditEntry(db(), { atMs: now - 89 * 86_400_000, actor: 'old-bot', address: null, action: 'sign-out', target: 'old-bot', changes: null });
    await deleteExpiredRecords(env, now);
    expect((await entries({ actor: 'old-bot' })).map((entry) => entry.action)).toEqual(['sign-out']);
  });
});
