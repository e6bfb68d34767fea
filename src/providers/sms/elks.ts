/** 46elks: POST https://api.46elks.com/a1/sms, form `from`, `to`, `message`, Basic auth. */
import type { FetchLike } from '../provider-request';
import { postForm, type SmsSender } from './sms-sender';

export const ELKS_SMS_URL = 'https://api.46elks.com/a1/sms';

export function elksSender(config: { username: string; password: string; from: string }, fetcher: FetchLike): SmsSender {
  return {
    send: (message) =>
      postForm('46elks', fetcher, ELKS_SMS_URL, config.username, config.password, {
        from: config.from,
        to: message.to,
        message: message.text,
      }),
  };
}
