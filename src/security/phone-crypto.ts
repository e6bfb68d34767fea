/**
 * Phone numbers that must be used again later (to send an SMS: an activation's notice, a push session
 * that falls back to SMS) are kept encrypted: AES-256-GCM with a key derived by HKDF-SHA-256 from the
 * Worker secret PHONE_HASH_SECRET, under its own label, so the HMAC keys and this key never coincide.
 * Stored as base64url(12-byte IV || ciphertext and tag).
 */
import type { Env } from '../env';
import { base64url, fromBase64url } from './crypto';

const encoder = new TextEncoder();
const IV_BYTES = 12;
const KEY_LABEL = 'sfwa phone-number encryption v1';

let cached: { secret: string; key: Promise<CryptoKey> } | undefined;

function encryptionKey(env: Pick<Env, 'PHONE_HASH_SECRET'>): Promise<CryptoKey> {
  const secret = env.PHONE_HASH_SECRET;
  if (!secret) throw new Error('PHONE_HASH_SECRET is not set (wrangler secret put PHONE_HASH_SECRET)');
  if (cached?.secret !== secret) {
    const key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode(KEY_LABEL) },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    cached = { secret, key };
  }
  return cached.key;
}

export async function encryptMsisdn(env: Pick<Env, 'PHONE_HASH_SECRET'>, e164: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await encryptionKey(env), encoder.encode(e164)));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return base64url(out);
}

/** The number, or null when `sealed` was not made with this secret (or was tampered with). */
export async function decryptMsisdn(env: Pick<Env, 'PHONE_HASH_SECRET'>, sealed: string): Promise<string | null> {
  try {
    const bytes = fromBase64url(sealed);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) }, await encryptionKey(env), bytes.slice(IV_BYTES));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
