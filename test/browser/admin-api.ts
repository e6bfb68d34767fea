// Node-side helpers for browser tests: the admin JSON API and the local outbox, as a script would use them.
import { inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');

export async function adminCookie(username = 'admin', password = 'admin'): Promise<string> {
  const response = await fetch(`${baseUrl()}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!response.ok) throw new Error(`sign-in as ${username} failed: ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

export async function adminApi<T>(cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl()}/admin/api${path}`, {
    method,
    headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? null : await response.json()) as T;
}

/**
 * Waits for the newest SMS recorded for a number in the local outbox whose link has `kind` in it: by
 * default a sign-in request (a magic link, /l/); '/plus/activate/' for an activation link an
 * administrator had sent, '/plus/deactivate/' for an activation's notice.
 */
export async function nextOutboxMessage(msisdn: string, after = 0, kind = '/l/'): Promise<{ url: string; text: string; sentAt: string }> {
  for (let i = 0; i < 200; i++) {
    const messages = (await (await fetch(`${baseUrl()}/dev/outbox?msisdn=${encodeURIComponent(msisdn)}`)).json()) as { url: string; text: string; sentAt: string }[];
    const newest = messages.find((message) => message.url.includes(kind));
    if (newest && Date.parse(newest.sentAt) >= after) return newest;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no SMS to ${msisdn}`);
}

/** Starts an authentication through the public API; resolves with the API's answer when the user decides. */
export function authenticate(apiKey: string, msisdn: string, endpoint = '', extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ msisdn, 'touch-timeout': '60', ...extra });
  return fetch(`${baseUrl()}/api/sfwa/auth${endpoint ? `/${endpoint}` : ''}?${query}`, { headers: { 'api-key': apiKey } }).then((r) => r.json() as Promise<{ code: string }>);
}
