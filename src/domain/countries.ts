/**
 * Countries a profile may send to (the SMS toll-fraud guard's geo permission). Codes are ISO 3166-1
 * alpha-2 as libphonenumber-js names a number's country; the list of known codes is its own, so a
 * code that no number can have (or a typo such as "UK") is refused rather than silently useless.
 */
import { getCountries as countriesIn, getCountryCallingCode as callingCodeIn, type CountryCode } from 'libphonenumber-js/core';
import * as z from './zod';
import { PHONE_METADATA } from './phone-metadata';

const getCountries = () => countriesIn(PHONE_METADATA);
const getCountryCallingCode = (code: CountryCode) => callingCodeIn(code, PHONE_METADATA);

/**
 * The shipped default (DEFAULT_ALLOWED_COUNTRIES): the EU and EEA countries, the United Kingdom and
 * Switzerland. Territories with numbers of their own (Guernsey GG, Jersey JE, Isle of Man IM, Åland AX,
 * the French overseas departments, ...) are separate codes, to be added where an endpoint serves them.
 */
export const EU_EEA_GB_CH: readonly string[] = [
  'AT', 'BE', 'BG', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GB', 'GR', 'HR', 'HU', 'IE',
  'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
];

const KNOWN = new Set<string>(getCountries());

export const isKnownCountry = (code: string): boolean => KNOWN.has(code);

let englishNames: Intl.DisplayNames | undefined;
/** "Sweden" for "SE"; the code itself where the runtime has no name for it. */
export function countryName(code: string): string {
  try {
    englishNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return englishNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every country a number can belong to, by English name: for the console's picker. */
export function countryChoices(): { code: string; name: string; callingCode: string }[] {
  return getCountries()
    .map((code: CountryCode) => ({ code, name: countryName(code), callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

const countryCodeSchema = z.pipe(z.string({ error: 'must be a country code such as "SE"' }), z.transform((code: string) => code.trim().toUpperCase())).check(
  z.refine(isKnownCountry, {
    error: (issue) =>
      issue.input === 'UK' || (typeof issue.input === 'string' && issue.input.trim().toUpperCase() === 'UK')
        ? 'is not an ISO 3166-1 code: the United Kingdom is "GB"'
        : 'must be an ISO 3166-1 alpha-2 code of a country with phone numbers of its own, e.g. "SE"',
  }),
);

/** A list of country codes, upper-cased, without repeats, sorted. `[]` means every country. */
export const allowedCountriesSchema = z.pipe(
  z
    .array(countryCodeSchema, { error: 'must be a list of country codes, e.g. ["SE", "NO"] ([] means every country)' })
    .check(z.maxLength(KNOWN.size, `must list at most ${KNOWN.size} countries`)),
  z.transform((codes: string[]) => [...new Set(codes)].sort()),
);

/** DEFAULT_ALLOWED_COUNTRIES as a list: comma-separated codes, "" for every country, unset for EU_EEA_GB_CH. */
export function parseCountryList(text: string | undefined): string[] {
  if (text === undefined) return [...EU_EEA_GB_CH];
  const codes = text
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
  const parsed = allowedCountriesSchema.safeParse(codes);
  if (!parsed.success) throw new Error(`DEFAULT_ALLOWED_COUNTRIES must be comma-separated ISO 3166-1 alpha-2 codes (or "" for every country), not "${text}"`);
  return parsed.data;
}

/** Why a number of `country` may not be sent to under `allowed`, or null when it may ([] allows every country). */
export function countryRefusal(country: string, allowed: readonly string[]): string | null {
  if (allowed.length === 0 || allowed.includes(country)) return null;
  return `is a number of ${countryName(country)} (${country}), a country this endpoint does not send to (its allowed countries: ${allowed.length <= 10 ? allowed.join(', ') : `${allowed.length} others`})`;
}
