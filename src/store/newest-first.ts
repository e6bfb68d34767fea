/**
 * KV records listed newest first: KV lists keys in ascending order, so each key carries the inverted
 * time (and a random suffix, so two records in one millisecond do not collide). Used by the local
 * development outbox and push inbox.
 */
import type { Env } from '../env';

const MAX_TIME_MS = 9_999_999_999_999;

export async function putNewestFirst(kv: Env['KV'], prefix: string, record: unknown, ttlSeconds: number, nowMs = Date.now()): Promise<void> {
  const key = `${prefix}${String(MAX_TIME_MS - nowMs).padStart(13, '0')}:${crypto.randomUUID()}`;
  await kv.put(key, JSON.stringify(record), { expirationTtl: ttlSeconds });
}

/** The newest `limit` records under `prefix`, newest first. */
export async function readNewestFirst<T>(kv: Env['KV'], prefix: string, limit: number): Promise<T[]> {
  const listed = await kv.list({ prefix, limit });
  const values = await Promise.all(listed.keys.map((key) => kv.get<T>(key.name, 'json')));
  return values.filter((value): value is NonNullable<Awaited<T>> => value !== null) as T[];
}
