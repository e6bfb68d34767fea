import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkApiKey } from '../src/access/api-key-auth';
import { findToken } from '../src/store/api-tokens';
import { findProfile } from '../src/store/profiles';
import { db } from './admin-client';
import { browserAs, controlAttribute, countTestIds, fieldError, testIdText, type Browser } from './console-client';
import { seedProfile, seedToken } from './support';

let admin: Browser;
let reader: Browser;
beforeAll(async () => {
  admin = await browserAs('admin');
  reader = await browserAs('user');
  await seedProfile('shop');
});

const shopId = async () => (await findProfile(db(), 'shop'))!.id;
const checkOnShop = async (apiKey: string) => checkApiKey(db(), await shopId(), apiKey, new Date());
const isoDate = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
const tokenNames = (html: string) => [...html.matchAll(/data-testid="token-row" data-token="([^"]+)"/g)].map((m) => m[1]);

describe('creating an API token with the form', () => {
  it('shows name:secret once, and that key works', async () => {
    const response = await admin.post('/admin/profiles/shop/tokens', { name: 'webshop', expiresAt: isoDate(3) });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const apiKey = testIdText(html, 'created-token') ?? '';
    expect(apiKey).toMatch(/^webshop:[A-Za-z0-9_-]{40}$/);
    expect(html).toContain('you will not see it again');
    expect(html).toContain(`data-copy="${apiKey}"`);
    expect(await checkOnShop(apiKey)).toMatchObject({ ok: true });
    // Expires at the end of the chosen day, UTC.
    const token = await findToken(db(), await shopId(), 'webshop');
    expect(token?.expiresAt?.toISOString()).toBe(`${isoDate(3)}T23:59:59.999Z`);

    const secret = apiKey.slice('webshop:'.length);
    const editor = await (await admin.get('/admin/profiles/shop')).text();
    expect(tokenNames(editor)).toContain('webshop');
    expect(editor).not.toContain(secret);
    // The token tab's own address leads to the editor's tab.
    expect((await admin.get('/admin/profiles/shop/tokens')).headers.get('location')).toBe('/admin/profiles/shop#api-tokens');
  });

  it('shows "N/A" for a token without expiry', async () => {
    await admin.post('/admin/profiles/shop/tokens', { name: 'forever', expiresAt: '' });
    const html = await (await admin.get('/admin/profiles/shop?size=100')).text();
    const row = /data-token="forever"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<span>N/A</span>');
  });

  it('refuses a short name, a past date and a taken name beside the fields, keeping what was typed', async () => {
    const response = await admin.post('/admin/profiles/shop/tokens', { name: 'ab', expiresAt: isoDate(-2) });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'token-create-name')).toBe('Must be at least 3 characters');
    expect(fieldError(html, 'token-create-expiresAt')).toBe('Must be in the future');
    expect(controlAttribute(html, 'token-create-name', 'value')).toBe('ab');
    expect(controlAttribute(html, 'token-create-expiresAt', 'value')).toBe(isoDate(-2));
    expect(html).toMatch(/<details class="disclosure" open="" data-testid="create-token">/);

    await seedToken({ profile: 'shop', name: 'taken-name' });
    const taken = await admin.post('/admin/profiles/shop/tokens', { name: 'taken-name' });
    expect(taken.status).toBe(400);
    expect(fieldError(await taken.text(), 'token-create-name')).toBe('Is already taken');

    const notADate = await admin.post('/admin/profiles/shop/tokens', { name: 'dated', expiresAt: 'next week' });
    expect(fieldError(await notADate.text(), 'token-create-expiresAt')).toBe('Must be a date such as 2027-01-31');
    expect(await findToken(db(), await shopId(), 'ab')).toBeNull();
    expect(await findToken(db(), await shopId(), 'dated')).toBeNull();
  });
});

