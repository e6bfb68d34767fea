/**
 * The one interface every push provider implements (notifications to the companion app),
 * and the choice of provider by configuration. Push is optional: without PUSH_PROVIDER every session uses SMS.
 */
import { isLocalDev, type Env } from '../../env';
import { DeliveryError, type FetchLike } from '../provider-request';
import { devInboxSender } from './dev-inbox';
import type { PushMessage } from './push-message';
import { fcmSender, parseServiceAccount } from './fcm';
import { webhookSender, webhookConfig } from './webhook';

export interface PushTarget {
  deviceId: string;
  platform: 'android' | 'ios' | 'web';
  pushToken: string;
}

// The dev inbox and tests import PushMessage from here; it lives in ./push-message (types only, for the session's RPC contract).
export type { PushMessage } from './push-message';

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
