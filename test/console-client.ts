/** Test helpers for the admin console: sign in, submit forms as a same-origin browser would, and read the pages' HTML. */
import { SELF } from 'cloudflare:test';
import type { Role } from '../src/domain/user';
import { PASSWORD, seedUser, signIn } from './admin-client';

export const ORIGIN = 'http://localhost';

export interface PageRequest {
  cookie?: string;
  /** Sent as application/x-www-form-urlencoded, as an HTML form is. */
  form?: Record<string, string>;
  /** Sent as multipart/form-data, as a form with a file input is. */
  multipart?: FormData;
  headers?: Record<string, string>;
}

/** A request to the console; redirects are returned, not followed. POSTs carry the same-origin headers a browser sends. */
export function consoleFetch(method: string, path: string, request: PageRequest = {}): Promise<Response> {
  const headers = new Headers(method === 'GET' ? {} : { origin: ORIGIN, 'sec-fetch-site': 'same-origin' });
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  if (request.cookie) headers.set('cookie', request.cookie);
  let body: string | FormData | undefined = request.multipart;
  if (request.form) {
    body = new URLSearchParams(request.form).toString();
    headers.set('content-type', 'application/x-www-form-urlencoded');
  }
  return SELF.fetch(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' });
}

export interface Browser {
  username: string;
  cookie: string;
  get(path: string): Promise<Response>;
  post(path: string, form?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** GET after a redirect, carrying the flash cookie the redirect set. */
  follow(redirect: Response): Promise<Response>;
}

let seeded = 0;
/** A fresh account of `role`, signed in through the JSON API (the console's own sign-in has its own tests). */
export async function browserAs(role: Role): Promise<Browser> {
  const username = `console-${role}-${++seeded}`;
  await seedUser(username, role);
  return browserFor(username, await signIn(username, PASSWORD));
}

export function browserFor(username: string, cookie: string): Browser {
  return {
    username,
    cookie,
    get: (path) => consoleFetch('GET', path, { cookie }),
    post: (path, form = {}, headers) => consoleFetch('POST', path, { cookie, form, headers }),
    follow: (redirect) => {
      const location = redirect.headers.get('location');
      if (!location) throw new Error(`no location in ${redirect.status} response`);
      const flash = /sfwa_flash=[^;]*/.exec(redirect.headers.get('set-cookie') ?? '')?.[0];
      return consoleFetch('GET', new URL(location, ORIGIN).pathname + new URL(location, ORIGIN).search, { cookie: [cookie, flash].filter(Boolean).join('; ') });
    },
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The opening tag of the form control with this id (input, textarea or select). */
export function controlTag(html: string, id: string): string {
  const match = new RegExp(`<(?:input|textarea|select)\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>`).exec(html);
  if (!match) throw new Error(`no control with id "${id}"`);
  return match[0];
}

/** An attribute of the control with this id; null when absent. */
export function controlAttribute(html: string, id: string, attribute: string): string | null {
  const match = new RegExp(`\\s${attribute}="([^"]*)"`).exec(controlTag(html, id));
  return match ? unescapeHtml(match[1] ?? '') : null;
}

/** The text of a textarea. */
export function textareaValue(html: string, id: string): string {
  const match = new RegExp(`<textarea\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (!match) throw new Error(`no textarea with id "${id}"`);
  return unescapeHtml(match[1] ?? '');
}

/** The error shown beside the field with this id, or null. */
export function fieldError(html: string, id: string): string | null {
  const match = new RegExp(`<p class="field-error" id="${escapeRegExp(id)}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? unescapeHtml(match[1] ?? '') : null;
}

/** The text inside the first element carrying this data-testid. */
export function testIdText(html: string, testId: string): string | null {
  const match = new RegExp(`<(\\w+)\\b[^>]*\\bdata-testid="${escapeRegExp(testId)}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? unescapeHtml((match[2] ?? '').replace(/<[^>]+>/g, '')).trim() : null;
}

export const countTestIds = (html: string, testId: string): number => html.split(`data-testid="${testId}"`).length - 1;

export function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
