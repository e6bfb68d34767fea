/**
 * The OpenAPI document of the public API and the companion app's API (/api/plus/v1), described from the
 * same zod schemas that validate their requests. Not part of the Worker: `npm run static-files` writes it
 * to public/api/openapi.json, which Cloudflare serves as a static asset (test/static-files.test.ts keeps
 * the two equal).
 */
import { SMS_PROVIDER_NAMES } from '../providers/sms/sms-sender';
import * as z from '../domain/zod';
import { API_ERROR_STATUS, RATE_LIMIT_REASONS } from '../domain/api-error';
import { AUTH_CHANNELS, OUTCOME_REASONS } from '../domain/auth-log';
import { authRequestSchema } from '../domain/auth-request';
import { CALLBACK_RETRY_DELAYS_SECONDS, CALLBACK_TIMEOUT_MS } from '../domain/callback';
import { STATUS_WAIT_MAX_SECONDS, UNEXPECTED_BLOCK_DEFAULT_MINUTES } from '../domain/constants';
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_WINDOW_MINUTES, IDEMPOTENT_HANGUP_GRACE_MS } from '../domain/idempotency';
import {
  deviceActivateSchema,
  deviceDecisionSchema,
  SIGNATURE_MAX_SKEW_MS,
  signedRequestSchema,
  signedText,
  V1_DECISIONS_SUNSET_DATE,
  type SignedRequestPurpose,
} from '../domain/device';
import { OUTCOME_CODES, SERVER_FAILED_DELIVERY, SERVER_REFUSAL, TOUCH_TIMEOUT_SECONDS } from '../domain/dialect';

type JsonSchemaObject = {
  properties: Record<string, { description?: string } & Record<string, unknown>>;
  required?: string[];
} & Record<string, unknown>;

/** A request schema as JSON Schema: what a client sends (zod's input side). */
const requestJsonSchema = (schema: z.ZodMiniType): JsonSchemaObject =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;

const inputSchema = requestJsonSchema(authRequestSchema);

const { cloud, server } = TOUCH_TIMEOUT_SECONDS;
const timeoutText =
  `Seconds the user has to answer. Cloud dialect: ${cloud.min}–${cloud.max}, default ${cloud.default}. ` +
  `Server dialect: ${server.min}–${server.max}, default ${server.default}.`;
// The parameter's schema covers both dialects' ranges; each profile's own range is in the text.
inputSchema.properties['touch-timeout'] = { type: 'integer', minimum: cloud.min, maximum: server.max, description: timeoutText };

// What the schema's own description cannot say: how the choice is offered and what a wrong pick answers.
const matchCode = inputSchema.properties['match-code'];
if (matchCode) {
  matchCode.description =
    `${matchCode.description}. The companion app and the magic-link page offer three two-digit numbers, this one among them, instead of a plain Accept; ` +
    'a wrong pick (or Accept without one) rejects: REJECT with `reason` `match-mismatch` in the cloud dialect, TOUCH_REJECTED in the server dialect.';
}

const cloudOutcomeSchema = {
  type: 'object',
  title: 'Cloud dialect outcome',
  required: ['code'],
  properties: {
    code: { type: 'string', enum: Object.values(OUTCOME_CODES.cloud), description: 'ACCEPT: approved; REJECT: rejected; TIMEOUT: no answer in time' },
    channel: {
      type: 'string',
      enum: [...AUTH_CHANNELS],
      description:
        'How the request reached the user: `push` to the companion app on a device activated for the number, or `sms` with a magic link ' +
        '(also when the number has no app, the profile does not use it, or no push got through). Sent with every outcome by this service.',
    },
    session: {
      type: 'string',
      description: 'The session id: in answers read by session (GET /api/sfwa/sessions/{session}, or an async start that settled within its `wait`)',
    },
    approver: { type: ['string', 'null'], description: 'Assisted login: the approver who answered (null when none did)' },
    receipt: {
      type: 'string',
      description:
        'A compact JWS (ES256) signed by this service, to keep as proof of the answer: verify it with the keys at /.well-known/jwks.json (by its `kid`); ' +
        'its claims are the `ReceiptClaims` schema. The same receipt every time the session is read. Absent only where the deployment has no signing key.',
    },
    reason: {
      type: 'string',
      enum: [...OUTCOME_REASONS],
      description:
        'With REJECT, when it was not a plain Reject. `unexpected`: the user answered "This wasn\'t me"; requests to the number through this profile are then ' +
        `refused as 429 RATE_LIMITED with Retry-After for the profile's unexpectedBlockMinutes (default ${UNEXPECTED_BLOCK_DEFAULT_MINUTES}, 0 = off). ` +
        '`match-mismatch`: number matching was on (`match-code`) and the user picked another number.',
    },
  },
};

