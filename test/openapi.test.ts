import { SELF } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedText, type SignedRequestPurpose } from '../src/domain/device';
import { activateTestDevice } from './device-support';
import { assetFetch } from './static-assets';
import { fakePushRelay } from './push-support';
import { callApi, fakeSmsProvider, freshMsisdn, seedProfile, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

interface Parameter {
  name: string;
  required: boolean;
  description?: string;
  schema: { maxLength?: number; minimum?: number; maximum?: number; default?: number; type?: string; pattern?: string };
}

it('publishes the public API as OpenAPI, generated from the schema that validates requests', async () => {
  const response = await assetFetch('/api/openapi.json');
  expect(response.status).toBe(200);
  const document = await response.json<{ openapi: string; paths: Record<string, { get: { parameters: Parameter[]; responses: Record<string, unknown> }; post: unknown }> }>();
  expect(document.openapi).toBe('3.1.0');
  const get = document.paths['/api/sfwa/auth']!.get;
  const byName = Object.fromEntries(get.parameters.map((p) => [p.name, p]));
  expect(byName['msisdn']?.required).toBe(true);
  expect(byName['sms-text']?.schema.maxLength).toBe(20);
  expect(byName['title-text']?.schema.maxLength).toBe(255);
  expect(byName['button-accept-text']?.schema.maxLength).toBe(50);
  expect(byName['touch-accept-text']?.schema.maxLength).toBe(1024);
  expect(byName['touch-timeout']?.schema).toMatchObject({ minimum: 1, maximum: 300 });
  expect(byName['touch-timeout']?.description).toContain('Cloud dialect: 1–60, default 30');
  expect(byName['touch-timeout']?.description).toContain('Server dialect: 15–300, default 60');
  expect(Object.keys(get.responses)).toEqual(['200', '202', '400', '401', '404', '409', '413', '422', '429', '502']);
  expect(document.paths['/api/sfwa/auth/{endpointName}']?.post).toBeDefined();
});

it('leads with POST, and says why a number does not belong in a query string', async () => {
  const document = await (await assetFetch('/api/openapi.json')).json<{
    paths: Record<string, { get: { description: string }; post: { description: string } }>;
    components: { schemas: { Error: { properties: { reason: { enum: string[] } } } } };
  }>();
  const { get, post } = document.paths['/api/sfwa/auth']!;
  expect(post.description).toMatch(/^The way to call it/);
  expect(get.description).toMatch(/^For clients written for the cloud API\. Prefer POST: a phone number in a query string ends up in access logs/);
  expect(document.components.schemas.Error.properties.reason.enum).toEqual(['number', 'blocked', 'budget', 'client', 'sign-in']);
});

it('describes both response dialects', async () => {
  const document = await (await assetFetch('/api/openapi.json')).json<{
    components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
  }>();
  const { Outcome, ServerOutcome, ServerRefusal } = document.components.schemas;
  expect(Outcome?.properties.code.enum).toEqual(['ACCEPT', 'REJECT', 'TIMEOUT']);
  expect(ServerOutcome?.properties.code.enum).toEqual(['TOUCH_ACCEPTED', 'TOUCH_REJECTED', 'USER_NOT_RESPONDED', 'FAILED_DELIVERY']);
  expect(ServerRefusal?.properties.code.enum).toEqual(['BAD_REQUEST']);
});

interface Operation {
  description: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface SchemaObject {
  required?: string[];
  description?: string;
  pattern?: string;
  enum?: string[];
  const?: unknown;
  properties: Record<string, SchemaObject>;
}
interface Document {
  paths: Record<string, { post: Operation; get?: { parameters: Parameter[] }; parameters?: Parameter[] }>;
  components: { schemas: Record<string, SchemaObject> };
}

const openApi = async () => (await assetFetch('/api/openapi.json')).json<Document>();
/** The schema a $ref points at (#/components/schemas/Name). */
const resolve = (document: Document, ref: string | undefined): SchemaObject => {
  const name = ref?.replace('#/components/schemas/', '') ?? '(none)';
  const schema = document.components.schemas[name];
  if (!schema) throw new Error(`no schema ${ref}`);
  return schema;
};
const bodyOf = (document: Document, operation: Operation) => resolve(document, operation.requestBody?.content['application/json']?.schema.$ref);
const answerOf = (document: Document, operation: Operation, status: string) => resolve(document, operation.responses[status]?.content?.['application/json']?.schema.$ref);

describe('the companion app API', () => {
  it('is described: the four endpoints, without an api-key, with their answers', async () => {
    const document = await openApi();
    const expected: Record<string, string[]> = {
      '/api/plus/v1/activate': ['201', '400', '404', '410'],
      '/api/plus/v1/deactivate': ['200', '400', '401'],
      '/api/plus/v1/pending': ['200', '400', '401'],
      '/api/plus/v1/sessions/{sessionId}/decision': ['200', '400', '401', '404', '409'],
    };
    for (const [path, statuses] of Object.entries(expected)) {
      const post = document.paths[path]?.post;
      expect(post, path).toBeDefined();
      expect(Object.keys(post!.responses), path).toEqual(statuses);
      expect(post!.security, path).toEqual([]);
      for (const status of statuses.filter((s) => s >= '400')) {
        expect(post!.responses[status]?.content?.['application/json']?.schema.$ref, `${path} ${status}`).toBe('#/components/schemas/Error');
      }
    }
    expect(document.paths['/api/plus/v1/sessions/{sessionId}/decision']?.parameters).toEqual([expect.objectContaining({ name: 'sessionId', in: 'path', required: true })]);

    const activate = document.paths['/api/plus/v1/activate']!.post;
    expect(answerOf(document, activate, '201').required).toEqual(['deviceId', 'msisdnMasked']);
    expect(answerOf(document, document.paths['/api/plus/v1/deactivate']!.post, '200').properties.deactivated?.const).toBe(true);
    const decision = document.paths['/api/plus/v1/sessions/{sessionId}/decision']!.post;
    expect(answerOf(document, decision, '200').properties.status?.enum).toEqual(['accepted', 'rejected', 'timed_out']);
    expect(decision.responses['409']).toMatchObject({ description: expect.stringContaining('already been answered') });
  });

  it('generates the request bodies from the zod schemas that validate them', async () => {
    const document = await openApi();
    const activate = bodyOf(document, document.paths['/api/plus/v1/activate']!.post);
    expect(activate.required).toEqual(['code', 'installationId', 'platform', 'pushToken', 'publicKey']);
    expect(activate.properties.platform?.enum).toEqual(['android', 'ios', 'web']);
    expect(activate.properties.publicKey?.required).toEqual(['kty', 'crv', 'x', 'y']);
    expect(activate.properties.publicKey?.properties.crv?.const).toBe('P-256');
    expect(activate.properties.publicKey?.properties.d?.description).toContain('private key');

    for (const path of ['/api/plus/v1/deactivate', '/api/plus/v1/pending']) {
      expect(bodyOf(document, document.paths[path]!.post).required, path).toEqual(['deviceId', 'timestamp', 'signature']);
    }
    const decision = bodyOf(document, document.paths['/api/plus/v1/sessions/{sessionId}/decision']!.post);
    expect(decision.required).toEqual(['deviceId', 'timestamp', 'signature', 'decision']);
    expect(decision.properties.decision?.enum).toEqual(['accept', 'reject', 'report']);
    expect(decision.properties.matchCode?.pattern).toBe('^\\d{2}$');
  });

  it('says what each signed request signs, line by line as signedText() builds it', async () => {
    const document = await openApi();
    const lines = (purpose: SignedRequestPurpose, fields: string[]) => '```\n' + [...signedText(purpose, fields, 1).split('\n').slice(0, -1), '{timestamp}'].join('\n') + '\n```';
    expect(lines('pending', ['{deviceId}'])).toBe('```\nsfwa-plus-v1\npending\n{deviceId}\n{timestamp}\n```');
    expect(document.paths['/api/plus/v1/pending']!.post.description).toContain(lines('pending', ['{deviceId}']));
    expect(document.paths['/api/plus/v1/deactivate']!.post.description).toContain(lines('deactivate', ['{deviceId}']));
    const decision = document.paths['/api/plus/v1/sessions/{sessionId}/decision']!.post.description;
    expect(decision).toContain('```\nsfwa-plus-v2\ndecision\n{sessionId}\n{deviceId}\n{decision}\n{matchCode, or an empty line when there is none}\n{textsHash}\n{timestamp}\n```');
    expect(decision).toContain('A v1 answer (no `textsHash`, first line `sfwa-plus-v1`, no textsHash line) is accepted until 2027-07-01');
    expect(decision).toContain('IEEE P1363');
    expect(document.paths['/api/plus/v1/activate']!.post.description).not.toContain('sfwa-plus-v1');
  });

  it('describes the pending pull as the Worker answers it', async () => {
    fakeSmsProvider();
    const relay = fakePushRelay();
    await seedProfile('openapi-pending', { rateLimit: { perMinute: 20, perHour: 100 } });
    const key = await seedToken({ profile: 'openapi-pending' });
    const msisdn = freshMsisdn();
    const device = await activateTestDevice(msisdn);
    const call = callApi(key, { msisdn, 'match-code': '42' }, 'openapi-pending');
    const { message } = await relay.nextPush();
    const requests = await vi.waitFor(async () => {
      const response = await SELF.fetch('http://localhost/api/plus/v1/pending', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await device.signRequest('pending', [device.deviceId])),
      });
      const { requests } = await response.json<{ requests: Record<string, unknown>[] }>();
      if (!requests.length) throw new Error('not recorded yet');
      return requests;
    });

    const document = await openApi();
    const pending = answerOf(document, document.paths['/api/plus/v1/pending']!.post, '200');
    expect(pending.required).toEqual(['requests']);
    const appRequest = document.components.schemas['AppRequest']!;
    // Every member the Worker sends is documented, and every documented one is sent.
    expect(Object.keys(requests[0]!).sort()).toEqual(Object.keys(appRequest.properties).sort());
    expect([...appRequest.required!].sort()).toEqual(Object.keys(requests[0]!).sort());
    expect(Object.keys(requests[0]!['context'] as object).sort()).toEqual(Object.keys(appRequest.properties.context!.properties).sort());

    const signed = await device.signRequest('decision', [message.sessionId, device.deviceId, 'accept', '42']);
    await SELF.fetch(`http://localhost/api/plus/v1/sessions/${message.sessionId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...signed, decision: 'accept', matchCode: '42' }),
    });
    expect(await (await call).json()).toEqual({ code: 'ACCEPT', channel: 'push', receipt: expect.any(String) });
  });
});

describe('smart delivery in the public API', () => {
  it('adds channel and reason to the cloud outcome, and only there', async () => {
    const document = await openApi();
    const { Outcome, ServerOutcome } = document.components.schemas;
    expect(Outcome?.required).toEqual(['code']);
    expect(Outcome?.properties.channel?.enum).toEqual(['sms', 'push']);
    expect(Outcome?.properties.reason?.enum).toEqual(['unexpected', 'match-mismatch']);
    expect(Outcome?.properties.reason?.description).toContain('unexpectedBlockMinutes');
    // No channel or reason in the server dialect; `session` only in answers read by session.
    expect(Object.keys(ServerOutcome?.properties ?? {})).toEqual(['code', 'message', 'session']);
  });

  it('takes match-code, two digits, optional, and says what a wrong pick answers', async () => {
    const document = await openApi();
    const matchCode = document.paths['/api/sfwa/auth']!.get!.parameters.find((parameter) => parameter.name === 'match-code');
    expect(matchCode).toMatchObject({ required: false, schema: { type: 'string', pattern: '^\\d{2}$' } });
    expect(matchCode?.description).toContain('Number matching');
    expect(matchCode?.description).toContain('match-mismatch');
    expect(document.components.schemas['AuthRequest']?.properties['match-code']?.pattern).toBe('^\\d{2}$');
  });
});

it('describes async starts, the status route, retries with an Idempotency-Key and the signed callback', async () => {
  const document = await (await assetFetch('/api/openapi.json')).json<{
    paths: Record<string, Record<string, { parameters?: Parameter[]; description?: string; responses: Record<string, unknown> }>>;
    webhooks: Record<string, { post: { description: string } }>;
    components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
  }>();
  const post = document.paths['/api/sfwa/auth']!['post']!;
  expect(post.parameters?.map((parameter) => parameter.name)).toEqual(['Prefer', 'Idempotency-Key']);
  expect(post.description).toContain('respond-async');
  expect(document.components.schemas['Pending']?.required).toEqual(['code', 'session', 'expiresAt']);
  const status = document.paths['/api/sfwa/sessions/{session}']!;
  expect(status['get']?.parameters?.find((parameter) => parameter.name === 'wait')?.schema).toMatchObject({ minimum: 1, maximum: 25 });
  expect(Object.keys(status['delete']!.responses)).toEqual(['200', '404']);
  expect(document.webhooks['sfwa.outcome']?.post.description).toContain('HMAC-SHA256');
  expect(Object.keys(document.components.schemas['Callback']!.properties)).toEqual(expect.arrayContaining(['session', 'code', 'settledAt']));
  // The request's own parameter comes from the schema that validates it.
  expect(document.paths['/api/sfwa/auth']!['get']!.parameters?.find((parameter) => parameter.name === 'callback-url')?.schema.maxLength).toBe(2048);
});
