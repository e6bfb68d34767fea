/** Local development only (mounted behind LOCAL_DEV): the SMS outbox as JSON and as a phone-like inbox page, and the bench's helpers. */
import { Hono } from 'hono';
import { existingSession, sessionNamespace } from '../auth-session/session-client';
import { apiError } from '../domain/api-error';
import { parseMsisdn } from '../domain/msisdn';
import type { Env } from '../env';
import { readOutbox } from '../providers/sms/outbox';
import { OutboxPage } from '../views/outbox-page';
import { devAppRoutes } from './dev-app';

export const devRoutes = new Hono<{ Bindings: Env }>();
devRoutes.route('/', devAppRoutes);

function msisdnParam(raw: string | undefined): string {
  const parsed = parseMsisdn(raw ?? '');
  if (!parsed.ok) throw apiError('BAD_REQUEST', { errors: [{ field: 'msisdn', message: parsed.reason }] });
  return parsed.e164;
}

/** `wait` (seconds, at most 25): an empty outbox answers when its first message is recorded, so a script need not poll. */
function waitMsParam(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > 25) throw apiError('BAD_REQUEST', { errors: [{ field: 'wait', message: 'must be whole seconds from 0 to 25' }] });
  return Number(raw) * 1000;
}

devRoutes.get('/outbox', async (c) => {
  const messages = await readOutbox(c.env, msisdnParam(c.req.query('msisdn')), 50, waitMsParam(c.req.query('wait')));
  if (c.req.header('accept')?.includes('text/html')) {
    return c.html(<OutboxPage msisdn={msisdnParam(c.req.query('msisdn'))} messages={messages} nonce={c.get('secureHeadersNonce')} />);
  }
  return c.json(messages, 200, { 'cache-control': 'no-store' });
});

/**
 * `npm run bench -- --path ops`: one storage operation per request, so the bench can read what each costs the
 * local runtime (KV, D1 and Durable Objects run inside the same workerd process as the Worker). `none` is the
 * request alone. Nothing here touches the service's own data: keys under `bench:op:`, `select 1`, an empty object.
 */
const BENCH_OPERATIONS: Record<string, (env: Env) => Promise<unknown>> = {
  none: async () => null,
  'kv-get': (env) => env.KV.get(`bench:op:${crypto.randomUUID()}`),
  'kv-put': (env) => env.KV.put(`bench:op:${crypto.randomUUID()}`, '', { expirationTtl: 60 }),
  'kv-list': (env) => env.KV.list({ prefix: 'bench:op:', limit: 10 }),
  'd1-select': (env) => env.DB.prepare('select 1').first(),
  // A session object that never started answers 'missing' and stores nothing.
  'object-call': (env) => sessionNamespace(env).get(sessionNamespace(env).idFromName('bench:op')).status(),
  'object-new': (env) => sessionNamespace(env).get(sessionNamespace(env).newUniqueId()).status(),
};

devRoutes.post('/bench/op/:operation', async (c) => {
  const name = c.req.param('operation');
  const operation = Object.hasOwn(BENCH_OPERATIONS, name) ? BENCH_OPERATIONS[name] : undefined;
  if (!operation) throw apiError('NOT_FOUND', { message: `No such operation; one of ${Object.keys(BENCH_OPERATIONS).join(', ')}` });
  await operation(c.env);
  return c.body(null, 204);
});

/** The busy time a session's object recorded (AuthSession.busyMs), for `npm run bench`. */
devRoutes.get('/sessions/:session/busy', async (c) => {
  const session = existingSession(c.env, c.req.param('session'));
  if (!session) throw apiError('NOT_FOUND', { message: 'No such session' });
  return c.json({ busyMs: await session.busyMs() }, 200, { 'cache-control': 'no-store' });
});

devRoutes.get('/phone', async (c) => {
  const raw = c.req.query('msisdn');
  const msisdn = raw ? msisdnParam(raw) : null;
  const messages = msisdn ? await readOutbox(c.env, msisdn) : [];
  return c.html(<OutboxPage msisdn={msisdn} messages={messages} nonce={c.get('secureHeadersNonce')} />);
});
