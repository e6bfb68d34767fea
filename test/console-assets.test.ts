import { describe, expect, it } from 'vitest';
import { browserAs, consoleFetch } from './console-client';
import { assetFetch, contentVersion } from './static-assets';

const linked = (html: string, pattern: RegExp) => pattern.exec(html)?.[1] ?? '';

describe('the console assets', () => {
  it('are linked from every page with a hash of their content, and served with their content types and a long cache', async () => {
    const html = await (await consoleFetch('GET', '/admin/sign-in')).text();
    const script = linked(html, /<script src="([^"]+)" defer=""><\/script>/);
    const stylesheet = linked(html, /<link rel="stylesheet" href="([^"]+)"\/?>/);
    expect(script).toMatch(/^\/admin\/assets\/console\.js\?v=[0-9a-f]{12}$/);
    expect(stylesheet).toMatch(/^\/admin\/assets\/console\.css\?v=[0-9a-f]{12}$/);

    const js = await assetFetch(script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(js.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const body = await js.text();
    expect(body.length).toBeLessThan(16_000);
    expect(body).not.toMatch(/\bimport\b|\brequire\(/);
    expect(script.split('?v=')[1]).toBe(await contentVersion(body));

    const css = await assetFetch(stylesheet);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await css.text();
    expect(style).toContain('prefers-color-scheme:dark');
    expect(stylesheet.split('?v=')[1]).toBe(await contentVersion(style));
  });

  it('are not in the Worker: an address under /admin/assets that is no file gets the console\'s 404', async () => {
    expect((await assetFetch('/admin/assets/other.js')).status).toBe(404);
    const response = await consoleFetch('GET', '/admin/assets/other.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('are allowed by the CSP, and pages need nothing inline', async () => {
    const browser = await browserAs('admin');
    for (const path of ['/admin/sign-in', '/admin/profiles', '/admin/profiles/default', '/admin/profiles/new']) {
      const response = path === '/admin/sign-in' ? await consoleFetch('GET', path) : await browser.get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).toMatch(/connect-src 'self'/);
      expect(csp).toMatch(/form-action 'self'/);
      const html = await response.text();
      // Every script has a same-origin src, no element carries an inline style or handler.
      expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script src="\/admin\/assets\/console\.js\?v=\w+" defer="">$/)]);
      expect(html).not.toMatch(/\sstyle="/);
      expect(html).not.toMatch(/\son[a-z]+="/);
      // Nothing from another origin (the SVG namespace is a name, not a fetch).
      expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\/(?!localhost)/);
    }
  });
});

describe('the referrer policy', () => {
  it('is same-origin on console pages, so their form posts carry a real Origin, and no-referrer elsewhere', async () => {
    expect((await consoleFetch('GET', '/admin/sign-in')).headers.get('referrer-policy')).toBe('same-origin');
    expect((await consoleFetch('GET', '/health')).headers.get('referrer-policy')).toBe('no-referrer');
    expect((await consoleFetch('GET', '/l/unknown-session/secret')).headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('stays strict in the guard: a form post with `Origin: null` is refused', async () => {
    const response = await consoleFetch('POST', '/admin/sign-in', { form: { username: 'a', password: 'b' }, headers: { origin: 'null' } });
    expect(response.status).toBe(403);
  });
});

describe('other console addresses', () => {
  it('answer a 404 page, while the JSON API keeps its JSON 404', async () => {
    const browser = await browserAs('user');
    const page = await browser.get('/admin/no-such-page');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const api = await browser.get('/admin/api/no-such-endpoint');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
