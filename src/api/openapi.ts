/** GET /api/openapi.json: the public API described from the same zod schema that validates requests. */
import { Hono } from 'hono';
import { z } from 'zod';
import { API_ERROR_STATUS } from '../domain/api-error';
import { authRequestSchema } from '../domain/auth-request';
import { OUTCOME_CODES, SERVER_FAILED_DELIVERY, SERVER_REFUSAL, TOUCH_TIMEOUT_SECONDS } from '../domain/dialect';
import type { Env } from '../env';

const inputSchema = z.toJSONSchema(authRequestSchema, { io: 'input', unrepresentable: 'any' }) as {
  properties: Record<string, { description?: string } & Record<string, unknown>>;
  required?: string[];
};

const { cloud, server } = TOUCH_TIMEOUT_SECONDS;
const timeoutText =
  `Seconds the user has to answer. Cloud dialect: ${cloud.min}–${cloud.max}, default ${cloud.default}. ` +
  `Server dialect: ${server.min}–${server.max}, default ${server.default}.`;
// The parameter's schema covers both dialects' ranges; each profile's own range is in the text.
inputSchema.properties['touch-timeout'] = { type: 'integer', minimum: cloud.min, maximum: server.max, description: timeoutText };

const cloudOutcomeSchema = {
  type: 'object',
  title: 'Cloud dialect outcome',
  required: ['code'],
  properties: { code: { type: 'string', enum: Object.values(OUTCOME_CODES.cloud), description: 'ACCEPT: approved; REJECT: rejected; TIMEOUT: no answer in time' } },
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
  },
};

const serverRefusalSchema = {
  type: 'object',
  title: 'Server dialect refusal',
  required: ['code', 'reason', 'message'],
  properties: {
    code: { type: 'string', enum: [SERVER_REFUSAL] },
    reason: { type: 'string', enum: Object.keys(API_ERROR_STATUS), description: 'Why, as the cloud dialect would say it (UNAUTHORIZED, BAD_REQUEST, RATE_LIMITED, ...)' },
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

const operation = (method: 'get' | 'post') => ({
  summary: 'Authenticate a user out of band and wait for the answer',
  description:
    'Sends an SMS magic link to the phone number and holds the request until the user accepts or rejects, or the timeout passes. ' +
    DIALECTS_TEXT +
    (method === 'post' ? ' The same parameters may be sent as a JSON object or a form body instead of the query string.' : ''),
  security: [{ apiKey: [] }],
  ...(method === 'get'
    ? { parameters }
    : {
        requestBody: {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/AuthRequest' } },
            'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/AuthRequest' } },
          },
        },
      }),
  responses: {
    '200': {
      description: 'The outcome, in the profile\'s dialect',
      content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/Outcome' }, { $ref: '#/components/schemas/ServerOutcome' }] } } },
    },
    '400': errorResponse('BAD_REQUEST: a parameter is invalid; `errors` names each field and why. Nothing was sent.'),
    '401': errorResponse('UNAUTHORIZED: missing, malformed, unknown, expired or deleted api-key. Nothing was sent.'),
    '404': errorResponse('NOT_FOUND: no endpoint profile of that name.'),
    '429': errorResponse('RATE_LIMITED: too many requests for this phone number; see Retry-After.'),
    '502': errorResponse('DELIVERY_FAILED (cloud dialect): the SMS provider could not deliver the message. The server dialect answers 200 FAILED_DELIVERY instead.'),
  },
});

const pathItem = { get: operation('get'), post: operation('post') };

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'SFWA edge: single-factor web authentication', version: '1.0.0' },
  paths: {
    '/api/sfwa/auth': pathItem,
    '/api/sfwa/auth/{endpointName}': {
      parameters: [{ name: 'endpointName', in: 'path', required: true, schema: { type: 'string' }, description: 'Name of a non-default endpoint profile' }],
      ...pathItem,
    },
  },
  components: {
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'api-key', description: '{tokenName}:{tokenValue}, or the bare token value' } },
    schemas: { AuthRequest: inputSchema, Outcome: cloudOutcomeSchema, ServerOutcome: serverOutcomeSchema, ServerRefusal: serverRefusalSchema, Error: errorSchema },
  },
};

export const openApiRoute = new Hono<{ Bindings: Env }>();
openApiRoute.get('/openapi.json', (c) => c.json(openApiDocument));
