/**
 * /admin/api/devices: companion-app devices of a phone number (any signed-in user), deactivation
 * and activation links (admin or above). No answer ever carries a push token or a key.
 */
import { auditActor } from '../../admin/audit';
import { Hono } from 'hono';
import { deactivateDevice, devicesOfNumber, type AdminDeviceView } from '../../admin/devices';
import { parseInput } from '../../admin/validation';
import { sendActivation } from '../../devices/activation';
import { deviceNumberSchema } from '../../domain/device';
import { publicOrigin, type Env } from '../../env';
import { database } from '../../store/db';
import { requireRole } from './require-role';
import { readJsonBody } from '../request-body';

export const devicesApi = new Hono<{ Bindings: Env }>();

const deviceJson = (device: AdminDeviceView) => ({
  ...device,
  createdAt: device.createdAt.toISOString(),
  lastSeenAt: device.lastSeenAt?.toISOString() ?? null,
});

devicesApi.get('/', requireRole('user'), async (c) => {
  const { msisdn } = parseInput(deviceNumberSchema, { msisdn: c.req.query('msisdn') });
  const items = await devicesOfNumber(c.env, database(c.env.DB), msisdn);
  return c.json({ items: items.map(deviceJson) });
});

devicesApi.post('/activations', requireRole('admin'), async (c) => {
  const { msisdn } = await readJsonBody(c, deviceNumberSchema);
  // The link goes by SMS to the number, never to the administrator: only the phone's holder can activate.
  const { expiresAt, msisdnMasked } = await sendActivation(c.env, database(c.env.DB), msisdn, publicOrigin(c.env, c.req.url), auditActor(c));
  return c.json({ sent: true, msisdnMasked, expiresAt: expiresAt.toISOString() }, 201);
});

devicesApi.delete('/:id', requireRole('admin'), async (c) => {
  await deactivateDevice(c.env, database(c.env.DB), c.req.param('id'), auditActor(c));
  return c.body(null, 204);
});
