/**
 * Text that must be used again later is kept sealed: AES-256-GCM under a key derived by HKDF-SHA-256 from
 * a Worker secret and a label, so one secret can serve several purposes without their keys coinciding.
 * Stored as base64url(12-byte IV || ciphertext and tag).
 */
import { base64url, fromBase64url } from './crypto';

const encoder = new TextEncoder();
const IV_BYTES = 12;
const keys = new Map<string, Promise<CryptoKey>>();

function sealingKey(secret: string, label: string): Promise<CryptoKey> {
  const id = `${label}\n${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode(label) }, material, { name: 'AES-GCM', length: 256 }, false, [
          'encrypt',
          'decrypt',
        ]),
      );
    keys.set(id, key);
  }
  return key;
}

export async function sealText(secret: string, label: string, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await sealingKey(secret, label), encoder.encode(text)));
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(sealed, IV_BYTES);
  return base64url(out);
}

/** The text, or null when `sealed` was not made with this secret and label (or was tampered with). */
export async function openText(secret: string, label: string, sealed: string): Promise<string | null> {
  try {
    const bytes = fromBase64url(sealed);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) }, await sealingKey(secret, label), bytes.slice(IV_BYTES));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