const serverOutcomeSchema = {
  type: 'object',
  title: 'Server dialect outcome (Mideye Server compatible)',
  required: ['code'],
  properties: {
    code: {
      type: 'string',
      enum: [...Object.values(OUTCOME_CODES.server), SERVER_FAILED_DELIVERY],
      description: 'TOUCH_ACCEPTED: approved; TOUCH_REJECTED: rejected; USER_NOT_RESPONDED: no answer in time; FAILED_DELIVERY: the message could not be delivered',
    },
    message: { type: 'string', description: 'With FAILED_DELIVERY: what failed' },
    session: { type: 'string', description: 'The session id, in answers read by session' },
  },
};

const pendingSchema = {
  type: 'object',
  title: 'A session still waiting for the person (both dialects)',
  required: ['code', 'session', 'expiresAt'],
  properties: {
    code: { const: 'PENDING' },
    session: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Read its outcome at GET /api/sfwa/sessions/{session} (the Location header)' },
    expiresAt: { type: 'string', format: 'date-time', description: 'The deadline: an answer after it does not count, the session then times out' },
  },
};

const callbackSchema = {
  type: 'object',
  title: 'The outcome POSTed to a callback-url',
  required: ['type', 'session', 'endpoint', 'settledAt', 'code'],
  properties: {
    type: { const: 'sfwa.outcome' },
    session: { type: 'string', description: 'The session id (the same in every retry: de-duplicate by it)' },
    endpoint: { type: 'string', description: 'The endpoint profile\'s name' },
    settledAt: { type: 'string', format: 'date-time' },
    code: {
      type: 'string',
      description: 'In the profile\'s dialect: ACCEPT, REJECT, TIMEOUT, DELIVERY_FAILED or RATE_LIMITED (SMS budget); server: TOUCH_ACCEPTED, TOUCH_REJECTED, USER_NOT_RESPONDED, FAILED_DELIVERY',
    },
    channel: { type: 'string', enum: [...AUTH_CHANNELS], description: 'Cloud dialect only' },
    reason: { type: 'string', description: 'Cloud dialect only: as in the outcome' },
    approver: { type: ['string', 'null'], description: 'Cloud dialect, assisted login: the approver who answered' },
    receipt: { type: 'string', description: 'Cloud dialect only: the signed receipt, as in the outcome' },
  },
};

const receiptClaimsSchema = {
  type: 'object',
  title: 'What a receipt says (the JWS payload; header alg ES256, typ sfwa-receipt+jwt, kid)',
  required: ['iss', 'iat', 'sid', 'endpoint', 'outcome', 'code', 'channel', 'requestedAt', 'settledAt', 'textsHash', 'textsBy'],
  properties: {
    iss: { type: 'string', description: "The service's public origin" },
    iat: { type: 'integer', description: 'When it was signed (Unix seconds): as the session settled' },
    sid: { type: 'string', description: 'The session id' },
    endpoint: { type: 'string', description: "The endpoint profile's name" },
    phone: { type: 'string', description: 'HMAC-SHA256 (hex) of the number that answered (or, when nobody did, of the first asked), keyed by the deployment\'s PHONE_HASH_SECRET: never the number' },
    outcome: { type: 'string', enum: ['ACCEPT', 'REJECT', 'TIMEOUT', 'CANCELLED'], description: 'As the authentication log tells it: CANCELLED (the caller went away) answers TIMEOUT' },
    code: { type: 'string', enum: Object.values(OUTCOME_CODES.cloud), description: 'The code the cloud dialect answered' },
    channel: { type: 'string', enum: [...AUTH_CHANNELS] },
    reason: { type: 'string', enum: [...OUTCOME_REASONS] },
    approver: { type: ['string', 'null'], description: 'Assisted login: the approver who answered' },
    user: { type: 'string', description: 'Assisted login: whose sign-in it was' },
    device: {
      type: 'object',
      required: ['id', 'publicKey'],
      description: 'A push answer: the device, its public key and, with protocol v2, its own signature over the v2 decision text (so it can be checked without the service)',
      properties: { id: { type: 'string' }, publicKey: { type: 'object' }, signature: { type: 'string' }, signedAtMs: { type: 'integer' } },
    },
    requestedAt: { type: 'string', format: 'date-time' },
    settledAt: { type: 'string', format: 'date-time' },
    textsHash: {
      type: 'string',
      description: 'SHA-256, base64url, of the UTF-8 of the four texts of the decision screen joined by U+001F: title, authentication text, accept label, reject label',
    },
    textsBy: {
      type: 'string',
      enum: ['page', 'device', 'service'],
      description: '`page`: the magic-link page showed these texts (in the language it was shown in); `device`: the app signed the hash (v2); `service`: what was offered (a v1 app answer, or nobody answered)',
    },
  },
};

