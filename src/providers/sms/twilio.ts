/** Twilio: POST /2010-04-01/Accounts/{SID}/Messages.json, form `To`, `From`, `Body`, Basic auth (SID:token). */
import type { FetchLike } from '../provider-request';
import { postForm, type SmsSender } from './sms-sender';

export const twilioMessagesUrl = (accountSid: string) =>
  `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;

export function twilioSender(config: { accountSid: string; authToken: string; from: string }, fetcher: FetchLike): SmsSender {
  return {
    send: (message) =>
      postForm('twilio', fetcher, twilioMessagesUrl(config.accountSid), config.accountSid, config.authToken, {
        To: message.to,
        From: config.from,
        Body: message.text,
      }),
  };
}
