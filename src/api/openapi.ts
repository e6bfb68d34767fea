/** GET /api/openapi.json: the public API described from the same zod schema that validates requests. */
import { Hono } from 'hono';
import { z } from 'zod';
import { API_ERROR_STATUS } from '../domain/api-error';
import { authRequestSchema } from '../domain/auth-request';
import type { Env } from '../env';

const inputSchema = z.toJSONSchema(authRequestSchema, { io: 'input', unrepresentable: 'any' }) as {
  properties: Record<string, { description?: string } & Record<string, unknown>>;
  required?: string[];
};

const outcomeSchema = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', enum: ['ACCEPT', 'REJECT', 'TIMEOUT'], description: 'ACCEPT: approved; REJECT: rejected; TIMEOUT: no answer in time' } },
};

const errorSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', enum: Object.keys(API_ERROR_STATUS) },
    message: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const parameters = Object.entries(inputSchema.properties).map(([name, schema]) => {
  const { description, ...rest } = schema;
  return { name, in: 'query', required: inputSchema.required?.includes(name) ?? false, description, schema: rest };
});

const operation = (method: 'get' | 'post') => ({
  summary: 'Authenticate a user out of band and wait for the answer',
  description:
    'Sends an SMS magic link to the phone number and holds the request until the user accepts or rejects, or the timeout passes.' +
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
    '200': { description: 'The outcome', content: { 'application/json': { schema: { $ref: '#/components/schemas/Outcome' } } } },
    '400': errorResponse('BAD_REQUEST: a parameter is invalid; `errors` names each field and why. Nothing was sent.'),
    '401': errorResponse('UNAUTHORIZED: missing, malformed, unknown, expired or deleted api-key. Nothing was sent.'),
    '404': errorResponse('NOT_FOUND: no endpoint profile of that name.'),
    '429': errorResponse('RATE_LIMITED: too many requests for this phone number; see Retry-After.'),
    '502': errorResponse('DELIVERY_FAILED: the SMS provider could not deliver the message.'),
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
    securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'api-key', description: '{tokenName}:{tokenValue}' } },
    schemas: { AuthRequest: inputSchema, Outcome: outcomeSchema, Error: errorSchema },
  },
};

export const openApiRoute = new Hono<{ Bindings: Env }>();
openApiRoute.get('/openapi.json', (c) => c.json(openApiDocument));
