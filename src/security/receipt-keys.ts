/**
 * The receipt signing key and the published key set. RECEIPT_SIGNING_KEY (a Worker secret) is an EC
 * P-256 private JWK with a `kid`; RECEIPT_PREVIOUS_KEYS (a var) lists the public JWKs of keys signed
 * with before, so receipts signed before a rotation still verify. /.well-known/jwks.json publishes
 * both, public parts only. `npm run receipt-key` makes a key (README "Receipts").
 */
import { importJWK, SignJWT } from 'jose';
import * as z from '../domain/zod';
import { RECEIPT_TYPE, shownTextsInput, type ReceiptClaims, type ShownTexts } from '../domain/receipt';
import type { Env } from '../env';
import { base64url } from './crypto';

const coordinate = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes, base64url-encoded'));
const publicKeyShape = { kty: z.literal('EC'), crv: z.literal('P-256'), x: coordinate, y: coordinate, kid: z.string().check(z.minLength(1), z.maxLength(64)) };
const publicKeySchema = z.object(publicKeyShape);
const signingKeySchema = z.object({ ...publicKeyShape, d: coordinate });

export type PublishedKey = z.output<typeof publicKeySchema> & { alg: 'ES256'; use: 'sig' };

const published = ({ kty, crv, x, y, kid }: z.output<typeof publicKeySchema>): PublishedKey => ({ kty, crv, x, y, kid, alg: 'ES256', use: 'sig' });

/** A setting that is there but not a key: said once per isolate in the log, never with the key itself. */
export class ReceiptKeyError extends Error {}

function parsed<T>(schema: z.ZodMiniType<T>, raw: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ReceiptKeyError(`${what} is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ReceiptKeyError(`${what}: "${issue.path.join('.')}" ${issue.message}`);
  }
  return result.data;
}

type SigningKey = { kid: string; key: CryptoKey; publicKey: PublishedKey };
// Imported once per isolate (per secret value: a rotation deploys a new isolate anyway).
const imported = new Map<string, Promise<SigningKey>>();

async function importSigningKey(raw: string): Promise<SigningKey> {
  const jwk = parsed(signingKeySchema, raw, 'RECEIPT_SIGNING_KEY');
  const key = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return { kid: jwk.kid, key, publicKey: published(jwk) };
}

/** The current signing key, or null when the deployment has none (answers then carry no receipt). */
export function signingKey(env: Pick<Env, 'RECEIPT_SIGNING_KEY'>): Promise<SigningKey> | null {
  const raw = env.RECEIPT_SIGNING_KEY?.trim();
  if (!raw) return null;
  let key = imported.get(raw);
  if (!key) {
    key = importSigningKey(raw);
    // A broken secret stays broken for this isolate; no need to parse it on every settle.
    imported.set(raw, key);
  }
  return key;
}

/** Every key a receipt may have been signed with: the current one first, then RECEIPT_PREVIOUS_KEYS. */
export async function publishedKeys(env: Pick<Env, 'RECEIPT_SIGNING_KEY' | 'RECEIPT_PREVIOUS_KEYS'>): Promise<PublishedKey[]> {
  const current = signingKey(env);
  const keys = current ? [(await current).publicKey] : [];
  const previous = env.RECEIPT_PREVIOUS_KEYS?.trim();
  if (previous) {
    // Public members only, whatever else an entry holds: a private key pasted here by mistake is never published.
    for (const key of parsed(z.array(z.looseObject(publicKeyShape)), previous, 'RECEIPT_PREVIOUS_KEYS')) {
      if (!keys.some((known) => known.kid === key.kid)) keys.push(published(key));
    }
  }
  return keys;
}

/** A compact JWS (ES256) of the claims, with `iat` now; null without a signing key. */
export async function signReceipt(env: Pick<Env, 'RECEIPT_SIGNING_KEY'>, claims: ReceiptClaims): Promise<string | null> {
  const current = signingKey(env);
  if (!current) return null;
  const { kid, key } = await current;
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: 'ES256', kid, typ: RECEIPT_TYPE }).setIssuedAt().sign(key);
}

/** The receipt's `textsHash`: SHA-256 of shownTextsInput(), base64url without padding. */
export async function shownTextsHash(texts: ShownTexts): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(shownTextsInput(texts)))));
}
