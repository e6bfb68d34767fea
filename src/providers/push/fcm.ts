/**
 * Firebase Cloud Messaging, HTTP v1 API. A service account signs a JWT (RS256) that the OAuth token endpoint
 * exchanges for an access token, cached per isolate; each push is then one POST to
 * https://fcm.googleapis.com/v1/projects/{project_id}/messages:send with that token.
 */
import { importPKCS8, SignJWT } from 'jose';
import * as z from '../../domain/zod';
import { DeliveryError, providerRequest, type FetchLike } from '../provider-request';
import { DeviceGoneError, pushMessageFields, type PushMessage, type PushSender, type PushTarget } from './push-sender';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const ASSERTION_LIFETIME_SECONDS = 3600;
/** A cached access token is replaced this long before it expires. */
const TOKEN_REFRESH_MARGIN_MS = 60_000;

export const fcmSendUrl = (projectId: string) => `https://fcm.googleapis.com/v1/projects/${encodeURIComponent(projectId)}/messages:send`;

const serviceAccountSchema = z.object({
  project_id: z.string().check(z.minLength(1)),
  client_email: z.string().check(z.minLength(1)),
  private_key: z.string().check(z.refine((key) => key.includes('-----BEGIN PRIVATE KEY-----'), 'expected a PKCS#8 PEM key')),
  private_key_id: z.optional(z.string().check(z.minLength(1))),
  token_uri: z._default(z.string().check(z.refine((uri) => URL.canParse(uri) && new URL(uri).protocol === 'https:', 'expected an https URL')), GOOGLE_TOKEN_URI),
});

export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/** Parses FCM_SERVICE_ACCOUNT; the error names the offending field and never echoes the JSON (it holds the private key). */
export function parseServiceAccount(json: string): ServiceAccount {
  const invalid = (what: string) => new DeliveryError('fcm', `FCM_SERVICE_ACCOUNT is not a valid service-account JSON: ${what}`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // Not the parser's message: it quotes the input.
    throw invalid('not JSON');
  }
  const parsed = serviceAccountSchema.safeParse(value);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.');
    throw invalid(path ? path : 'not an object');
  }
  // A key pasted through a shell or .env file often arrives with literal "\n" instead of newlines.
  return { ...parsed.data, private_key: parsed.data.private_key.replace(/\\n/g, '\n') };
}

/** Access tokens per service account (client_email), for this isolate. */
const accessTokens = new Map<string, { token: string; refreshAtMs: number }>();

/** Forgets every cached access token (tests). */
export function clearFcmTokenCache(): void {
  accessTokens.clear();
}

const tokenResponseSchema = z.object({ access_token: z.string().check(z.minLength(1)), expires_in: z.coerce.number().check(z.positive()) });

async function mintAccessToken(account: ServiceAccount, fetcher: FetchLike): Promise<string> {
  let key: CryptoKey;
  try {
    key = await importPKCS8(account.private_key, 'RS256');
  } catch {
    throw new DeliveryError('fcm', 'FCM_SERVICE_ACCOUNT is not a valid service-account JSON: private_key');
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope: FCM_SCOPE })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) })
    .setIssuer(account.client_email)
    .setSubject(account.client_email)
    .setAudience(account.token_uri)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
  const response = await providerRequest(
    'fcm',
    fetcher,
    account.token_uri,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    },
    { readBody: true, label: 'token endpoint ' },
  );
  if (!response.ok) throw new DeliveryError('fcm', `token endpoint HTTP ${response.status}`);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = null;
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new DeliveryError('fcm', 'token endpoint returned no access token');
  const { access_token: token, expires_in: expiresIn } = parsed.data;
  accessTokens.set(account.client_email, { token, refreshAtMs: Date.now() + expiresIn * 1000 - TOKEN_REFRESH_MARGIN_MS });
  return token;
}

/** The FCM v1 message for one device: a visible notification plus every PushMessage field as string data. */
export function fcmMessage(target: PushTarget, message: PushMessage, nowMs = Date.now()) {
  const fields = pushMessageFields(message);
  const data: Record<string, string> = {
    type: 'sfwa.auth',
    sessionId: fields.sessionId,
    title: fields.title,
    body: fields.body,
    acceptLabel: fields.acceptLabel,
    rejectLabel: fields.rejectLabel,
    profileName: fields.profileName,
    deadlineMs: String(fields.deadlineMs),
    matchRequired: fields.matchRequired ? 'true' : 'false',
  };
  if (fields.matchChoices) data.matchChoices = fields.matchChoices.join(',');
  if (fields.context?.location !== undefined) data.location = fields.context.location;
  if (fields.context) data.requestedAtMs = String(fields.context.requestedAtMs);
  const ttlSeconds = Math.max(1, Math.ceil((fields.deadlineMs - nowMs) / 1000));
  return {
    message: {
      token: target.pushToken,
      notification: { title: fields.title, body: fields.body },
      data,
      android: { priority: 'high', ttl: `${ttlSeconds}s` },
      apns: {
        headers: { 'apns-priority': '10', 'apns-expiration': String(Math.floor(fields.deadlineMs / 1000)) },
        payload: { aps: { category: 'SFWA_AUTH', 'mutable-content': 1 } },
      },
    },
  };
}

/** FCM's way of saying the registration token is dead: UNREGISTERED, or INVALID_ARGUMENT about `message.token`. */
function tokenRejected(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const error = (body as { error?: { message?: unknown; details?: unknown } } | null)?.error;
  const details = Array.isArray(error?.details) ? (error.details as Record<string, unknown>[]) : [];
  const codes = details.map((detail) => detail?.errorCode);
  if (codes.includes('UNREGISTERED')) return true;
  if (!codes.includes('INVALID_ARGUMENT')) return false;
  const aboutToken = details.some(
    (detail) => Array.isArray(detail?.fieldViolations) && detail.fieldViolations.some((violation: { field?: unknown }) => violation?.field === 'message.token'),
  );
  return aboutToken || (typeof error?.message === 'string' && /registration token/i.test(error.message));
}

export function fcmSender(account: ServiceAccount, fetcher: FetchLike): PushSender {
  // Pushes to several devices at once share one token request.
  let minting: Promise<string> | null = null;
  const accessToken = (): Promise<string> => {
    const cached = accessTokens.get(account.client_email);
    if (cached && cached.refreshAtMs > Date.now()) return Promise.resolve(cached.token);
    minting ??= mintAccessToken(account, fetcher).finally(() => {
      minting = null;
    });
    return minting;
  };

  return {
    provider: 'fcm',
    async send(target, message) {
      const token = await accessToken();
      const response = await providerRequest(
        'fcm',
        fetcher,
        fcmSendUrl(account.project_id),
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(fcmMessage(target, message)),
        },
        { readBody: true },
      );
      if (response.ok) return;
      if (response.status === 404 || (response.status === 400 && tokenRejected(response.text))) {
        throw new DeviceGoneError('fcm', `device token no longer valid (HTTP ${response.status})`);
      }
      // A revoked or rotated key: the next push mints a fresh token instead of reusing this one.
      if (response.status === 401 && accessTokens.get(account.client_email)?.token === token) accessTokens.delete(account.client_email);
      throw new DeliveryError('fcm', `HTTP ${response.status}`);
    },
  };
}