const jwksPath = {
  '/.well-known/jwks.json': {
    get: {
      summary: 'The public keys receipts are signed with',
      description: 'The current key first, then keys kept after a rotation, each with its `kid`. Cacheable for 5 minutes; look an unknown `kid` up again.',
      responses: { '200': { description: 'A JWK Set (RFC 7517)', content: { 'application/json': { schema: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', items: { type: 'object' } } } } } } } },
    },
  },
  '/api/sfwa/delivery/{provider}/{session}/{token}': {
    post: {
      summary: 'An SMS provider reports whether a magic link reached the phone',
      description:
        'Called by the providers, not by applications: each SMS names this URL with a token made for that one message (46elks `whendelivered`, Twilio `StatusCallback`, Sinch `callback_url`). ' +
        'Twilio reports must carry a valid `X-Twilio-Signature`. A failed delivery while the session waits sends the link again by the next provider; with none left the session answers DELIVERY_FAILED at once.',
      parameters: [
        { name: 'provider', in: 'path', required: true, schema: { type: 'string', enum: [...SMS_PROVIDER_NAMES] } },
        { name: 'session', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'token', in: 'path', required: true, schema: { type: 'string' } },
      ],
      responses: {
        '200': { description: '`{"result":"recorded"}`, or `{"result":"ignored"}` for an intermediate status (sent, queued)' },
        '400': { description: 'Not a delivery report of this provider' },
        '403': { description: 'X-Twilio-Signature missing or wrong' },
        '404': { description: 'No such message (unknown session, token or provider)' },
        '409': { description: 'This message’s final status is recorded already (a replay changes nothing)' },
      },
    },
  },
};

const ASYNC_TEXT =
  ' **Callers that cannot hold a connection** (API gateways with a 29–30 s limit, short-lived functions) send `Prefer: respond-async`: ' +
  'the call answers 202 `PENDING` with the session id and `Location` as soon as the message is on its way, and the outcome is read at ' +
  `GET /api/sfwa/sessions/{session}?wait=N (up to ${STATUS_WAIT_MAX_SECONDS} s held there), or POSTed to \`callback-url\`. ` +
  `\`Prefer: respond-async, wait=N\` holds up to N s (at most ${STATUS_WAIT_MAX_SECONDS}) first and answers the outcome itself when it comes in time. ` +
  `**Retries:** an \`Idempotency-Key\` header (1–${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, e.g. a UUID) makes a retry within ${IDEMPOTENCY_WINDOW_MINUTES} minutes ` +
  'with the same key and parameters get the same session (no second SMS, no second rate-limit count): a synchronous retry waits on it, an async one gets the same 202 while it is pending (once settled, its outcome) ' +
  '(with `Idempotent-Replayed: true`); the same key with other parameters is 422. With a key, a synchronous caller that hangs up has ' +
  `${IDEMPOTENT_HANGUP_GRACE_MS / 1000} s to come back before its session is cancelled; without one it is cancelled at once.`;

const headerParameters = [
  {
    name: 'Prefer',
    in: 'header',
    required: false,
    schema: { type: 'string', examples: ['respond-async', 'respond-async, wait=10'] },
    description: `RFC 7240. \`respond-async\`: answer 202 PENDING at once; with \`wait=N\` after up to N s (at most ${STATUS_WAIT_MAX_SECONDS}) when the outcome has not come.`,
  },
  {
    name: IDEMPOTENCY_HEADER,
    in: 'header',
    required: false,
    schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: '^[\\x20-\\x7e]+$' },
    description: `The same key for the same endpoint within ${IDEMPOTENCY_WINDOW_MINUTES} minutes returns the same session; with other parameters, 422.`,
  },
];

const serverRefusalSchema = {
  type: 'object',
  title: 'Server dialect refusal',
  required: ['code', 'reason', 'message'],
  properties: {
    code: { type: 'string', enum: [SERVER_REFUSAL] },
    reason: { type: 'string', enum: Object.keys(API_ERROR_STATUS), description: 'Why, as the cloud dialect would say it (UNAUTHORIZED, BAD_REQUEST, RATE_LIMITED, ...)' },
    limit: { type: 'string', enum: [...RATE_LIMIT_REASONS], description: 'With RATE_LIMITED: which limit (the cloud dialect\'s `reason`)' },
    message: { type: 'string' },
    errors: { $ref: '#/components/schemas/Error/properties/errors' },
  },
};

const DIALECTS_TEXT =
  'Each endpoint profile answers in its response dialect. **cloud** (default): `ACCEPT`, `REJECT`, `TIMEOUT`; refusals are errors ' +
  '`{code, message, errors?}` with their HTTP status; a delivery failure is 502 `DELIVERY_FAILED`. **server** (drop-in for Mideye Server ' +
  "integrations): `TOUCH_ACCEPTED`, `TOUCH_REJECTED`, `USER_NOT_RESPONDED`, and `FAILED_DELIVERY` (all HTTP 200); every refusal's " +
  '`code` is `BAD_REQUEST`, with the same HTTP status as in the cloud dialect and `reason`, `message` and `errors` beside it. ' +
  'The api-key header may be `{tokenName}:{tokenValue}` or the bare token value in both dialects.';

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: Object.keys(API_ERROR_STATUS) },
    message: { type: 'string' },
    reason: {
      type: 'string',
      enum: [...RATE_LIMIT_REASONS],
      description:
        'With RATE_LIMITED: `number` (too many requests for this phone number), `blocked` (the number is blocked for this profile after "This wasn\'t me"), ' +
        '`budget` (the profile\'s SMS budget is used up), `client` (too many refused API keys from this address), `sign-in` (console sign-in throttled)',
    },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/ServerRefusal' }] } } },
});

