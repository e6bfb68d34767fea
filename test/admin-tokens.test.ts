import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkApiKey } from '../src/access/api-key-auth';
import { sha256Hex } from '../src/security/crypto';
import { findProfile } from '../src/store/profiles';
import { type Caller, db, errorFields, json, signedInAs } from './admin-client';

let asAdmin: Caller;
beforeAll(async () => {
  asAdmin = await signedInAs('admin');
  await asAdmin('POST', '/profiles', { name: 'shop' });
});

const inTwoDays = () => new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString();
const checkOnShop = async (apiKey: string) => {
  const profile = await findProfile(db(), 'shop');
  return checkApiKey(db(), profile!.id, apiKey, new Date());
};

describe('creating a token', () => {
  it('shows the api-key once as name:secret, and that key is accepted', async () => {
    const expiresAt = inTwoDays();
    const response = await asAdmin('POST', '/profiles/shop/tokens', { name: 'webshop', expiresAt });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toEqual({ token: expect.stringMatching(/^webshop:[A-Za-z0-9_-]{40}$/), name: 'webshop', expiresAt });
    expect(await checkOnShop(created.token)).toMatchObject({ ok: true });
    expect(await checkOnShop('webshop:wrong-secret-wrong-secret')).toEqual({ ok: false, reason: 'wrong-secret' });
  });

  it('stores only the hash of the secret', async () => {
    const { token } = await json(await asAdmin('POST', '/profiles/shop/tokens', { name: 'hashed' }));
    const secret = token.slice('hashed:'.length);
    const row = await env.DB.prepare("SELECT * FROM api_tokens WHERE name = 'hashed'").first();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row?.secret_hash).toBe(await sha256Hex(secret));
  });

  it('refuses a name of 2 characters, an expiry in the past and a duplicate name', async () => {
    const short = await asAdmin('POST', '/profiles/shop/tokens', { name: 'ab' });
    expect(short.status).toBe(400);
    expect(await errorFields(short)).toEqual(['name']);

    const past = await asAdmin('POST', '/profiles/shop/tokens', { name: 'expired', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(await errorFields(past)).toEqual(['expiresAt']);

    await asAdmin('POST', '/profiles/shop/tokens', { name: 'taken' });
    const duplicate = await asAdmin('POST', '/profiles/shop/tokens', { name: 'taken' });
    expect(duplicate.status).toBe(409);
    expect(await errorFields(duplicate)).toEqual(['name']);
  });

  it('answers 404 for an unknown profile', async () => {
    expect((await asAdmin('POST', '/profiles/nowhere/tokens', { name: 'app' })).status).toBe(404);
  });
});

describe('importing a token', () => {
  it('needs a value of at least 16 characters, and does not echo it', async () => {
    const tooShort = await asAdmin('POST', '/profiles/shop/tokens/import', { name: 'legacy', token: 'x'.repeat(15) });
    expect(tooShort.status).toBe(400);
    expect(await errorFields(tooShort)).toEqual(['token']);

    const secret = 'legacy-secret-16';
    const response = await asAdmin('POST', '/profiles/shop/tokens/import', { name: 'legacy', token: secret });
    expect(response.status).toBe(201);
    expect(await json(response)).toEqual({ name: 'legacy', expiresAt: null });
    expect(await checkOnShop(`legacy:${secret}`)).toMatchObject({ ok: true });
  });
});

describe('deleting a token', () => {
  it('stops its key from working at once', async () => {
    const { token } = await json(await asAdmin('POST', '/profiles/shop/tokens', { name: 'retired' }));
    expect(await checkOnShop(token)).toMatchObject({ ok: true });
    expect((await asAdmin('DELETE', '/profiles/shop/tokens/retired')).status).toBe(204);
    expect(await checkOnShop(token)).toEqual({ ok: false, reason: 'unknown-token' });
    expect((await asAdmin('DELETE', '/profiles/shop/tokens/retired')).status).toBe(404);
  });
});

describe('the token list', () => {
  it('pages from 0 and never shows secrets', async () => {
    await asAdmin('POST', '/profiles', { name: 'many' });
    const secrets: string[] = [];
    for (let i = 0; i < 25; i++) {
      const name = `app-${String(i).padStart(2, '0')}`;
      const { token } = await json(await asAdmin('POST', '/profiles/many/tokens', { name }));
      secrets.push(token.slice(name.length + 1));
    }
    const first = await asAdmin('GET', '/profiles/many/tokens?page=0&size=10');
    const firstText = await first.text();
    const firstPage = JSON.parse(firstText);
    expect(firstPage).toMatchObject({ page: 0, size: 10, total: 25 });
    expect(firstPage.items).toHaveLength(10);
    expect(firstPage.items[0]).toEqual({ name: 'app-00', expiresAt: null, source: 'created', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    for (const secret of secrets) expect(firstText).not.toContain(secret);

    const last = await json(await asAdmin('GET', '/profiles/many/tokens?page=2&size=10'));
    expect(last.items.map((t: { name: string }) => t.name)).toEqual(['app-20', 'app-21', 'app-22', 'app-23', 'app-24']);

    const defaults = await (await asAdmin('GET', '/profiles/many/tokens')).json();
    expect(defaults).toMatchObject({ page: 0, size: 20, total: 25 });
  });

  it('refuses bad page and size values, naming them', async () => {
    for (const [query, field] of [
      ['page=-1', 'page'],
      ['page=x', 'page'],
      ['size=0', 'size'],
      ['size=101', 'size'],
      ['size=2.5', 'size'],
    ]) {
      const response = await asAdmin('GET', `/profiles/shop/tokens?${query}`);
      expect(response.status).toBe(400);
      expect(await errorFields(response)).toEqual([field]);
    }
  });
});
