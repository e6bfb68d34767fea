/**
 * Plumbing shared by the console's pages: rendering a page, the flash message of Post/Redirect/Get,
 * reading a submitted form, and turning a service's ApiError into field errors beside the fields.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../domain/api-error';
import type { Env } from '../env';
import type { FieldErrors, FormValues } from '../views/console/form-fields';

export type ConsoleContext = Context<{ Bindings: Env }>;

/**
 * A console page: an HTML document that no browser or proxy keeps (it shows settings, accounts, secrets).
 * Its Referrer-Policy is same-origin, not the Worker's no-referrer: under no-referrer a browser sends
 * `Origin: null` with a form post, and the same-origin guard could not tell the console from another site.
 * Console URLs carry no secrets, and the Referer still never leaves the origin.
 */
export async function renderPage(c: ConsoleContext, page: JSX.Element, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'same-origin');
  return c.html(`<!DOCTYPE html>${await page}`, status);
}

const FLASH_COOKIE = 'sfwa_flash';
// Read by the very next page: a minute is plenty, and Strict keeps other sites from setting what it says.
const FLASH_COOKIE_OPTIONS = { path: '/admin', httpOnly: true, secure: true, sameSite: 'Strict', maxAge: 60 } as const;

/** Post/Redirect/Get: a 303 to `location`, whose page then shows `message` once. */
export function redirectWithFlash(c: ConsoleContext, location: string, message: string): Response {
  setCookie(c, FLASH_COOKIE, message, FLASH_COOKIE_OPTIONS);
  c.header('cache-control', 'no-store');
  return c.redirect(location, 303);
}

/** The flash message for this page, if any; it is cleared as it is shown. */
export function takeFlash(c: ConsoleContext): string | undefined {
  const message = getCookie(c, FLASH_COOKIE);
  if (message === undefined) return undefined;
  deleteCookie(c, FLASH_COOKIE, FLASH_COOKIE_OPTIONS);
  return message || undefined;
}

/** The submitted form's text fields as typed; a field sent twice keeps its last value, files are ignored. */
export async function readForm(c: ConsoleContext): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') values[name] = last;
  }
  return values;
}

/**
 * The field errors of a refused input (400 or 409 from the schemas and services), keyed by form field
 * name; null for any other error, which the caller rethrows. A list item's error ("ldapProfiles.2")
 * belongs to its list's field, with the line named.
 */
export function fieldErrorsOf(error: unknown): FieldErrors | null {
  if (!(error instanceof ApiError) || (error.body.code !== 'BAD_REQUEST' && error.body.code !== 'CONFLICT')) return null;
  const errors: FieldErrors = {};
  for (const { field, message } of error.body.errors ?? [{ field: '(body)', message: error.body.message }]) {
    const item = /^(.*)\.(\d+)$/.exec(field);
    const name = item?.[1] ?? field;
    errors[name] ??= item ? `line ${Number(item[2]) + 1}: ${message}` : message;
  }
  return errors;
}
