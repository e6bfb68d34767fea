/**
 * Local development provider: records messages in KV instead of sending them, for /dev/outbox.
 * Keys sort newest first (inverted time) under a hash of the number, and expire after a day.
 */
import type { Env } from '../../env';
import { phoneKey } from '../../security/phone-key';
import type { SmsSender } from './sms-sender';

export interface OutboxMessage {
  channel: 'sms';
  to: string;
  text: string;
  url: string;
  sentAt: string;
}

const OUTBOX_TTL_SECONDS = 24 * 60 * 60;
const MAX_TIME_MS = 9_999_999_999_999;

const outboxPrefix = async (env: Pick<Env, 'PHONE_HASH_SECRET'>, msisdn: string) => `outbox:${await phoneKey(env, msisdn)}:`;

export function outboxSender(env: Pick<Env, 'KV' | 'PHONE_HASH_SECRET'>): SmsSender {
  return {
    async send(message) {
      const now = Date.now();
      const record: OutboxMessage = { channel: 'sms', to: message.to, text: message.text, url: message.link, sentAt: new Date(now).toISOString() };
      const key = `${await outboxPrefix(env, message.to)}${String(MAX_TIME_MS - now).padStart(13, '0')}:${crypto.randomUUID()}`;
      await env.KV.put(key, JSON.stringify(record), { expirationTtl: OUTBOX_TTL_SECONDS });
    },
  };
}

/** Messages recorded for a number, newest first. */
export async function readOutbox(env: Pick<Env, 'KV' | 'PHONE_HASH_SECRET'>, msisdn: string, limit = 50): Promise<OutboxMessage[]> {
  const listed = await env.KV.list({ prefix: await outboxPrefix(env, msisdn), limit });
  const values = await Promise.all(listed.keys.map((key) => env.KV.get<OutboxMessage>(key.name, 'json')));
  return values.filter((value): value is OutboxMessage => value !== null);
}
