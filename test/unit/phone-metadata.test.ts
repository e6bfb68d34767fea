import installed from 'libphonenumber-js/metadata.mobile.json';
import { describe, expect, it } from 'vitest';
import committed from '../../src/domain/phone-metadata.json';

describe('the phone-number metadata the Worker ships', () => {
  it('is the installed libphonenumber-js mobile metadata without its formats (else: npm run phone-metadata)', () => {
    const expected = structuredClone(installed) as { countries: Record<string, unknown[]>; nonGeographic?: Record<string, unknown[]> };
    for (const group of [expected.countries, expected.nonGeographic ?? {}]) for (const entry of Object.values(group)) entry[4] = 0;
    expect(committed).toEqual(expected);
  });
});
