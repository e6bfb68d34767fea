import { env } from 'cloudflare:test';
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import { readDevPushes } from '../src/providers/push/dev-inbox';
import { clearFcmTokenCache } from '../src/providers/push/fcm';
import { DeviceGoneError, pushSenderFor, type PushMessage, type PushSender, type PushTarget } from '../src/providers/push/push-sender';
import { DeliveryError, type FetchLike } from '../src/providers/provider-request';

const base = env as unknown as Env;

interface Answer {
  status: number;
  body?: unknown;
}

/** A fake provider: records every exact request and answers per URL (the first matching prefix). */
function recordingFetch(answers: Record<string, Answer | (() => Answer)>) {
  const requests: Request[] = [];
  const fetcher: FetchLike = async (input, init) => {
    requests.push(new Request(input, init));
    const entry = Object.entries(answers).find(([prefix]) => input.startsWith(prefix));
    if (!entry) return new Response('not found', { status: 599 });
    const answer = typeof entry[1] === 'function' ? entry[1]() : entry[1];
    return new Response(answer.body === undefined ? '{}' : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return { requests, fetcher };
}

const target: PushTarget = { deviceId: 'dev-1', platform: 'android', pushToken: 'fcm-token-abc' };

function pushMessage(overrides: Partial<PushMessage> = {}): PushMessage {
  return {
    sessionId: 'sess-123',
    title: 'Sign-in request',
    body: 'Approve sign-in to Acme VPN?',
    acceptLabel: 'Approve',
    rejectLabel: 'Deny',
    profileName: 'vpn',
    deadlineMs: Date.now() + 120_000,
    matchRequired: true,
    matchChoices: ['17', '42', '88'],
    context: { location: 'Stockholm, SE', requestedAtMs: 1_700_000_000_000 },
    ...overrides,
  };
}

const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

describe('FCM HTTP v1', () => {
  const TOKEN_URI = 'https://oauth2.example.test/token';
  const SEND_URL = 'https://fcm.googleapis.com/v1/projects/sfwa-demo/messages:send';
  let publicKey: CryptoKey;
  let privateKeyPem: string;
  let account: Record<string, string>;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    publicKey = pair.publicKey;
    privateKeyPem = await exportPKCS8(pair.privateKey);
    account = {
      type: 'service_account',
      project_id: 'sfwa-demo',
      private_key_id: 'key-id-42',
      private_key: privateKeyPem,
      client_email: 'push@sfwa-demo.iam.gserviceaccount.com',
      token_uri: TOKEN_URI,
    };
  });

  beforeEach(() => clearFcmTokenCache());

  const fcmEnv = (serviceAccount: unknown = account): Env => ({ ...base, PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT: JSON.stringify(serviceAccount) });

  /** A token endpoint handing out ya29.token-1, ya29.token-2, … and a messages:send answering `send`. */
  function fakeGoogle(send: Answer | (() => Answer) = { status: 200, body: { name: 'projects/sfwa-demo/messages/1' } }, expiresIn = 3599) {
    let minted = 0;
    return recordingFetch({
      [TOKEN_URI]: () => ({ status: 200, body: { access_token: `ya29.token-${++minted}`, expires_in: expiresIn, token_type: 'Bearer' } }),
      'https://oauth2.googleapis.com/token': () => ({ status: 200, body: { access_token: `ya29.default-${++minted}`, expires_in: expiresIn, token_type: 'Bearer' } }),
      [SEND_URL]: send,
    });
  }

  const sender = (fetcher: FetchLike, serviceAccount: unknown = account): PushSender => pushSenderFor(fcmEnv(serviceAccount), fetcher)!;

  it('exchanges a signed RS256 assertion for an access token at token_uri', async () => {
    const { requests, fetcher } = fakeGoogle();
    await sender(fetcher).send(target, pushMessage());
    const tokenRequest = requests[0]!;
    expect(tokenRequest.url).toBe(TOKEN_URI);
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    const form = await tokenRequest.formData();
    expect([...form.keys()].sort()).toEqual(['assertion', 'grant_type']);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');

    const assertion = form.get('assertion') as string;
    const { payload } = await jwtVerify(assertion, publicKey, { algorithms: ['RS256'] });
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-id-42' });
    expect(payload.iss).toBe('push@sfwa-demo.iam.gserviceaccount.com');
    expect(payload.sub).toBe('push@sfwa-demo.iam.gserviceaccount.com');
    expect(payload.aud).toBe(TOKEN_URI);
    expect(payload.scope).toBe('https://www.googleapis.com/auth/firebase.messaging');
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(60);
  });

  it('defaults token_uri to Google and leaves kid out without private_key_id', async () => {
    const { requests, fetcher } = fakeGoogle();
    const { token_uri: _uri, private_key_id: _kid, ...minimal } = account;
    await sender(fetcher, minimal).send(target, pushMessage());
    expect(requests.map((r) => r.url)).toEqual(['https://oauth2.googleapis.com/token', SEND_URL]);
    const assertion = (await requests[0]!.formData()).get('assertion') as string;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const { payload } = await jwtVerify(assertion, publicKey, { audience: 'https://oauth2.googleapis.com/token' });
    expect(payload.iss).toBe(account.client_email);
    expect(requests[1]!.headers.get('authorization')).toBe('Bearer ya29.default-1');
  });

  it('POSTs the exact message to messages:send with the access token', async () => {
    const { requests, fetcher } = fakeGoogle();
    const message = pushMessage();
    await sender(fetcher).send(target, message);
    expect(requests).toHaveLength(2);
    const send = requests[1]!;
    expect(send.url).toBe(SEND_URL);
    expect(send.method).toBe('POST');
    expect(send.headers.get('authorization')).toBe('Bearer ya29.token-1');
    expect(send.headers.get('content-type')).toBe('application/json');
    expect(await send.json()).toEqual({
      message: {
        token: 'fcm-token-abc',
        notification: { title: 'Sign-in request', body: 'Approve sign-in to Acme VPN?' },
        data: {
          type: 'sfwa.auth',
          sessionId: 'sess-123',
          title: 'Sign-in request',
          body: 'Approve sign-in to Acme VPN?',
          acceptLabel: 'Approve',
          rejectLabel: 'Deny',
          profileName: 'vpn',
          deadlineMs: String(message.deadlineMs),
          matchRequired: 'true',
          matchChoices: '17,42,88',
          location: 'Stockholm, SE',
          requestedAtMs: '1700000000000',
        },
        android: { priority: 'high', ttl: '120s' },
        apns: {
          headers: { 'apns-priority': '10', 'apns-expiration': String(Math.floor(message.deadlineMs / 1000)) },
          payload: { aps: { category: 'SFWA_AUTH', 'mutable-content': 1 } },
        },
      },
    });
  });

  it('sends only string data, leaves out an absent context, and never sends fields beyond PushMessage', async () => {
    const { requests, fetcher } = fakeGoogle();
    const message = { ...pushMessage({ matchRequired: false, matchChoices: undefined, deadlineMs: Date.now() - 5_000 }), context: undefined, magicLinkSecret: 'must-not-leak' };
    await sender(fetcher).send({ ...target, platform: 'ios' }, message);
    const text = await requests[1]!.text();
    expect(text).not.toContain('must-not-leak');
    const body = JSON.parse(text) as { message: { data: Record<string, unknown>; android: { ttl: string } } };
    expect(Object.keys(body.message.data).sort()).toEqual(
      ['acceptLabel', 'body', 'deadlineMs', 'matchRequired', 'profileName', 'rejectLabel', 'sessionId', 'title', 'type'].sort(),
    );
    expect(Object.values(body.message.data).every((value) => typeof value === 'string')).toBe(true);
    expect(body.message.data.matchRequired).toBe('false');
    // A deadline already past still gives FCM a valid TTL.
    expect(body.message.android.ttl).toBe('1s');
  });

  it('reuses the cached access token across sends and senders (one token request)', async () => {
    const { requests, fetcher } = fakeGoogle();
    await sender(fetcher).send(target, pushMessage());
    await sender(fetcher).send({ ...target, deviceId: 'dev-2', pushToken: 'fcm-token-def' }, pushMessage());
    expect(requests.map((r) => r.url)).toEqual([TOKEN_URI, SEND_URL, SEND_URL]);
    expect(requests[2]!.headers.get('authorization')).toBe('Bearer ya29.token-1');
  });

  it('pushes to several devices at once with one token request', async () => {
    const { requests, fetcher } = fakeGoogle();
    const push = sender(fetcher);
    await Promise.all([push.send(target, pushMessage()), push.send({ ...target, pushToken: 'other' }, pushMessage())]);
    expect(requests.filter((r) => r.url === TOKEN_URI)).toHaveLength(1);
    expect(requests.filter((r) => r.url === SEND_URL)).toHaveLength(2);
  });

  it('mints a new token once the cached one is within 60 s of expiry', async () => {
    const { requests, fetcher } = fakeGoogle(undefined, 30);
    await sender(fetcher).send(target, pushMessage());
    await sender(fetcher).send(target, pushMessage());
    expect(requests.map((r) => r.url)).toEqual([TOKEN_URI, SEND_URL, TOKEN_URI, SEND_URL]);
    expect(requests[3]!.headers.get('authorization')).toBe('Bearer ya29.token-2');
  });

  it('drops the cached token after a 401 so the next send mints a new one', async () => {
    let status = 401;
    const { requests, fetcher } = fakeGoogle(() => ({ status, body: { error: { code: status, status: 'UNAUTHENTICATED' } } }));
    const error = await errorOf(sender(fetcher).send(target, pushMessage()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).not.toBeInstanceOf(DeviceGoneError);
    expect((error as Error).message).toBe('fcm: HTTP 401');
    status = 200;
    await sender(fetcher).send(target, pushMessage());
    expect(requests.map((r) => r.url)).toEqual([TOKEN_URI, SEND_URL, TOKEN_URI, SEND_URL]);
    expect(requests[3]!.headers.get('authorization')).toBe('Bearer ya29.token-2');
  });

  it('reports a 404 as a gone device', async () => {
    const { fetcher } = fakeGoogle({ status: 404, body: { error: { code: 404, status: 'NOT_FOUND', details: [{ errorCode: 'UNREGISTERED' }] } } });
    const error = await errorOf(sender(fetcher).send(target, pushMessage()));
    expect(error).toBeInstanceOf(DeviceGoneError);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).provider).toBe('fcm');
    expect((error as Error).message).not.toContain('fcm-token-abc');
  });

  it('reports a 400 UNREGISTERED, or INVALID_ARGUMENT about the token, as a gone device', async () => {
    const unregistered = fakeGoogle({
      status: 400,
      body: { error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } },
    });
    expect(await errorOf(sender(unregistered.fetcher).send(target, pushMessage()))).toBeInstanceOf(DeviceGoneError);

    const badToken = fakeGoogle({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'The registration token is not a valid FCM registration token',
          status: 'INVALID_ARGUMENT',
          details: [
            { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' },
            { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.token', description: 'Invalid registration token' }] },
          ],
        },
      },
    });
    expect(await errorOf(sender(badToken.fetcher).send(target, pushMessage()))).toBeInstanceOf(DeviceGoneError);
  });

  it('keeps a 400 about anything but the token, and a 500, as plain delivery errors', async () => {
    const badPayload = fakeGoogle({
      status: 400,
      body: {
        error: {
          code: 400,
          message: 'Invalid value at message.android.ttl',
          status: 'INVALID_ARGUMENT',
          details: [
            { errorCode: 'INVALID_ARGUMENT' },
            { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.android.ttl' }] },
          ],
        },
      },
    });
    const payloadError = await errorOf(sender(badPayload.fetcher).send(target, pushMessage()));
    expect(payloadError).toBeInstanceOf(DeliveryError);
    expect(payloadError).not.toBeInstanceOf(DeviceGoneError);
    expect((payloadError as Error).message).toBe('fcm: HTTP 400');

    const serverError = fakeGoogle({ status: 500 });
    const error = await errorOf(sender(serverError.fetcher).send(target, pushMessage()));
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).not.toBeInstanceOf(DeviceGoneError);
    expect((error as Error).message).toBe('fcm: HTTP 500');
  });

  it('turns a token endpoint refusal and a network failure into delivery errors', async () => {
    const refused = recordingFetch({ [TOKEN_URI]: { status: 400, body: { error: 'invalid_grant' } } });
    await expect(sender(refused.fetcher).send(target, pushMessage())).rejects.toThrow(new DeliveryError('fcm', 'token endpoint HTTP 400'));
    expect(refused.requests).toHaveLength(1);

    const failing: FetchLike = async () => {
      throw new TypeError('connection refused');
    };
    await expect(sender(failing).send(target, pushMessage())).rejects.toThrow('fcm: token endpoint request failed: TypeError');

    // With a cached token, a failure reaching messages:send is reported as such.
    const { fetcher } = fakeGoogle();
    await sender(fetcher).send(target, pushMessage());
    await expect(sender(failing).send(target, pushMessage())).rejects.toThrow('fcm: request failed: TypeError');
  });

  it('refuses a bad service-account JSON with the field named and no key material', () => {
    const attempt = (json: string) => {
      try {
        pushSenderFor({ ...base, PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT: json });
      } catch (error) {
        return error as Error;
      }
      throw new Error('accepted');
    };
    const noEmail = attempt(JSON.stringify({ ...account, client_email: undefined }));
    expect(noEmail).toBeInstanceOf(DeliveryError);
    expect(noEmail.message).toBe('fcm: FCM_SERVICE_ACCOUNT is not a valid service-account JSON: client_email');
    expect(attempt(JSON.stringify({ ...account, project_id: 7 })).message).toBe('fcm: FCM_SERVICE_ACCOUNT is not a valid service-account JSON: project_id');
    expect(attempt(JSON.stringify({ ...account, private_key: 'not a key' })).message).toBe(
      'fcm: FCM_SERVICE_ACCOUNT is not a valid service-account JSON: private_key',
    );
    const truncated = attempt(JSON.stringify(account).slice(0, 200));
    expect(truncated.message).toBe('fcm: FCM_SERVICE_ACCOUNT is not a valid service-account JSON: not JSON');
    const keyBody = privateKeyPem.split('\n')[1]!;
    for (const error of [noEmail, truncated]) {
      expect(error.message).not.toContain('PRIVATE KEY');
      expect(error.message).not.toContain(keyBody.slice(0, 16));
    }
    expect(() => pushSenderFor({ ...base, PUSH_PROVIDER: 'fcm', FCM_SERVICE_ACCOUNT: undefined })).toThrow('fcm: not configured: set FCM_SERVICE_ACCOUNT');
  });
});

