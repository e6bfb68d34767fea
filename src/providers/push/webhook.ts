/**
 * Generic signed webhook, for self-hosters with their own push relay: POST PUSH_WEBHOOK_URL with JSON
 * `{ type: "sfwa.push", device: { id, platform, pushToken }, message }`, signed as
 * `x-sfwa-signature: v1=<hex HMAC-SHA256(PUSH_WEBHOOK_SECRET, "<x-sfwa-timestamp>.<raw body>")>`.
 * The relay verifies the signature over the exact bytes received and answers 410 for a device it no longer knows.
 */
import type { Env } from '../../env';
import { signatureHeaders } from '../../security/signed-body';
import { DeliveryError, providerRequest, type FetchLike } from '../provider-request';
import { DeviceGoneError, pushMessageFields, type PushSender } from './push-sender';

export const WEBHOOK_SECRET_MIN_LENGTH = 32;

export interface WebhookConfig {
  url: string;
  secret: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** PUSH_WEBHOOK_URL and PUSH_WEBHOOK_SECRET, checked: https (plain http only to localhost) and a long enough secret. */
export function webhookConfig(env: Pick<Env, 'PUSH_WEBHOOK_URL' | 'PUSH_WEBHOOK_SECRET'>): WebhookConfig {
  const missing = (['PUSH_WEBHOOK_URL', 'PUSH_WEBHOOK_SECRET'] as const).filter((name) => !env[name]);
  if (missing.length) throw new DeliveryError('webhook', `not configured: set ${missing.join(', ')}`);
  const url = env.PUSH_WEBHOOK_URL!;
  const secret = env.PUSH_WEBHOOK_SECRET!;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  const allowed = parsed !== null && (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)));
  if (!allowed) throw new DeliveryError('webhook', 'PUSH_WEBHOOK_URL must be an https URL (plain http only for localhost or 127.0.0.1)');
  if (secret.length < WEBHOOK_SECRET_MIN_LENGTH) {
    throw new DeliveryError('webhook', `PUSH_WEBHOOK_SECRET must be at least ${WEBHOOK_SECRET_MIN_LENGTH} characters`);
  }
  return { url, secret };
}

export function webhookSender(config: WebhookConfig, fetcher: FetchLike): PushSender {
  return {
    provider: 'webhook',
    async send(target, message) {
      const body = JSON.stringify({
        type: 'sfwa.push',
        device: { id: target.deviceId, platform: target.platform, pushToken: target.pushToken },
        message: pushMessageFields(message),
      });
      const response = await providerRequest('webhook', fetcher, config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await signatureHeaders(config.secret, body)) },
        body,
        // A redirect would carry the signed push somewhere the configuration does not name.
        redirect: 'manual',
      });
      if (response.status === 410) throw new DeviceGoneError('webhook', 'device no longer registered (HTTP 410)');
      if (!response.ok) throw new DeliveryError('webhook', `HTTP ${response.status}`);
    },
  };
}
