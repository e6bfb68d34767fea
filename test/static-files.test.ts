import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/api/openapi';
import { assetFetch } from './static-assets';

// public/api/openapi.json is written from the schemas by `npm run static-files`; these tests fail until it is rerun.
describe('the OpenAPI document', () => {
  it('is served as a static asset, equal to the one the schemas describe (rerun `npm run static-files` if not)', async () => {
    const response = await assetFetch('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(await response.text())).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('may be read by tools on other origins, is cached briefly, and carries the strict headers', async () => {
    const response = await assetFetch('/api/openapi.json');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
  });

  it('is not part of the Worker', async () => {
    expect((await SELF.fetch('http://localhost/api/openapi.json')).status).toBe(404);
  });
});
