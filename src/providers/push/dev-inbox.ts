/**
 * Local development push provider: records pushes in KV instead of sending them, so a developer can read them back.
 * Keys sort newest first (inverted time) under the device id, and expire after an hour.
 * A push token starting with `dev-gone:` or `dev-fail:` simulates a dead device or a failed delivery (to try the SMS fallback).
 */
import type { Env } from '../../env';
import { DeliveryError } from '../provider-request';
import { putNewestFirst, readNewestFirst } from '../../store/newest-first';
import { DeviceGoneError, pushMessageFields, type PushMessage, type PushSender, type PushTarget } from './push-sender';

export interface DevPush {
  deviceId: string;
  platform: PushTarget['platform'];
  pushToken: string;
  message: PushMessage;
  sentAt: string;
}

const DEV_PUSH_TTL_SECONDS = 60 * 60;

/** Device ids are encoded so that one id can never be the key prefix of another (e.g. "a" and "a:b"). */
const devPushPrefix = (deviceId: string) => `devpush:${encodeURIComponent(deviceId)}:`;

export function devInboxSender(env: Pick<Env, 'KV'>): PushSender {
  return {
    provider: 'dev',
    async send(target, message) {
      if (target.pushToken.startsWith('dev-gone:')) throw new DeviceGoneError('dev', 'simulated unregistered device (dev-gone: token)');
      if (target.pushToken.startsWith('dev-fail:')) throw new DeliveryError('dev', 'simulated delivery failure (dev-fail: token)');
      const now = Date.now();
      const record: DevPush = {
        deviceId: target.deviceId,
        platform: target.platform,
        pushToken: target.pushToken,
        message: pushMessageFields(message),
        sentAt: new Date(now).toISOString(),
      };
      await putNewestFirst(env.KV, devPushPrefix(target.deviceId), record, DEV_PUSH_TTL_SECONDS, now);
    },
  };
}

/** Pushes recorded for a device, newest first. */
export async function readDevPushes(env: Pick<Env, 'KV'>, deviceId: string, limit = 20): Promise<DevPush[]> {
  return readNewestFirst<DevPush>(env.KV, devPushPrefix(deviceId), limit);
}
