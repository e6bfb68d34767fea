/**
 * The one interface every push provider implements (notifications to the companion app),
 * and the choice of provider by configuration. Push is optional: without PUSH_PROVIDER every session uses SMS.
 */
import { isLocalDev, type Env } from '../../env';
import { DeliveryError, PROVIDER_TIMEOUT_MS, type FetchLike } from '../sms/sms-sender';
import { devInboxSender } from './dev-inbox';
import { fcmSender, parseServiceAccount } from './fcm';
import { webhookSender, webhookConfig } from './webhook';

export interface PushTarget {
  deviceId: string;
  platform: 'android' | 'ios' | 'web';
  pushToken: string;
}

export interface PushMessage {
  /** The authentication session id (not secret). */
  sessionId: string;
  /** Notification title. */
  title: string;
  /** Authentication text. */
  body: string;
  acceptLabel: string;
  rejectLabel: string;
  /** Which endpoint profile asked. */
  profileName: string;
  /** Epoch milliseconds after which the answer no longer counts. */
  deadlineMs: number;
  /** The app must ask the user to pick a number (number matching). */
  matchRequired: boolean;
  /** With number matching: the three numbers the app offers (the right one among them; which one is not said). */
  matchChoices?: string[];
  context?: { location?: string; requestedAtMs: number };
}

export interface PushSender {
  readonly provider: string;
  send(target: PushTarget, message: PushMessage): Promise<void>;
}

/** The provider says this device's push token is no longer valid: the caller should stop using the device. */
export class DeviceGoneError extends DeliveryError {}

/**
 * Copies exactly the PushMessage fields, so nothing else a caller's object may carry ends up in a payload.
 * `context` is left out when absent and `location` when unset.
 */
export function pushMessageFields(message: PushMessage): PushMessage {
  const fields: PushMessage = {
    sessionId: message.sessionId,
    title: message.title,
    body: message.body,
    acceptLabel: message.acceptLabel,
    rejectLabel: message.rejectLabel,
    profileName: message.profileName,
    deadlineMs: message.deadlineMs,
    matchRequired: message.matchRequired,
  };
  if (message.matchChoices) fields.matchChoices = [...message.matchChoices];
  if (message.context) {
    fields.context = { requestedAtMs: message.context.requestedAtMs };
    if (message.context.location !== undefined) fields.context.location = message.context.location;
  }
  return fields;
}

export interface ProviderResponse {
  status: number;
  ok: boolean;
  /** The response text when asked for, else "". */
  text: string;
}

/**
 * One provider request under PROVIDER_TIMEOUT_MS. A network failure or timeout becomes
 * DeliveryError(provider, `${label}request failed: <ErrorName>`); statuses are left to the caller.
 */
export async function providerRequest(
  provider: string,
  fetcher: FetchLike,
  url: string,
  init: RequestInit,
  options: { readBody?: boolean; label?: string } = {},
): Promise<ProviderResponse> {
  // A cleared timer rather than AbortSignal.timeout(), whose pending timer would keep the session object busy.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROVIDER_TIMEOUT_MS);
  try {
    const response = await fetcher(url, { ...init, signal: controller.signal });
    let text = '';
    if (options.readBody) text = await response.text();
    else await response.body?.cancel();
    return { status: response.status, ok: response.ok, text };
  } catch (error) {
    throw new DeliveryError(provider, `${options.label ?? ''}request failed: ${error instanceof Error ? error.name : 'error'}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The push sender PUSH_PROVIDER names, or null when push is off (PUSH_PROVIDER unset or empty). */
export function pushSenderFor(env: Env, fetcher: FetchLike = (input, init) => fetch(input, init)): PushSender | null {
  const provider = env.PUSH_PROVIDER?.trim();
  if (!provider) return null;
  switch (provider) {
    case 'fcm':
      if (!env.FCM_SERVICE_ACCOUNT) throw new DeliveryError('fcm', 'not configured: set FCM_SERVICE_ACCOUNT');
      return fcmSender(parseServiceAccount(env.FCM_SERVICE_ACCOUNT), fetcher);
    case 'webhook':
      return webhookSender(webhookConfig(env), fetcher);
    case 'dev':
      // The dev inbox keeps pushes readable in KV: never in a deployment.
      if (!isLocalDev(env)) throw new DeliveryError('dev', 'the dev push provider works only in local development (LOCAL_DEV=true)');
      return devInboxSender(env);
    default:
      throw new DeliveryError(provider, 'unknown PUSH_PROVIDER (use fcm, webhook or dev, or leave it unset for SMS only)');
  }
}
