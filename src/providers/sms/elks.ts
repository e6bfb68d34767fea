/** 46elks: POST {ELKS_API_URL}/a1/sms, form `from`, `to`, `message` (and `whendelivered`, the delivery report URL), Basic auth. */
import type { FetchLike } from '../provider-request';
import { postForm, type SmsSender } from './sms-sender';

export const ELKS_DEFAULT_API_URL = 'https://api.46elks.com';
export const ELKS_SMS_URL = `${ELKS_DEFAULT_API_URL}/a1/sms`;

/** 46elks answers a bad recipient with a 4xx whose text names `to` (e.g. "Invalid 'to' phone number"). */
const refusesNumber = (status: number, text: string): boolean => (status === 400 || status === 403) && /\bto\b/i.test(text);

export function elksSender(config: { username: string; password: string; from: string; apiUrl?: string }, fetcher: FetchLike): SmsSender {
  const url = `${(config.apiUrl ?? ELKS_DEFAULT_API_URL).replace(/\/+$/, '')}/a1/sms`;
  return {
    send: (message) =>
      postForm('46elks', fetcher, url, config.username, config.password, { from: message.from ?? config.from, to: message.to, message: message.text, ...(message.reportUrl && { whendelivered: message.reportUrl('46elks') }) }, refusesNumber),
  };
}
