/** Test helpers: seed tokens and profiles in the real local D1, and fake the SMS provider at the fetch boundary. */
import { env, SELF } from 'cloudflare:test';
import { vi } from 'vitest';
import { profileSettingsSchema, type ProfileSettings } from '../src/domain/profile';
import { ELKS_SMS_URL } from '../src/providers/sms/elks';
import { sha256Hex } from '../src/security/crypto';
import { insertToken } from '../src/store/api-tokens';
import { database } from '../src/store/db';
import { findProfile, insertProfile } from '../src/store/profiles';

export const MSISDN = '+46701234567';
export const db = () => database(env.DB);

export async function seedProfile(name: string, settings: Partial<ProfileSettings> = {}) {
  return insertProfile(db(), name, profileSettingsSchema.parse(settings));
}

/** Creates a token on a profile and returns the `api-key` header value. */
export async function seedToken(options: { profile?: string | null; name?: string; secret?: string; expiresAt?: Date | null } = {}) {
  const profile = await findProfile(db(), options.profile ?? null);
  if (!profile) throw new Error(`no profile ${options.profile}`);
  const name = options.name ?? `app-${crypto.randomUUID().slice(0, 8)}`;
  const secret = options.secret ?? 'token-secret-0123456789';
  await insertToken(db(), { profileId: profile.id, name, secretHash: await sha256Hex(secret), source: 'created', expiresAt: options.expiresAt ?? null });
  return `${name}:${secret}`;
}

export interface SentSms {
  url: string;
  headers: Headers;
  form: URLSearchParams;
  link: string;
}

type FakeEndpoint = (request: Request) => Promise<Response>;
const fakeEndpoints = new Map<string, FakeEndpoint>();

/**
 * Answers requests to `url` with `endpoint`, at the fetch boundary; other requests go out as usual.
 * One spy serves every faked provider (SMS, push, Access), so tests can fake several at once;
 * vi.restoreAllMocks() removes it, and the next fake starts a fresh set.
 */
export function fakeEndpoint(url: string, endpoint: FakeEndpoint) {
  if (!vi.isMockFunction(globalThis.fetch)) {
    fakeEndpoints.clear();
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input, init);
      const fake = fakeEndpoints.get(request.url);
      return fake ? fake(request) : realFetch(input, init);
    });
  }
  fakeEndpoints.set(url, endpoint);
}

/** fakeEndpoint(), unless this URL is faked already (a test's own fake stays in place). */
export function fakeEndpointUnlessFaked(url: string, endpoint: FakeEndpoint) {
  if (vi.isMockFunction(globalThis.fetch) && fakeEndpoints.has(url)) return;
  fakeEndpoint(url, endpoint);
}

/** Polls until `read()` returns something: fakes run inside Durable Objects, where a test cannot be resumed. */
export const pollFor = <T>(read: () => T | undefined, what: string): Promise<T> =>
  vi.waitFor(
    () => {
      const value = read();
      if (value === undefined) throw new Error(`no ${what} yet`);
      return value;
    },
    { timeout: 4000, interval: 5 },
  );

/**
 * Fakes 46elks: records every SMS the Worker sends and answers `status` (200 unless told). `sent`
 * holds the sign-in requests (an SMS with a magic link); `deviceSms` the others: activation links an
 * administrator had sent, and the notice each activation sends. `nextSms()` polls for the next unread
 * sign-in SMS, `nextDeviceSms()` for the next other one. They poll rather than being resolved by the
 * fake, because the fake runs inside the session's Durable Object and a test continuing there could not
 * read its own responses.
 */
export function fakeSmsProvider(status = 200) {
  const sent: SentSms[] = [];
  const deviceSms: SentSms[] = [];
  let read = 0;
  let readDevice = 0;
  fakeEndpoint(ELKS_SMS_URL, async (request) => {
    const form = new URLSearchParams(await request.text());
    const message = form.get('message') ?? '';
    // The magic link; an activation link may follow it on the next line.
    const link = /\S+\/l\/\S+/.exec(message)?.[0] ?? '';
    if (link) sent.push({ url: request.url, headers: request.headers, form, link });
    else deviceSms.push({ url: request.url, headers: request.headers, form, link: /\S+\/plus\/\S+/.exec(message)?.[0] ?? '' });
    return new Response(JSON.stringify({ status: 'created' }), { status });
  });
  return {
    sent,
    deviceSms,
    nextSms: (): Promise<SentSms> => pollFor(() => (sent[read] ? sent[read++] : undefined), 'SMS'),
    nextDeviceSms: (): Promise<SentSms> => pollFor(() => (deviceSms[readDevice] ? deviceSms[readDevice++] : undefined), 'device SMS'),
  };
}

/** Fakes 46elks unless a test faked it already: the notice every activation sends has somewhere to go. */
export const fakeSmsProviderUnlessFaked = () => fakeEndpointUnlessFaked(ELKS_SMS_URL, async () => new Response('{}', { status: 200 }));

export function authUrl(params: Record<string, string>, endpoint = '') {
  return `http://localhost/api/sfwa/auth${endpoint ? `/${endpoint}` : ''}?${new URLSearchParams(params)}`;
}

export const callApi = (apiKey: string | null, params: Record<string, string>, endpoint = '', init: RequestInit = {}) =>
  SELF.fetch(authUrl(params, endpoint), { ...init, headers: { ...(apiKey && { 'api-key': apiKey }), ...init.headers } });

/** Submits the magic-link form as a browser would. */
export const decideLink = (link: string, decision: string, headers: Record<string, string> = {}) =>
  SELF.fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ decision }) });

let numberSequence = 0;
/** A distinct valid Swedish mobile number per call, so tests in one file do not share rate limits. */
export function freshMsisdn(): string {
  numberSequence += 1;
  return `+4670${String(1_000_000 + Math.floor(Math.random() * 8_000_000) + numberSequence).slice(0, 7)}`;
}
