// `npm run static-files`: writes what the Worker's static assets (public/, served by Cloudflare without running
// the Worker) need from the source: public/api/openapi.json from the zod schemas (src/api/openapi.ts), and
// src/views/console/asset-versions.json, the content hashes the console pages put in their asset URLs.
// Run it after changing an API schema or public/admin/assets/*: test/static-files.test.ts fails until then.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The OpenAPI document, built from the TypeScript source into a throw-away module and imported. */
async function openApiDocument() {
  const outfile = `${root}node_modules/.cache/sfwa/openapi.mjs`;
  await build({ entryPoints: [`${root}src/api/openapi.ts`], bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'error' });
  const { openApiDocument: document } = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  rmSync(outfile);
  return document;
}

/** The first 12 hex digits of the file's SHA-256: changes whenever the file does. */
export const contentVersion = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);

mkdirSync(`${root}public/api`, { recursive: true });
writeFileSync(`${root}public/api/openapi.json`, `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
const versions = Object.fromEntries(
  ['console.css', 'console.js'].map((file) => [file, contentVersion(readFileSync(`${root}public/admin/assets/${file}`))]),
);
writeFileSync(`${root}src/views/console/asset-versions.json`, `${JSON.stringify(versions, null, 2)}\n`);
console.log('wrote public/api/openapi.json and src/views/console/asset-versions.json');
