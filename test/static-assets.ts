import { env } from 'cloudflare:test';

/**
 * A request for a static asset (public/), answered as Cloudflare answers it in front of the Worker, with the
 * headers of public/_headers. The Workers pool's SELF reaches the Worker only, so tests ask the asset binding.
 */
export const assetFetch = (path: string, init?: RequestInit) => env.ASSETS.fetch(`http://localhost${path}`, init);

/** The version `npm run static-files` puts in an asset's URL: the first 12 hex digits of its SHA-256. */
export async function contentVersion(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest.slice(0, 6), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
