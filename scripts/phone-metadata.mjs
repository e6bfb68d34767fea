// `npm run phone-metadata`: writes src/domain/phone-metadata.json, libphonenumber-js's `mobile` metadata without
// its national formatting rules. The Worker only parses, validates and types numbers (never formats them), and
// the formats are half the metadata (98 KiB -> 48 KiB, 9 KiB gzip). Run it after updating libphonenumber-js:
// test/unit/phone-metadata.test.ts fails until the file matches the installed metadata.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The metadata with every country's (and non-geographic entity's) formats, at index 4, set to 0. */
function withoutFormats(metadata) {
  const trimmed = structuredClone(metadata);
  for (const group of [trimmed.countries, trimmed.nonGeographic ?? {}]) for (const code of Object.keys(group)) group[code][4] = 0;
  return trimmed;
}

const target = fileURLToPath(new URL('../src/domain/phone-metadata.json', import.meta.url));
const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('libphonenumber-js/metadata.mobile.json'), 'utf8'));
writeFileSync(target, `${JSON.stringify(withoutFormats(installed))}\n`);
console.log(`wrote ${target}`);
