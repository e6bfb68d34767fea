/** The one interface every SMS provider implements, and the choice of provider by configuration. */
import { isLocalDev, type Env } from '../../env';
import { DeliveryError, providerRequest, type FetchLike } from '../provider-request';
import { elksSender } from './elks';
import { outboxSender } from './outbox';
import { twilioSender } from './twilio';

export interface SmsMessage {
  /** E.164 number. */
  to: string;
  /** The full SMS body (message text and magic link). */
  text: string;
  /** The magic link inside `text`, kept apart for the development outbox. */
  link: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}


/** POSTs a form to a provider with Basic auth; any non-2xx or network failure becomes a DeliveryError. */
export async function postForm(provider: string, fetcher: FetchLike, url: string, user: string, password: string, form: Record<string, string>): Promise<void> {
  const response = await providerRequest(provider, fetcher, url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${user}:${password}`)}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form).toString(),
  });
  if (!response.ok) throw new DeliveryError(provider, `HTTP ${response.status}`);
}

function required(env: Env, ...names: (keyof Env)[]): string[] {
  const values = names.map((name) => env[name]);
  const missing = names.filter((_, i) => !values[i]);
  if (missing.length) throw new DeliveryError(env.SMS_PROVIDER, `not configured: set ${missing.join(', ')}`);
  return values as string[];
}

export function smsSenderFor(env: Env, fetcher: FetchLike = (input, init) => fetch(input, init)): SmsSender {
  switch (env.SMS_PROVIDER) {
    case '46elks': {
      const [username, password, from] = required(env, 'ELKS_USERNAME', 'ELKS_PASSWORD', 'ELKS_FROM');
      return elksSender({ username: username!, password: password!, from: from! }, fetcher);
    }
    case 'twilio': {
      const [accountSid, authToken, from] = required(env, 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM');
      return twilioSender({ accountSid: accountSid!, authToken: authToken!, from: from! }, fetcher);
    }
    case 'outbox':
      // The outbox keeps links readable at /dev/outbox: never in a deployment.
      if (!isLocalDev(env)) throw new DeliveryError('outbox', 'the outbox provider works only in local development (LOCAL_DEV=true)');
      return outboxSender(env);
    default:
      throw new DeliveryError(String(env.SMS_PROVIDER), 'unknown SMS_PROVIDER (use 46elks, twilio or outbox)');
  }
}
