/**
 * Local development provider: records messages in KV instead of sending them, for /dev/outbox.
 * Keys sort newest first (inverted time) under a hash of the number, and expire after a day.
 */
import type { Env } from '../../env';
import { phoneKey } from '../../security/phone-key';
import { putNewestFirst, readNewestFirst } from '../../store/newest-first';
import type { SmsSender } from './sms-sender';

export interface OutboxMessage {
  channel: 'sms';
  to: string;
  text: string;
  url: string;
  sentAt: string;
}

const OUTBOX_TTL_SECONDS = 24 * 60 * 60;

const outboxPrefix = async (env: Pick<Env, 'PHONE_HASH_SECRET'>, msisdn: string) => `outbox:${await phoneKey(env, msisdn)}:`;

const signalOf = (env: Pick<Env, 'OUTBOX_SIGNAL'>) => env.OUTBOX_SIGNAL.get(env.OUTBOX_SIGNAL.idFromName('outbox'));

export function outboxSender(env: Pick<Env, 'KV' | 'PHONE_HASH_SECRET' | 'OUTBOX_SIGNAL'>): SmsSender {
  return {
    async send(message) {
      const now = Date.now();
      const record: OutboxMessage = { channel: 'sms', to: message.to, text: message.text, url: message.link, sentAt: new Date(now).toISOString() };
      const prefix = await outboxPrefix(env, message.to);
      await putNewestFirst(env.KV, prefix, record, OUTBOX_TTL_SECONDS, now);
      await signalOf(env).recorded(prefix, record);
    },
  };
}

/**
 * Messages recorded for a number, newest first. With `waitMs`, an empty outbox answers with its first
 * message as soon as it is recorded (or [] after `waitMs`).
 */
export async function readOutbox(env: Pick<Env, 'KV' | 'PHONE_HASH_SECRET' | 'OUTBOX_SIGNAL'>, msisdn: string, limit = 50, waitMs = 0): Promise<OutboxMessage[]> {
  const prefix = await outboxPrefix(env, msisdn);
  // Taken before the read: a message the read misses was recorded after it, which the wait below sees.
  const readAtMs = Date.now();
  const messages = await readNewestFirst<OutboxMessage>(env.KV, prefix, limit);
  if (messages.length || waitMs <= 0) return messages;
  const first = await signalOf(env).nextSince(prefix, readAtMs, waitMs);
  return first ? [first] : [];
}
