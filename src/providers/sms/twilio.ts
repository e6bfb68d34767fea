/** Twilio: POST {TWILIO_API_URL}/2010-04-01/Accounts/{SID}/Messages.json, form `To`, `From`, `Body` (and `StatusCallback`, the delivery report URL), Basic auth (SID:token). */
import type { FetchLike } from '../provider-request';
import { postForm, type SmsSender } from './sms-sender';

export const TWILIO_DEFAULT_API_URL = 'https://api.twilio.com';

export const twilioMessagesUrl = (accountSid: string, apiUrl = TWILIO_DEFAULT_API_URL) =>
  `${apiUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;

/**
 * Twilio's error codes about the recipient: 21211 invalid To, 21214 To cannot be reached, 21612 no route
 * to it, 21614 not a mobile number, 21610 the recipient replied STOP. Any other failure is Twilio's own.
 */
const NUMBER_ERROR_CODES = new Set([21211, 21214, 21612, 21614, 21610]);

function refusesNumber(status: number, text: string): boolean {
  if (status !== 400) return false;
  try {
    return NUMBER_ERROR_CODES.has((JSON.parse(text) as { code?: number }).code ?? 0);
  } catch {
    return false;
  }
}

export function twilioSender(config: { accountSid: string; authToken: string; from: string; apiUrl?: string }, fetcher: FetchLike): SmsSender {
  const url = twilioMessagesUrl(config.accountSid, config.apiUrl);
  return {
    send: (message) => postForm('twilio', fetcher, url, config.accountSid, config.authToken, { To: message.to, From: message.from ?? config.from, Body: message.text, ...(message.reportUrl && { StatusCallback: message.reportUrl('twilio') }) }, refusesNumber),
  };
}
