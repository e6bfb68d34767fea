// `node scripts/bundle-parts.mjs`: what each large part of the Worker bundle costs. Builds src/index.tsx as wrangler
// does (esbuild, minified ESM, the workerd conditions, wrangler.toml's node:util alias; on 2026-12-06 it gave the same
// 594.4 KiB / 181.9 KiB gzip as `wrangler deploy --dry-run`), then once more per part with that part replaced by an
// empty module: the difference is what the part costs, in gzip as Cloudflare counts the upload.
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { root } from './local-worker.mjs';

/** Each part, by the import specifiers that bring it in. */
const PARTS = {
  'phone-number metadata (src/domain/phone-metadata.json)': /phone-metadata\.json$/,
  "libphonenumber-js's code": /^libphonenumber-js/,
  'drizzle-orm': /^drizzle-orm/,
  ldapts: /^ldapts$/,
  hono: /^hono/,
  zod: /^zod/,
  jose: /^jose$/,
  "the console's views (src/views/console)": /views\/console\//,
};

/** An esbuild plugin that resolves every import matching `specifiers` to an empty module. */
const emptyModules = (specifiers) => ({
  name: 'empty-modules',
  setup(build) {
    build.onResolve({ filter: specifiers }, ({ path }) => ({ path, namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {}', loader: 'js' }));
  },
});

/** The minified bundle's size, with the modules matching `stubbed` (a RegExp, or null for none) left out. */
async function sizeWithout(stubbed) {
  const result = await esbuild.build({
    entryPoints: [`${root}src/index.tsx`],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    alias: { 'node:util': `${root}src/directory/ldap/quiet-node-util.ts` },
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    write: false,
    logLevel: 'error',
    plugins: stubbed ? [emptyModules(stubbed)] : [],
  });
  const code = result.outputFiles[0].contents;
  return { kib: code.length / 1024, gzipKib: gzipSync(code).length / 1024 };
}

const whole = await sizeWithout(null);
console.log(`whole bundle: ${whole.kib.toFixed(1)} KiB, ${whole.gzipKib.toFixed(1)} KiB gzip`);
for (const [part, specifiers] of Object.entries(PARTS)) {
  const without = await sizeWithout(specifiers);
  console.log(`  ${part.padEnd(56)}${(whole.gzipKib - without.gzipKib).toFixed(1).padStart(6)} KiB gzip  (${(whole.kib - without.kib).toFixed(1)} KiB)`);
}
