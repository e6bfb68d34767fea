/** Test helpers for the admin API: seed console accounts in D1 and call /admin/api as a signed-in user. */
import { env, SELF } from 'cloudflare:test';
import { ADMIN_SESSION_COOKIE } from '../src/domain/constants';
import type { Role } from '../src/domain/user';
import { hashPassword } from '../src/security/crypto';
import { database } from '../src/store/db';
import { insertUser, updateUser } from '../src/store/users';

export const PASSWORD = 'correct horse battery';
export const db = () => database(env.DB);

export async function seedUser(username: string, role: Role, options: { password?: string; disabled?: boolean } = {}) {
  const user = await insertUser(db(), { username, role, passwordHash: await hashPassword(options.password ?? PASSWORD) });
  return options.disabled ? updateUser(db(), user.id, { disabled: true }) : user;
}

export interface AdminRequest {
  cookie?: string;
  /** An object is sent as JSON; a string as is (set content-type in `headers`). */
  body?: unknown;
  headers?: Record<string, string>;
}

export function adminFetch(method: string, path: string, request: AdminRequest = {}): Promise<Response> {
  const headers = new Headers(request.headers);
  if (request.cookie) headers.set('cookie', request.cookie);
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return SELF.fetch(`http://localhost/admin/api${path}`, { method, headers, body });
}

/** The `name=value` part of the session cookie a response sets. */
export function sessionCookie(response: Response): string {
  const match = (response.headers.get('set-cookie') ?? '').match(new RegExp(`${ADMIN_SESSION_COOKIE}=([^;]*)`));
  if (!match?.[1]) throw new Error(`no session cookie in ${response.status} response`);
  return `${ADMIN_SESSION_COOKIE}=${match[1]}`;
}

export async function signIn(username: string, password = PASSWORD): Promise<string> {
  return sessionCookie(await adminFetch('POST', '/session', { body: { username, password } }));
}

export type Caller = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

let seeded = 0;
/** A fresh account of `role`, signed in; returns a function that calls the admin API with its cookie. */
export async function signedInAs(role: Role): Promise<Caller> {
  const username = `${role}-${++seeded}`;
  await seedUser(username, role);
  const cookie = await signIn(username);
  return (method, path, body, headers) => adminFetch(method, path, { cookie, body, headers });
}

/** A response's JSON body, typed loosely for assertions. */
export const json = async (response: Response): Promise<any> => response.json();

/** The fields a 400/409 answer names, in order. */
export const errorFields = async (response: Response): Promise<string[]> =>
  ((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
