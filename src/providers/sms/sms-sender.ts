/**
 * The one interface every SMS provider implements, and the choice of providers by configuration:
 * SMS_PROVIDERS, an ordered list ("46elks,twilio"; SMS_PROVIDER, the older single setting, is a list of
 * one). A send that fails for the provider's reasons (network, timeout, any refusal not about the
 * number) goes on to the next provider at once; a refusal of the number itself does not. A provider that
 * failed is tried last by later sends in this isolate for PROVIDER_COOL_DOWN_MS.
 */
import { isLocalDev, type Env } from '../../env';
import { DeliveryError, providerRequest, type FetchLike } from '../provider-request';
import { elksSender } from './elks';
import { outboxSender } from './outbox';
import { sinchSender } from './sinch';
import { twilioSender } from './twilio';

export interface SmsMessage {
  /** E.164 number. */
  to: string;
  /** The full SMS body (message text and magic link). */
  text: string;
  /** The magic link inside `text`, kept apart for the development outbox. */
  link: string;
  /** The sender shown on the phone, when the endpoint has its own; else the provider's configured one. */
  from?: string;
  /** Where the provider named reports whether the SMS reached the phone (src/api/delivery-reports.ts); no report without it. */
  reportUrl?: (provider: SmsProviderName) => string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

type ProviderFailure = { provider: string; detail: string };

/** Which provider sent it, and which were tried before it and why (safe to log: no secret, no number). */
export interface SmsSent {
  provider: string;
  failedOver: ProviderFailure[];
}

export interface SmsProviders {
  /** The usable providers, in order. */
  names: readonly string[];
  /** Sends with the first provider that takes it, skipping those in `except` (a resend after a failed delivery). */
  send(message: SmsMessage, except?: readonly string[]): Promise<SmsSent>;
}

/** The providers that send for real (the outbox is local development's). */
export const SMS_PROVIDER_NAMES = ['46elks', 'twilio', 'sinch'] as const;
export type SmsProviderName = (typeof SMS_PROVIDER_NAMES)[number];

/**
 * POSTs a form to a provider with Basic auth; any non-2xx or network failure becomes a DeliveryError,
 * marked `aboutNumber` when `refusesNumber(status, body)` says the refusal is about the recipient.
 */
export async function postForm(
  provider: string,
  fetcher: FetchLike,
  url: string,
  user: string,
  password: string,
  form: Record<string, string>,
  refusesNumber: (status: number, text: string) => boolean = () => false,
): Promise<void> {
  const response = await providerRequest(
    provider,
    fetcher,
    url,
    {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${user}:${password}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    },
    { readBody: true },
  );
  if (!response.ok) throw new DeliveryError(provider, `HTTP ${response.status}`, refusesNumber(response.status, response.text));
}

export const PROVIDER_COOL_DOWN_MS = 30_000;
/** Provider name -> until when it is tried last, in this isolate. */
const coolingUntil = new Map<string, number>();

/** Test hook: forget every cool-down. */
export const forgetProviderCoolDowns = (): void => coolingUntil.clear();

/** The configured providers, in order: SMS_PROVIDERS, else SMS_PROVIDER. */
const configuredSmsProviders = (env: Pick<Env, 'SMS_PROVIDERS' | 'SMS_PROVIDER'>): string[] =>
  (env.SMS_PROVIDERS?.trim() ? env.SMS_PROVIDERS : (env.SMS_PROVIDER ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

function required(env: Env, provider: string, ...names: (keyof Env)[]): string[] {
  const values = names.map((name) => env[name]);
  const missing = names.filter((_, i) => !values[i]);
  if (missing.length) throw new DeliveryError(provider, `not configured: set ${missing.join(', ')}`);
  return values as string[];
}

/**
 * With DATA_JURISDICTION=eu only providers that keep numbers and texts in the EU send: 46elks (Sweden)
 * and Sinch at its EU endpoint. Twilio processes messages in the US, so it is skipped there.
 */
function isEuProvider(env: Env, provider: string): boolean {
  if (provider === '46elks' || provider === 'outbox') return true;
  if (provider === 'sinch') return !env.SINCH_API_URL || new URL(env.SINCH_API_URL).hostname.startsWith('eu.');
  return false;
}

/** One provider's adapter, or a DeliveryError saying what its configuration lacks. */
function providerSender(env: Env, provider: string, fetcher: FetchLike): SmsSender {
  if (env.DATA_JURISDICTION === 'eu' && SMS_PROVIDER_NAMES.includes(provider as SmsProviderName) && !isEuProvider(env, provider)) {
    throw new DeliveryError(provider, 'not an EU provider: skipped while DATA_JURISDICTION is "eu"');
  }
  switch (provider) {
    case '46elks': {
      const [username, password, from] = required(env, provider, 'ELKS_USERNAME', 'ELKS_PASSWORD', 'ELKS_FROM');
      return elksSender({ username: username!, password: password!, from: from!, ...(env.ELKS_API_URL && { apiUrl: env.ELKS_API_URL }) }, fetcher);
    }
    case 'twilio': {
      const [accountSid, authToken, from] = required(env, provider, 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM');
      return twilioSender({ accountSid: accountSid!, authToken: authToken!, from: from!, ...(env.TWILIO_API_URL && { apiUrl: env.TWILIO_API_URL }) }, fetcher);
    }
    case 'sinch': {
      const [servicePlanId, apiToken, from] = required(env, provider, 'SINCH_SERVICE_PLAN_ID', 'SINCH_API_TOKEN', 'SINCH_FROM');
      return sinchSender({ servicePlanId: servicePlanId!, apiToken: apiToken!, from: from!, ...(env.SINCH_API_URL && { apiUrl: env.SINCH_API_URL }) }, fetcher);
    }
    case 'outbox':
      // The outbox keeps links readable at /dev/outbox: never in a deployment.
      if (!isLocalDev(env)) throw new DeliveryError('outbox', 'the outbox provider works only in local development (LOCAL_DEV=true)');
      return outboxSender(env);
    default:
      throw new DeliveryError(provider, 'unknown SMS provider (use 46elks, twilio, sinch or outbox in SMS_PROVIDERS)');
  }
}

/** Each configured provider, and whether its configuration is complete (for the administrator's health check). */
export function smsProviderReadiness(env: Env): { provider: string; ready: boolean; detail?: string }[] {
  return configuredSmsProviders(env).map((provider) => {
    try {
      providerSender(env, provider, () => Promise.reject(new Error('not for sending')));
      return { provider, ready: true };
    } catch (error) {
      return { provider, ready: false, detail: error instanceof DeliveryError ? error.detail : String(error) };
    }
  });
}

/** Every provider failed (or none was usable): one error naming each and why. */
const allFailed = (failures: ProviderFailure[]): DeliveryError =>
  failures.length === 1
    ? new DeliveryError(failures[0]!.provider, failures[0]!.detail)
    : new DeliveryError(failures.map((failure) => failure.provider).join(','), failures.map((failure) => `${failure.provider}: ${failure.detail}`).join('; '));

/**
 * The configured providers as one sender. A provider whose configuration is incomplete is skipped (the
 * log line of the send says so); when none is usable this throws at once, naming what is missing.
 */
export function smsSenderFor(env: Env, fetcher: FetchLike = (input, init) => fetch(input, init), nowMs: () => number = Date.now): SmsProviders {
  const names = configuredSmsProviders(env);
  if (!names.length) throw new DeliveryError('sms', 'no SMS provider configured: set SMS_PROVIDERS (e.g. "46elks,twilio")');
  const usable: { name: string; sender: SmsSender }[] = [];
  const unusable: ProviderFailure[] = [];
  for (const name of names) {
    try {
      usable.push({ name, sender: providerSender(env, name, fetcher) });
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      if (names.length === 1) throw error;
      unusable.push({ provider: name, detail: error.detail });
    }
  }
  if (!usable.length) throw allFailed(unusable);
  return {
    names: usable.map(({ name }) => name),
    async send(message, except = []) {
      const now = nowMs();
      // Providers cooling down after a failure go last: tried only when the others fail too.
      const order = [...usable.filter(({ name }) => (coolingUntil.get(name) ?? 0) <= now), ...usable.filter(({ name }) => (coolingUntil.get(name) ?? 0) > now)];
      const failedOver = [...unusable];
      const candidates = order.filter(({ name }) => !except.includes(name));
      if (!candidates.length) throw new DeliveryError('sms', `no provider left besides ${except.join(', ')}`);
      for (const { name, sender } of candidates) {
        try {
          await sender.send(message);
          coolingUntil.delete(name);
          return { provider: name, failedOver };
        } catch (error) {
          const failure = error instanceof DeliveryError ? error : new DeliveryError(name, error instanceof Error ? error.message : String(error));
          // Another provider would refuse this number too: answer as today.
          if (failure.aboutNumber) throw failure;
          coolingUntil.set(name, nowMs() + PROVIDER_COOL_DOWN_MS);
          failedOver.push({ provider: name, detail: failure.detail });
        }
      }
      throw allFailed(failedOver);
    },
  };
}
