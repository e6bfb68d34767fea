// `npm run receipt-key`: a new receipt signing key (EC P-256, `kid` its RFC 7638 thumbprint).
// Prints the private JWK for `wrangler secret put RECEIPT_SIGNING_KEY` and its public JWK, which goes into
// RECEIPT_PREVIOUS_KEYS when the key is later replaced (README "Receipts"). Also used by `npm start` and the tests.
import { webcrypto } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

/** A new key: { privateJwk, publicJwk }, both with the same kid. */
export async function newReceiptKey() {
  const { privateKey } = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y, d } = await webcrypto.subtle.exportKey('jwk', privateKey);
  // RFC 7638: the required members in lexicographic order, no white space.
  const thumbprint = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y })));
  const kid = base64url(new Uint8Array(thumbprint));
  return { privateJwk: { kty, crv, x, y, d, kid }, publicJwk: { kty, crv, x, y, kid } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { privateJwk, publicJwk } = await newReceiptKey();
  console.log(`RECEIPT_SIGNING_KEY (a secret: paste into \`npx wrangler secret put RECEIPT_SIGNING_KEY\`):\n${JSON.stringify(privateJwk)}\n`);
  console.log(`Its public key (published at /.well-known/jwks.json; after a rotation, add it to RECEIPT_PREVIOUS_KEYS):\n${JSON.stringify(publicJwk)}`);
}
