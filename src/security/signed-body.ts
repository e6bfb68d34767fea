/**
 * How the service signs what it POSTs to others (a push relay, a caller's callback-url): headers
 * `x-sfwa-timestamp: <unix seconds>` and `x-sfwa-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * The receiver recomputes it over the exact bytes received and refuses an old timestamp (a replay).
 */
import { hmacSha256Hex } from './crypto';

async function bodySignature(secret: string, timestamp: string, body: string): Promise<string> {
  return `v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/** The two headers for `body`, signed now. */
export async function signatureHeaders(secret: string, body: string, nowMs = Date.now()): Promise<Record<'x-sfwa-timestamp' | 'x-sfwa-signature', string>> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { 'x-sfwa-timestamp': timestamp, 'x-sfwa-signature': await bodySignature(secret, timestamp, body) };
}
