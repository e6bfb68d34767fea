/**
 * Local development only (mounted in dev.tsx, behind LOCAL_DEV): the companion-app simulator, a web
 * page that is a companion app speaking the real protocol (docs/companion-app.md) against this Worker.
 *   GET  /dev/app[?msisdn=]   the simulator page (the number pre-filled)
 *   GET  /dev/app.js          its script (same origin, so the CSP's script-src 'self' allows it)
 *   POST /dev/app/activation  { msisdn } -> 201 { url, code, msisdnMasked, expiresAt }: an activation link, as an administrator would make one
 *   GET  /dev/app/pushes?deviceId=  the pushes the dev push provider recorded for a device, newest first
 */
import { Hono } from 'hono';
import { createActivation } from '../devices/activation';
import { apiError } from '../domain/api-error';
import { deviceNumberSchema } from '../domain/device';
import { publicOrigin, type Env } from '../env';
import { NO_STORE } from '../http/no-store';
import { readDevPushes } from '../providers/push/dev-inbox';
import { database } from '../store/db';
import { AppSimulatorPage } from '../views/dev/app-simulator-page';
import { APP_SIMULATOR_JS } from '../views/dev/app-simulator-script';
import { readJsonBody } from './request-body';

export const APP_SIMULATOR_SCRIPT_PATH = '/dev/app.js';

export const devAppRoutes = new Hono<{ Bindings: Env }>();


devAppRoutes.get('/app', (c) => c.html(<AppSimulatorPage scriptPath={APP_SIMULATOR_SCRIPT_PATH} msisdn={c.req.query('msisdn')} nonce={c.get('secureHeadersNonce')} />, 200, NO_STORE));

devAppRoutes.get('/app.js', (c) => c.body(APP_SIMULATOR_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', ...NO_STORE }));

devAppRoutes.post('/app/activation', async (c) => {
  const { msisdn } = await readJsonBody(c, deviceNumberSchema);
  const activation = await createActivation(c.env, database(c.env.DB), msisdn, publicOrigin(c.env, c.req.url), new Date());
  const code = new URL(activation.url).pathname.split('/').pop() ?? '';
  return c.json({ url: activation.url, code, msisdnMasked: activation.msisdnMasked, expiresAt: activation.expiresAt.toISOString() }, 201, NO_STORE);
});

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

devAppRoutes.get('/app/pushes', async (c) => {
  const deviceId = c.req.query('deviceId') ?? '';
  if (!DEVICE_ID.test(deviceId)) throw apiError('BAD_REQUEST', { errors: [{ field: 'deviceId', message: 'must be a device id as returned by activation' }] });
  return c.json(await readDevPushes(c.env, deviceId), 200, NO_STORE);
});
