/**
 * Signed requests from the companion app (docs/companion-app.md): ECDSA P-256 with SHA-256 over
 * `signedText(purpose, fields, timestamp)`, the signature as WebCrypto makes it (IEEE P1363, r||s,
 * 64 bytes) in base64url. WebCrypto only, no dependency, no I/O: the device whose key is checked is the
 * caller's to load (src/access/signed-request.ts).
 */
import { devicePublicKeySchema } from '../domain/device';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** An IEEE P1363 P-256 signature: r and s, 32 bytes each. */
const P1363_SIGNATURE_BYTES = 64;

/** A public key the app sent that is not an EC P-256 public key. */
export class DevicePublicKeyError extends Error {}

/**
 * Imports a device's public key (JWK: kty EC, crv P-256, x, y) for verifying only. Throws
 * DevicePublicKeyError, saying what is wrong, for anything else, including a point not on the curve.
 */
export async function importDevicePublicKey(jwk: unknown): Promise<CryptoKey> {
  const parsed = devicePublicKeySchema.safeParse(jwk);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const member = issue?.path.length ? `"${issue.path.join('.')}" ` : '';
    throw new DevicePublicKeyError(`The public key is not an EC P-256 public JWK: ${member}${issue?.message ?? 'is invalid'}`);
  }
  try {
    return await crypto.subtle.importKey('jwk', parsed.data, ECDSA_P256, false, ['verify']);
  } catch (error) {
    throw new DevicePublicKeyError(`The public key is not a valid P-256 point (${error instanceof Error ? error.message : String(error)})`);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding) to bytes; null when it is not. */
function decodeBase64url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** True only when `signature` is a valid signature of `text` by the key; any malformed input is false, never an exception. */
export async function verifyDeviceSignature(publicKeyJwk: unknown, text: string, signatureBase64url: string): Promise<boolean> {
  try {
    if (typeof text !== 'string' || typeof signatureBase64url !== 'string') return false;
    const signature = decodeBase64url(signatureBase64url);
    if (!signature || signature.byteLength !== P1363_SIGNATURE_BYTES) return false;
    const key = await importDevicePublicKey(publicKeyJwk);
    return await crypto.subtle.verify(ECDSA_SHA256, key, signature, new TextEncoder().encode(text));
  } catch {
    return false;
  }
}