const parameters = Object.entries(inputSchema.properties).map(([name, schema]) => {
  const { description, ...rest } = schema;
  return { name, in: 'query', required: inputSchema.required?.includes(name) ?? false, description, schema: rest };
});

const outcomeResponse = {
  description: "The outcome, in the profile's dialect",
  content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Outcome' }, { $ref: '#/components/schemas/ServerOutcome' }] } } },
};

const operation = (method: 'get' | 'post') => ({
  summary: 'Authenticate a user out of band and wait for the answer',
  description:
    (method === 'post'
      ? 'The way to call it: the parameters go in a JSON object or a form body, which keeps the phone number out of the URL. '
      : 'For clients written for the cloud API. Prefer POST: a phone number in a query string ends up in access logs, proxies\' logs and Cloudflare\'s request traces. ') +
    'Sends the request to the user and holds the call until the user accepts or rejects, or the timeout passes. ' +
    'Only mobile numbers of the profile\'s allowed countries are sent to (premium-rate, toll-free, shared-cost, satellite and other special numbers are refused), ' +
    'and an SMS only within the profile\'s SMS budget. ' +
    'A number whose owner activated the companion app gets a push to the app when the profile says "Use Mideye+ if activated"; ' +
    'otherwise, or when no push gets through, the same session goes on by an SMS magic link. ' +
    DIALECTS_TEXT +
    ASYNC_TEXT +
    (method === 'post' ? ' Bodies: JSON, application/x-www-form-urlencoded or multipart/form-data, at most 64 KiB.' : ''),
  security: [{ apiKey: [] }],
  ...(method === 'get'
    ? { parameters: [...parameters, ...headerParameters] }
    : {
        parameters: headerParameters,
        requestBody: {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/AuthRequest' } },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/AuthRequest' } },
          },
        },
      }),
  responses: {
    '200': outcomeResponse,
    '202': {
      description: 'With `Prefer: respond-async`: the message is on its way; read the outcome at `Location` (GET /api/sfwa/sessions/{session}) or wait for the callback.',
      headers: {
        Location: { schema: { type: 'string', format: 'uri' }, description: 'GET /api/sfwa/sessions/{session}' },
        'Preference-Applied': { schema: { const: 'respond-async' } },
        'Idempotent-Replayed': { schema: { const: 'true' }, description: 'A retry with an Idempotency-Key already used: the same session' },
      },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pending' } } },
    },
    '400': errorResponse(
      'BAD_REQUEST: a parameter is invalid, or the body cannot be parsed; `errors` names each field (`(body)` for the body) and why. ' +
        'A number that is not a mobile one, or belongs to a country the profile does not allow, names `msisdn`. Nothing was sent.',
    ),
    '401': errorResponse('UNAUTHORIZED: missing, malformed, unknown, expired or deleted api-key. Nothing was sent.'),
    '404': errorResponse('NOT_FOUND: no endpoint profile of that name.'),
    '409': errorResponse('CONFLICT: the session an Idempotency-Key started is no longer known; use a new key.'),
    '413': errorResponse('PAYLOAD_TOO_LARGE: the body is over 64 KiB (BAD_REQUEST with reason PAYLOAD_TOO_LARGE in the server dialect). Nothing was read or sent.'),
    '422': errorResponse('UNPROCESSABLE_CONTENT: the Idempotency-Key was used within its window with other parameters; `errors` names `Idempotency-Key`. Nothing was sent.'),
    '429': errorResponse(
      'RATE_LIMITED, with `reason`: too many requests for this phone number (`number`), the number blocked for this profile after its owner answered "This wasn\'t me" (`blocked`), ' +
        'the profile\'s SMS budget used up (`budget`), or too many refused API keys from this address (`client`); see Retry-After. Nothing was sent.',
    ),
    '502': errorResponse(
      'DELIVERY_FAILED (cloud dialect): the message could not be delivered (no push got through and the SMS provider refused or could not be reached, or SMS only and it failed). ' +
        'The server dialect answers 200 FAILED_DELIVERY instead.',
    ),
  },
});

