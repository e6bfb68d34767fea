/**
 * Phone numbers (MSISDN): parsing to E.164 with libphonenumber-js, and masking for logs and pages.
 *
 * Only numbers that can receive an SMS as a mobile are taken (the SMS toll-fraud guard's number-type
 * check, applied to every number whatever its channel). The check uses libphonenumber-js's `mobile`
 * metadata (without its formatting rules: src/domain/phone-metadata.ts): for this rule it accepts exactly
 * what the `max` set would (its mobile and fixed-line-or-mobile numbers), at +5 KiB gzip in the Worker
 * bundle against +21 KiB for `max`; `max` would only let a refusal name the exact kind (premium-rate,
 * toll-free, ...), which the message below lists instead.
 */
import { parsePhoneNumberFromString as parseWith } from 'libphonenumber-js/core';
import * as z from './zod';
import { PHONE_METADATA } from './phone-metadata';

const parsePhoneNumberFromString = (text: string) => parseWith(text, PHONE_METADATA);

export type MsisdnResult = { ok: true; e164: string; country: string } | { ok: false; reason: string };

const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export const NOT_MOBILE_REASON =
  'is not a mobile number: sign-in requests go only to numbers that can receive SMS as a mobile ' +
  '(landline, premium-rate, shared-cost, toll-free, UAN, pager, voicemail and other special numbers are refused)';
export const NON_GEOGRAPHIC_REASON = 'is a non-geographic number (satellite or international service): no sign-in request is sent to it';

export const MSISDN_FORMAT_HINT = 'must be a phone number in international format, e.g. +46701234567';

/**
 * Accepts "+46701234567", "0046701234567", "46701234567" and the same with spaces or dashes.
 * A leading space stands for "+": the seed's own example puts an unencoded "+" in a query string,
 * which URL decoding turns into a space.
 */
export function parseMsisdn(raw: string): MsisdnResult {
  const compact = raw.replace(/[\s\-().]/g, '');
  if (!/^(\+|00)?\d{6,15}$/.test(compact)) return { ok: false, reason: MSISDN_FORMAT_HINT };
  const international = compact.startsWith('+') ? compact : `+${compact.replace(/^00/, '')}`;
  const phone = parsePhoneNumberFromString(international);
  if (!phone || !phone.isPossible()) return { ok: false, reason: `${MSISDN_FORMAT_HINT} (not a valid number)` };
  // With the `mobile` metadata, isValid() holds only for numbers that match a mobile numbering range.
  if (!phone.isValid() || !MOBILE_TYPES.has(phone.getType() ?? '')) return { ok: false, reason: NOT_MOBILE_REASON };
  // Satellite (+881, +870) and international network numbers are "mobile" to libphonenumber, but belong to no country.
  if (!phone.country) return { ok: false, reason: NON_GEOGRAPHIC_REASON };
  return { ok: true, e164: phone.number, country: phone.country };
}

/** The country of a number parseMsisdn() accepted (E.164). */
export function msisdnCountry(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}

/** A phone number field: any form parseMsisdn() takes, turned into E.164; the error says which form is wanted. */
export const msisdnSchema = z.pipe(
  z.string({ error: 'is required' }).check(z.minLength(1, 'is required')),
  z.transform((raw: string, context) => {
    const parsed = parseMsisdn(raw);
    if (parsed.ok) return parsed.e164;
    context.issues.push({ code: 'custom', message: parsed.reason, input: raw });
    return z.NEVER;
  }),
);

/** "+46701234567" -> "+4670*****67": enough to tell numbers apart in a log, not enough to call one. */
export function maskMsisdn(e164: string): string {
  if (e164.length <= 7) return e164.slice(0, 2) + '*'.repeat(Math.max(0, e164.length - 2));
  return e164.slice(0, 5) + '*'.repeat(e164.length - 7) + e164.slice(-2);
}
