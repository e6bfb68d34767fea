/**
 * The calling client's address, for throttles and the audit log. Cloudflare's edge sets
 * CF-Connecting-IP on every request; without it (a test, or a request that did not pass the edge)
 * there is no address, and per-address throttles do not apply.
 */
import type { Env } from '../env';
import { hmacSha256Hex } from './crypto';

export const clientAddress = (request: Request): string | null => request.headers.get('cf-connecting-ip')?.trim() || null;

/**
 * The address as a throttle counts it: IPv4 as is, IPv6 by its /64 prefix, since one subscriber gets a
 * whole /64 and could otherwise take a fresh address for every guess.
 */
export function throttledNetwork(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...headGroups, ...Array(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** A key for the address's network that does not reveal it (KV and object names are not where addresses belong). */
export const addressKey = (env: Pick<Env, 'PHONE_HASH_SECRET'>, address: string): Promise<string> => {
  if (!env.PHONE_HASH_SECRET) throw new Error('PHONE_HASH_SECRET is not set (wrangler secret put PHONE_HASH_SECRET)');
  return hmacSha256Hex(env.PHONE_HASH_SECRET, `address:${throttledNetwork(address)}`);
};