const pathItem = { get: operation('get'), post: operation('post') };

const NOT_YOURS = 'NOT_FOUND: no such session for this api-key: unknown, malformed, or started by another endpoint profile (they answer alike).';

const sessionPaths = {
  '/api/sfwa/sessions/{session}': {
    parameters: [{ name: 'session', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' }, description: 'From the 202 of an async start' }],
    get: {
      summary: "A session's status: PENDING, or its outcome",
      description:
        'Read with any api-key of the endpoint profile that started the session. Answers as the synchronous call would (the outcome in the profile\'s dialect, ' +
        '502 DELIVERY_FAILED or 429 for the SMS budget in the cloud dialect), with `session` added; `PENDING` while the person decides.',
      security: [{ apiKey: [] }],
      parameters: [
        {
          name: 'wait',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: STATUS_WAIT_MAX_SECONDS },
          description: `Hold up to this many seconds for the outcome (1–${STATUS_WAIT_MAX_SECONDS}); answers at once when it comes.`,
        },
      ],
      responses: {
        '200': {
          description: 'PENDING, or the outcome',
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Pending' }, { $ref: '#/components/schemas/Outcome' }, { $ref: '#/components/schemas/ServerOutcome' }] } } },
        },
        '400': errorResponse('BAD_REQUEST: `wait` is not a whole number of seconds from 1 to 25.'),
        '404': errorResponse(NOT_YOURS),
        '429': errorResponse('RATE_LIMITED: `client`, too many refused api-keys from this address; or `budget`, the session could not send its SMS.'),
        '502': errorResponse('DELIVERY_FAILED (cloud dialect): the message could not be delivered.'),
      },
    },
    delete: {
      summary: 'Cancel a session (its link stops working)',
      description: 'For an application whose user left the sign-in: the session is settled as cancelled (answered as TIMEOUT). A settled session is left as it is.',
      security: [{ apiKey: [] }],
      responses: { '200': outcomeResponse, '404': errorResponse(NOT_YOURS) },
    },
  },
};

const webhooks = {
  'sfwa.outcome': {
    post: {
      summary: 'The outcome, POSTed to the callback-url when the session settles',
      description:
        'Sent when a request named `callback-url` (https, its host among the endpoint\'s callbackHosts). Signed with the endpoint\'s callback secret: ' +
        '`x-sfwa-signature: v1=<hex HMAC-SHA256(secret, "<x-sfwa-timestamp>.<raw body>")>`; verify it over the exact bytes received and refuse an old timestamp. ' +
        `Answer 2xx to take it; anything else (or no answer within ${CALLBACK_TIMEOUT_MS / 1000} s, or a redirect, which is not followed) is retried after ` +
        `${CALLBACK_RETRY_DELAYS_SECONDS.join(', ')} s (${CALLBACK_RETRY_DELAYS_SECONDS.length + 1} tries in about an hour); \`x-sfwa-attempt\` counts them.`,
      parameters: [
        { name: 'x-sfwa-timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'Unix seconds when this try was signed' },
        { name: 'x-sfwa-signature', in: 'header', required: true, schema: { type: 'string', pattern: '^v1=[0-9a-f]{64}$' } },
        { name: 'x-sfwa-attempt', in: 'header', required: true, schema: { type: 'string' }, description: '1 for the first try' },
      ],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Callback' } } } },
      responses: { '200': { description: 'Taken (any 2xx)' } },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// The companion app's API (/api/plus/v1, docs/companion-app.md): no api-key; activation proves itself
// with the single-use code, every later request with the device's ECDSA P-256 signature.

/** The lines a device signs for `purpose`, as signedText() builds them, with each field and the timestamp named. */
const signedLines = (purpose: SignedRequestPurpose, fields: readonly string[]): string =>
  [...signedText(purpose, fields, 0, purpose === 'decision' ? 2 : 1).split('\n').slice(0, -1), '{timestamp}'].join('\n');

const SIGNED_FIELDS: Record<SignedRequestPurpose, string[]> = {
  deactivate: ['{deviceId}'],
  pending: ['{deviceId}'],
  decision: ['{sessionId}', '{deviceId}', '{decision}', '{matchCode, or an empty line when there is none}', '{textsHash}'],
};

const signedTextDescription = (purpose: SignedRequestPurpose) =>
  `**Signed.** \`signature\` is ECDSA P-256 with SHA-256 by the device's key, in IEEE P1363 form (r || s, 64 bytes; what WebCrypto returns), ` +
  `base64url without padding, over the UTF-8 bytes of these lines joined with \\n (no trailing newline):\n\n` +
  '```\n' +
  signedLines(purpose, SIGNED_FIELDS[purpose]) +
  '\n```\n\n' +
  `\`timestamp\` is epoch milliseconds, written in decimal as in the JSON, and must be within ±${SIGNATURE_MAX_SKEW_MS / 1000} s of the server's clock. No field may contain a line break.`;

const REPLAY_GUARD_TEXT =
  ' Replay guard: the timestamp must be newer than the last one accepted from this device (pending pulls and deactivation share it), ' +
  'so the same request is accepted once; when two requests fall in the same millisecond, add one.';

const plusErrorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const plusBadRequest = (example: string) =>
  plusErrorResponse(`BAD_REQUEST: the body is not JSON sent as application/json, or a member is missing or invalid; \`errors\` names each field (e.g. \`${example}\`).`);
const SIGNED_REFUSAL_TEXT =
  'UNAUTHORIZED: refused — unknown device, timestamp too far from the server clock, a signature that does not verify, or a replay. ' +
  'Every reason gets the same answer; which one it was goes only to the server log.';

const jsonBody = (schema: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });
const jsonResponse = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });

const plusOperation = (summary: string, description: string, body: string, responses: Record<string, unknown>) => ({
  tags: ['Companion app'],
  summary,
  description,
  // No api-key: the app proves itself with the activation code or its signature.
  security: [],
  requestBody: jsonBody(body),
  responses,
});

const plusPaths = {
  '/api/plus/v1/activate': {
    post: plusOperation(
      'Activate the companion app on a device for a phone number',
      'Not signed: the single-use activation code (from an activation link, handed to the app as `sfwa-plus://activate?code=…&origin=…`) is the proof. ' +
        'The app sends the public half of a P-256 key pair it generated; the private key never leaves the device, and a JWK with `d` is refused. ' +
        'Every check that can refuse runs before the code is used, so after a 400 the code still works. ' +
        'The same `installationId` activated again for the same number keeps its `deviceId` and gets the new key, push token, platform and label.',
      'DeviceActivateRequest',
      {
        '201': jsonResponse('Activated: keep `deviceId`, every signed request carries it.', 'DeviceActivated'),
        '400': plusBadRequest('publicKey.x'),
        '404': plusErrorResponse('NOT_FOUND: no such activation code.'),
        '410': plusErrorResponse('GONE: the activation code was already used, or has expired (codes work once, for 15 minutes).'),
      },
    ),
  },
  '/api/plus/v1/deactivate': {
    post: plusOperation(
      'Deactivate this device',
      'The device removes itself: its row, public key and push token are deleted, and its signed requests are refused from then on. ' +
        signedTextDescription('deactivate') +
        REPLAY_GUARD_TEXT,
      'SignedRequest',
      {
        '200': jsonResponse('Deactivated.', 'Deactivated'),
        '400': plusBadRequest('timestamp'),
        '401': plusErrorResponse(SIGNED_REFUSAL_TEXT),
      },
    ),
  },
  '/api/plus/v1/pending': {
    post: plusOperation(
      'List the requests waiting for this device (for a lost notification)',
      "The number's requests that were pushed to this device and are still waiting for an answer, oldest deadline first; built-in texts are in English. " +
        'An app polls this when a notification may have been lost, and answers each request through its decision endpoint. ' +
        signedTextDescription('pending') +
        REPLAY_GUARD_TEXT,
      'SignedRequest',
      {
        '200': jsonResponse('The waiting requests (possibly none).', 'PendingRequests'),
        '400': plusBadRequest('timestamp'),
        '401': plusErrorResponse(SIGNED_REFUSAL_TEXT),
      },
    ),
  },
  '/api/plus/v1/sessions/{sessionId}/decision': {
    parameters: [
      {
        name: 'sessionId',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        description: 'The request\'s `sessionId`, from the push or the pending pull (64 hex characters; not a secret)',
      },
    ],
    post: plusOperation(
      "Answer a request: accept, reject, or report it (\"This wasn't me\")",
      'Only a device the request was pushed to may answer, and the first valid answer wins: of all the devices that got the push, exactly one decides. ' +
        '`report` ("This wasn\'t me") rejects: the API call answers REJECT with `reason` `unexpected` (TOUCH_REJECTED in the server dialect), and the profile ' +
        'then refuses requests to the number for its unexpectedBlockMinutes. With number matching (`matchRequired`), Accept counts only with `matchCode` equal ' +
        "to the calling application's code; any other pick (or none) rejects, with `reason` `match-mismatch`. " +
        signedTextDescription('decision') +
        ' Replay guard: the same signed answer sent again is refused (401); a later answer finds the request already answered (409). ' +
        '**Protocol v2** signs `textsHash`, the SHA-256 of the texts the app showed (title, body, accept label, reject label joined by U+001F, base64url), which must be ' +
        `those pushed; it goes into the receipt with the device's signature. A v1 answer (no \`textsHash\`, first line \`sfwa-plus-v1\`, no textsHash line) is accepted until ` +
        `${V1_DECISIONS_SUNSET_DATE} and answered with a \`Sunset\` header; after that it is 400 on \`textsHash\`.`,
      'DeviceDecisionRequest',
      {
        '200': jsonResponse('The answer decided the request; `status` is the request\'s new state.', 'DecisionResult'),
        '400': plusBadRequest('decision'),
        '401': plusErrorResponse(
          'UNAUTHORIZED: refused — not a device this request was pushed to, timestamp too far from the server clock, a signature that does not verify, or the same answer again. ' +
            'Every reason gets the same answer; which one it was goes only to the server log. The request stays open.',
        ),
        '404': plusErrorResponse('NOT_FOUND: no such request (an id that is not one of ours, or a request long forgotten).'),
        '409': plusErrorResponse('CONFLICT: the request has already been answered (by another device or the magic link), timed out or was cancelled.'),
      },
    ),
  },
};

const appRequestSchema = {
  type: 'object',
  title: 'A waiting request, as the app shows it',
  required: ['sessionId', 'title', 'body', 'acceptLabel', 'rejectLabel', 'profileName', 'deadlineMs', 'matchRequired', 'matchChoices', 'context'],
  properties: {
    sessionId: { type: 'string', description: 'Answer it at /api/plus/v1/sessions/{sessionId}/decision' },
    title: { type: 'string' },
    body: { type: 'string', description: 'The authentication text' },
    acceptLabel: { type: 'string' },
    rejectLabel: { type: 'string' },
    profileName: { type: 'string', description: 'Which endpoint profile asked' },
    deadlineMs: { type: 'integer', description: 'Epoch milliseconds after which an answer no longer counts' },
    matchRequired: { type: 'boolean', description: 'Number matching: the user must pick the number the calling application shows' },
    matchChoices: {
      oneOf: [{ type: 'array', items: { type: 'string', pattern: '^\\d{2}$' }, minItems: 3, maxItems: 3 }, { type: 'null' }],
      description: 'With number matching: three two-digit numbers to offer, the right one among them (which one is not said)',
    },
    context: {
      type: 'object',
      required: ['requestedAtMs', 'location'],
      properties: {
        requestedAtMs: { type: 'integer', description: 'When the calling application asked (epoch milliseconds)' },
        location: { type: ['string', 'null'], description: 'Approximate place of the calling application\'s request ("Stockholm, SE"), when the edge knows it' },
      },
    },
  },
};

const deviceActivateRequest = requestJsonSchema(deviceActivateSchema);
const publicKey = deviceActivateRequest.properties['publicKey'] as JsonSchemaObject | undefined;
if (publicKey) {
  publicKey.description = "The device's public key as a JWK (EC, P-256, base64url x and y); other members WebCrypto adds (key_ops, ext) are ignored";
  const privatePart = publicKey.properties['d'];
  if (privatePart) privatePart.description = 'Must not be sent: the private key never leaves the device';
}
const deviceDecisionRequest = requestJsonSchema(deviceDecisionSchema);
const pickedMatch = deviceDecisionRequest.properties['matchCode'];
if (pickedMatch) pickedMatch.description = 'With number matching: the number the user picked among `matchChoices`';
const shownHash = deviceDecisionRequest.properties['textsHash'];
if (shownHash) shownHash.description = 'Protocol v2: SHA-256 (base64url) of the texts shown, title, body, accept label and reject label joined by U+001F; part of the signed text';

const plusSchemas = {
  DeviceActivateRequest: deviceActivateRequest,
  SignedRequest: requestJsonSchema(signedRequestSchema),
  DeviceDecisionRequest: deviceDecisionRequest,
  DeviceActivated: {
    type: 'object',
    required: ['deviceId', 'msisdnMasked'],
    properties: {
      deviceId: { type: 'string', description: 'The device\'s id: goes into every signed request' },
      msisdnMasked: { type: 'string', description: 'The activated number, masked (e.g. +4670*****67)' },
    },
  },
  Deactivated: { type: 'object', required: ['deactivated'], properties: { deactivated: { const: true } } },
  DecisionResult: {
    type: 'object',
    required: ['status'],
    properties: {
      status: {
        type: 'string',
        enum: ['accepted', 'rejected', 'timed_out'],
        description: 'accepted; rejected (Reject, "This wasn\'t me", or a wrong number); timed_out (the answer came after the deadline)',
      },
    },
  },
  PendingRequests: { type: 'object', required: ['requests'], properties: { requests: { type: 'array', items: { $ref: '#/components/schemas/AppRequest' } } } },
  AppRequest: appRequestSchema,
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'SFWA edge: single-factor web authentication', version: '1.0.0' },
  tags: [
    { name: 'Companion app', description: 'The companion app\'s API: activation, signed answers to pushed requests, the pending pull, deactivation. See docs/companion-app.md.' },
  ],
  paths: {
    '/api/sfwa/auth': pathItem,
    '/api/sfwa/auth/{endpointName}': {
      parameters: [{ name: 'endpointName', in: 'path', required: true, schema: { type: 'string' }, description: 'Name of a non-default endpoint profile' }],
      ...pathItem,
    },
    ...sessionPaths,
    ...plusPaths,
    ...jwksPath,
  },
  webhooks,
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'api-key', description: '{tokenName}:{tokenValue}, or the bare token value' } },
    schemas: {
      AuthRequest: inputSchema,
      Outcome: cloudOutcomeSchema,
      ServerOutcome: serverOutcomeSchema,
      ServerRefusal: serverRefusalSchema,
      Pending: pendingSchema,
      Callback: callbackSchema,
      ReceiptClaims: receiptClaimsSchema,
      Error: errorSchema,
      ...plusSchemas,
    },
  },
};
