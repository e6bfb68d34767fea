/**
 * Outcome callbacks: a caller may name a `callback-url`; when the session settles, the service POSTs
 * the outcome there, signed with the profile's callback secret. Only https, only to a host the
 * profile's administrator allow-listed (`callbackHosts`), so a stolen api-key cannot make the service
 * send requests anywhere else. Pure: the rules, the retry schedule and the body.
 */
import * as z from './zod';

export const CALLBACK_URL_MAX_LENGTH = 2048;
export const CALLBACK_HOSTS_MAX = 20;

/**
 * Pause before each retry after a failed try, in seconds: 9 tries in all, the last 59 min 40 s after the
 * first, so a receiver that is down for up to an hour still gets the outcome.
 */
export const CALLBACK_RETRY_DELAYS_SECONDS = [10, 30, 60, 120, 300, 600, 900, 1560] as const;
/** A try that takes longer than this counts as failed (and is retried). */
export const CALLBACK_TIMEOUT_MS = 10_000;

// A host name, optionally `*.` for its subdomains and `:port` for a port other than 443.
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}(:\d{1,5})?$/;

export const callbackHostSchema = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.refine((host) => HOST_PATTERN.test(host), 'must be a host name such as hooks.example.com, or *.example.com for its subdomains (no https:// and no path)'),
  );

export const callbackHostsSchema = z.array(callbackHostSchema).check(z.maxLength(CALLBACK_HOSTS_MAX, `must list at most ${CALLBACK_HOSTS_MAX} hosts`));

/** Whether the URL's host is one the profile allows: the same host (and port), or a subdomain of a `*.` entry. */
export function isAllowedHost(url: URL, hosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  return hosts.some((entry) => (entry.startsWith('*.') ? !url.port && url.hostname.toLowerCase().endsWith(entry.slice(1)) : entry === host));
}

/** Why this `callback-url` cannot be used with the profile, or null when it can. */
export function callbackUrlProblem(value: string, profile: { callbackHosts: readonly string[]; hasCallbackSecret: boolean }): string | null {
  if (value.length > CALLBACK_URL_MAX_LENGTH) return `must be at most ${CALLBACK_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.hash) return 'must not have a #fragment';
  if (!profile.callbackHosts.length) return 'this endpoint allows no callback hosts: an administrator lists them under the endpoint\'s Callbacks';
  if (!isAllowedHost(url, profile.callbackHosts)) return `host ${url.host} is not among this endpoint's callback hosts`;
  if (!profile.hasCallbackSecret) return 'this endpoint has no callback secret yet: an administrator creates one under the endpoint\'s Callbacks';
  return null;
}

/** When the next try is due after `attempts` failed ones, or null when there is none left. */
export function nextCallbackAttemptMs(attempts: number, lastTryMs: number): number | null {
  const delay = CALLBACK_RETRY_DELAYS_SECONDS[attempts - 1];
  return delay === undefined ? null : lastTryMs + delay * 1000;
}

/** Where a session's callback stands. */
export interface CallbackState {
  url: string;
  attempts: number;
  /** When the next try is due; null once delivered or given up. */
  nextAtMs: number | null;
  status: 'pending' | 'delivered' | 'failed' | 'refused';
}

/** What is POSTed: the outcome as the status route answers it, with what it is about. */
export interface CallbackBody {
  type: 'sfwa.outcome';
  session: string;
  endpoint: string;
  settledAt: string;
  code: string;
  channel?: string;
  reason?: string;
  approver?: string | null;
  /** Cloud dialect: the session's signed receipt (src/domain/receipt.ts). */
  receipt?: string;
}