describe('importing an API token with the form', () => {
  it('stores a given secret and redirects to the token tab with a message', async () => {
    const response = await admin.post('/admin/profiles/shop/tokens/import', { name: 'legacy', token: 'legacy-secret-value-16', expiresAt: '' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/shop#api-tokens');
    const html = await (await admin.follow(response)).text();
    expect(testIdText(html, 'flash')).toBe('API token “legacy” imported.');
    expect(html).not.toContain('legacy-secret-value-16');
    expect(await checkOnShop('legacy:legacy-secret-value-16')).toMatchObject({ ok: true });
  });

  it('refuses a token value shorter than 16 characters beside it', async () => {
    const response = await admin.post('/admin/profiles/shop/tokens/import', { name: 'legacy-short', token: 'x'.repeat(15), expiresAt: '' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'token-import-token')).toBe('Must be at least 16 characters');
    expect(controlAttribute(html, 'token-import-name', 'value')).toBe('legacy-short');
    expect(controlAttribute(html, 'token-import-token', 'value')).toBe('x'.repeat(15));
    expect(await findToken(db(), await shopId(), 'legacy-short')).toBeNull();
  });
});

describe('the token list', () => {
  it('is paginated on the server with page X of Y and previous/next links', async () => {
    await seedProfile('paged');
    for (let i = 1; i <= 5; i++) await seedToken({ profile: 'paged', name: `paged-${i}` });
    const first = await (await admin.get('/admin/profiles/paged?page=0&size=2')).text();
    expect(tokenNames(first)).toEqual(['paged-1', 'paged-2']);
    expect(testIdText(first, 'token-page-status')).toContain('Page 1 of 3');
    expect(first).toContain('href="/admin/profiles/paged?page=1&amp;size=2#api-tokens"');
    expect(countTestIds(first, 'token-page-prev')).toBe(0);

    const last = await (await admin.get('/admin/profiles/paged?page=2&size=2')).text();
    expect(tokenNames(last)).toEqual(['paged-5']);
    expect(testIdText(last, 'token-page-status')).toContain('Page 3 of 3');
    expect(last).toContain('href="/admin/profiles/paged?page=1&amp;size=2#api-tokens"');
    expect(countTestIds(last, 'token-page-next')).toBe(0);
  });

  it('shows a read-only user the tokens but no create, import or delete', async () => {
    const html = await (await reader.get('/admin/profiles/shop')).text();
    expect(tokenNames(html).length).toBeGreaterThan(0);
    for (const control of ['create-token-form', 'import-token-form', 'delete-token']) expect(countTestIds(html, control)).toBe(0);
  });
});

describe('deleting an API token with the form', () => {
  it('asks on a confirmation page, then deletes it and the key stops working', async () => {
    const apiKey = await seedToken({ profile: 'shop', name: 'doomed-token' });
    expect(await checkOnShop(apiKey)).toMatchObject({ ok: true });
    const confirm = await admin.get('/admin/profiles/shop/tokens/doomed-token/delete');
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('<form method="post" action="/admin/profiles/shop/tokens/doomed-token/delete"');

    const response = await admin.post('/admin/profiles/shop/tokens/doomed-token/delete');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/shop#api-tokens');
    expect(await checkOnShop(apiKey)).toEqual({ ok: false, reason: 'unknown-token' });
    expect((await admin.post('/admin/profiles/shop/tokens/doomed-token/delete')).status).toBe(404);
  });
});

describe('a read-only user', () => {
  it('gets 403 for every token change, and nothing changes', async () => {
    const apiKey = await seedToken({ profile: 'shop', name: 'readers-cannot-delete' });
    const refused = [
      await reader.post('/admin/profiles/shop/tokens', { name: 'readers-token' }),
      await reader.post('/admin/profiles/shop/tokens/import', { name: 'readers-import', token: 'r'.repeat(20) }),
      await reader.post('/admin/profiles/shop/tokens/readers-cannot-delete/delete'),
    ];
    for (const response of refused) expect(response.status).toBe(403);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM api_tokens WHERE name IN ('readers-token', 'readers-import')").first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expect(await checkOnShop(apiKey)).toMatchObject({ ok: true });
  });
});