describe('signed webhook', () => {
  const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
  const URL_ = 'https://push-relay.example.org/sfwa';
  const webhookEnv = (overrides: Partial<Env> = {}): Env => ({ ...base, PUSH_PROVIDER: 'webhook', PUSH_WEBHOOK_URL: URL_, PUSH_WEBHOOK_SECRET: SECRET, ...overrides });

  async function expectedSignature(secret: string, signed: string): Promise<string> {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed)));
    return `v1=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }

  it('POSTs the exact JSON with a timestamp and an HMAC signature over "<timestamp>.<raw body>"', async () => {
    const { requests, fetcher } = recordingFetch({ [URL_]: { status: 202 } });
    const message = pushMessage();
    const sender = pushSenderFor(webhookEnv(), fetcher)!;
    expect(sender.provider).toBe('webhook');
    const withExtras = { ...message, apiKey: 'must-not-leak', context: { ...message.context!, linkSecret: 'must-not-leak-either' } };
    await sender.send({ deviceId: 'dev-9', platform: 'ios', pushToken: 'apns-xyz' }, withExtras as PushMessage);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.url).toBe(URL_);
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    // Not followed: a redirect would carry the signed push somewhere the configuration does not name.
    expect(request.redirect).toBe('manual');
    const raw = await request.text();
    expect(JSON.parse(raw)).toEqual({ type: 'sfwa.push', device: { id: 'dev-9', platform: 'ios', pushToken: 'apns-xyz' }, message });
    expect(raw).not.toContain('must-not-leak');
    expect(raw).not.toContain('must-not-leak-either');
    expect(raw).not.toContain(SECRET);

    const timestamp = request.headers.get('x-sfwa-timestamp')!;
    expect(timestamp).toMatch(/^\d+$/);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(request.headers.get('x-sfwa-signature')).toBe(await expectedSignature(SECRET, `${timestamp}.${raw}`));
    expect(request.headers.get('x-sfwa-signature')).not.toBe(await expectedSignature(SECRET, `${Number(timestamp) + 1}.${raw}`));
  });

  it('reports 410 as a gone device and other failures as delivery errors', async () => {
    const gone = recordingFetch({ [URL_]: { status: 410 } });
    const goneError = await errorOf(pushSenderFor(webhookEnv(), gone.fetcher)!.send(target, pushMessage()));
    expect(goneError).toBeInstanceOf(DeviceGoneError);
    expect((goneError as DeliveryError).provider).toBe('webhook');

    const broken = recordingFetch({ [URL_]: { status: 503 } });
    const brokenError = await errorOf(pushSenderFor(webhookEnv(), broken.fetcher)!.send(target, pushMessage()));
    expect(brokenError).toBeInstanceOf(DeliveryError);
    expect(brokenError).not.toBeInstanceOf(DeviceGoneError);
    expect((brokenError as Error).message).toBe('webhook: HTTP 503');

    const redirected = recordingFetch({ [URL_]: { status: 307 } });
    await expect(pushSenderFor(webhookEnv(), redirected.fetcher)!.send(target, pushMessage())).rejects.toThrow('webhook: HTTP 307');

    const failing: FetchLike = async () => {
      throw new TypeError('connection refused');
    };
    await expect(pushSenderFor(webhookEnv(), failing)!.send(target, pushMessage())).rejects.toThrow('webhook: request failed: TypeError');
  });

  it('refuses plain http except to localhost, and a short or missing secret', () => {
    expect(() => pushSenderFor(webhookEnv({ PUSH_WEBHOOK_URL: 'http://push-relay.example.org/sfwa' }))).toThrow(/PUSH_WEBHOOK_URL must be an https URL/);
    expect(() => pushSenderFor(webhookEnv({ PUSH_WEBHOOK_URL: 'not a url' }))).toThrow(/PUSH_WEBHOOK_URL/);
    expect(pushSenderFor(webhookEnv({ PUSH_WEBHOOK_URL: 'http://localhost:8788/push' }))?.provider).toBe('webhook');
    expect(pushSenderFor(webhookEnv({ PUSH_WEBHOOK_URL: 'http://127.0.0.1:8788/push' }))?.provider).toBe('webhook');
    const short = SECRET.slice(0, 31);
    expect(() => pushSenderFor(webhookEnv({ PUSH_WEBHOOK_SECRET: short }))).toThrow('webhook: PUSH_WEBHOOK_SECRET must be at least 32 characters');
    expect(pushSenderFor(webhookEnv({ PUSH_WEBHOOK_SECRET: SECRET.slice(0, 32) }))?.provider).toBe('webhook');
    expect(() => pushSenderFor(webhookEnv({ PUSH_WEBHOOK_SECRET: undefined }))).toThrow('webhook: not configured: set PUSH_WEBHOOK_SECRET');
    expect(() => pushSenderFor(webhookEnv({ PUSH_WEBHOOK_URL: '', PUSH_WEBHOOK_SECRET: undefined }))).toThrow(
      'webhook: not configured: set PUSH_WEBHOOK_URL, PUSH_WEBHOOK_SECRET',
    );
  });
});

describe('dev push inbox', () => {
  const devEnv = (): Env => ({ ...base, PUSH_PROVIDER: 'dev', LOCAL_DEV: 'true' });

  it('records pushes instead of sending them and reads them back newest first', async () => {
    const sender = pushSenderFor(devEnv())!;
    expect(sender.provider).toBe('dev');
    const device: PushTarget = { deviceId: 'dev-inbox-1', platform: 'web', pushToken: 'dev-token-1' };
    await sender.send(device, pushMessage({ sessionId: 'first' }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.send(device, pushMessage({ sessionId: 'second' }));
    await sender.send({ ...device, deviceId: 'dev-inbox-1:other' }, pushMessage({ sessionId: 'elsewhere' }));

    const recorded = await readDevPushes(env, 'dev-inbox-1');
    expect(recorded.map((push) => push.message.sessionId)).toEqual(['second', 'first']);
    expect(recorded[0]).toMatchObject({ deviceId: 'dev-inbox-1', platform: 'web', pushToken: 'dev-token-1', message: pushMessage({ sessionId: 'second', deadlineMs: recorded[0]!.message.deadlineMs }) });
    expect(new Date(recorded[0]!.sentAt).toISOString()).toBe(recorded[0]!.sentAt);
    expect((await readDevPushes(env, 'dev-inbox-1', 1)).map((push) => push.message.sessionId)).toEqual(['second']);
    expect((await readDevPushes(env, 'dev-inbox-1:other')).map((push) => push.message.sessionId)).toEqual(['elsewhere']);
    expect(await readDevPushes(env, 'dev-inbox-none')).toEqual([]);
    const keys = await env.KV.list({ prefix: 'devpush:dev-inbox-1:' });
    expect(keys.keys).toHaveLength(2);
    expect(keys.keys[0]!.name).toMatch(/^devpush:dev-inbox-1:\d{13}:[0-9a-f-]{36}$/);
    expect(keys.keys[0]!.expiration! - Date.now() / 1000).toBeGreaterThan(3500);
    expect(keys.keys[0]!.expiration! - Date.now() / 1000).toBeLessThanOrEqual(3600);
  });

  it('simulates a gone device and a failed delivery without recording', async () => {
    const sender = pushSenderFor(devEnv())!;
    const gone = await errorOf(sender.send({ deviceId: 'dev-inbox-2', platform: 'android', pushToken: 'dev-gone:x' }, pushMessage()));
    expect(gone).toBeInstanceOf(DeviceGoneError);
    const failed = await errorOf(sender.send({ deviceId: 'dev-inbox-2', platform: 'android', pushToken: 'dev-fail:x' }, pushMessage()));
    expect(failed).toBeInstanceOf(DeliveryError);
    expect(failed).not.toBeInstanceOf(DeviceGoneError);
    expect(await readDevPushes(env, 'dev-inbox-2')).toEqual([]);
  });

  it('refuses to run outside local development', () => {
    expect(() => pushSenderFor({ ...devEnv(), LOCAL_DEV: undefined })).toThrow(
      new DeliveryError('dev', 'the dev push provider works only in local development (LOCAL_DEV=true)'),
    );
    expect(() => pushSenderFor({ ...devEnv(), LOCAL_DEV: 'false' })).toThrow(/only in local development/);
  });
});

describe('provider choice by configuration', () => {
  it('is off (null) when PUSH_PROVIDER is unset or empty', () => {
    // A .dev.vars left by `npm start` may set PUSH_PROVIDER, so the test env does not count as "unset".
    expect(pushSenderFor({ ...base, PUSH_PROVIDER: undefined })).toBeNull();
    expect(pushSenderFor({ ...base, PUSH_PROVIDER: '' })).toBeNull();
    expect(pushSenderFor({ ...base, PUSH_PROVIDER: 'webhook', PUSH_WEBHOOK_URL: 'https://r.example/p', PUSH_WEBHOOK_SECRET: 'x'.repeat(32) })).not.toBeNull();
  });

  it('names an unknown provider in the error', () => {
    const error = (() => {
      try {
        pushSenderFor({ ...base, PUSH_PROVIDER: 'carrier-pigeon' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).provider).toBe('carrier-pigeon');
    expect((error as Error).message).toMatch(/^carrier-pigeon: unknown PUSH_PROVIDER/);
  });
});
