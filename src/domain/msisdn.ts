/** Phone numbers (MSISDN): parsing to E.164 with libphonenumber-js, and masking for logs and pages. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

export type MsisdnResult = { ok: true; e164: string; country?: string } | { ok: false; reason: string };

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
  if (!phone || !phone.isValid()) return { ok: false, reason: `${MSISDN_FORMAT_HINT} (not a valid number)` };
  return { ok: true, e164: phone.number, country: phone.country };
}

/** A phone number field: any form parseMsisdn() takes, turned into E.164; the error says which form is wanted. */
export const msisdnSchema = z
  .string({ error: 'is required' })
  .min(1, 'is required')
  .transform((raw, context) => {
    const parsed = parseMsisdn(raw);
    if (parsed.ok) return parsed.e164;
    context.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  });

/** "+46701234567" -> "+4670*****67": enough to tell numbers apart in a log, not enough to call one. */
export function maskMsisdn(e164: string): string {
  if (e164.length <= 7) return e164.slice(0, 2) + '*'.repeat(Math.max(0, e164.length - 2));
  return e164.slice(0, 5) + '*'.repeat(e164.length - 7) + e164.slice(-2);
}
