/**
 * /admin/devices: companion-app devices of a phone number (any signed-in user, a GET form), deactivation
 * with a confirmation, and activation links shown once (administrators; the POST routes check the role
 * too). The same schemas and services as /admin/api/devices (src/admin/devices.ts, src/devices/activation.ts).
 */
import { auditActor } from '../admin/audit';
import { deactivateDevice, devicesOfNumber, findDeviceOr404 } from '../admin/devices';
import { parseInput } from '../admin/validation';
import { sendActivation } from '../devices/activation';
import { deviceNumberSchema } from '../domain/device';
import { maskMsisdn, parseMsisdn } from '../domain/msisdn';
import { hasRole } from '../domain/user';
import { publicOrigin } from '../env';
import { database } from '../store/db';
import { ActivationLinkSentPage, DeactivateConfirmPage, deviceName, DevicesPage, devicePaths, type DevicesPageProps } from '../views/console/devices-page';
import { emptyForm, type FormState } from '../views/console/form-fields';
import { fieldErrorsOf, readForm, redirectWithFlash, renderPage, takeFlash, type ConsoleContext } from './page';
import { requirePage } from './page-auth';
import { pageGroup } from './page-group';

export const devicePages = pageGroup();

/** The number a page came from (the `msisdn` query), as E.164, to go back to its list; undefined when absent or invalid. */
function returnNumber(c: ConsoleContext): string | undefined {
  const parsed = parseMsisdn(c.req.query('msisdn') ?? '');
  return parsed.ok ? parsed.e164 : undefined;
}

async function devicesPage(c: ConsoleContext, options: { activation?: FormState } = {}) {
  const user = c.get('adminUser');
  const typed = c.req.query('msisdn');
  const props: DevicesPageProps = {
    user,
    canEdit: hasRole(user.role, 'admin'),
    flash: options.activation ? undefined : takeFlash(c),
    lookup: emptyForm(typed === undefined ? {} : { msisdn: typed }),
    result: null,
    activation: options.activation ?? emptyForm(),
  };
  let status: 200 | 400 = options.activation ? 400 : 200;
  if (typed !== undefined) {
    try {
      const { msisdn } = parseInput(deviceNumberSchema, { msisdn: typed });
      props.result = { msisdn, msisdnMasked: maskMsisdn(msisdn), devices: await devicesOfNumber(c.env, database(c.env.DB), msisdn) };
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      props.lookup = { values: { msisdn: typed }, errors };
      status = 400;
    }
  }
  return renderPage(c, <DevicesPage {...props} />, status);
}

devicePages.get('/', requirePage('user'), (c) => devicesPage(c));

devicePages.post('/activations', requirePage('admin'), async (c) => {
  const values = await readForm(c);
  try {
    const { msisdn } = parseInput(deviceNumberSchema, { msisdn: values['msisdn'] ?? '' });
    const sent = await sendActivation(c.env, database(c.env.DB), msisdn, publicOrigin(c.env, c.req.url), auditActor(c));
    return renderPage(c, <ActivationLinkSentPage user={c.get('adminUser')} msisdn={msisdn} {...sent} />, 201);
  } catch (error) {
    const errors = fieldErrorsOf(error);
    if (!errors) throw error;
    return devicesPage(c, { activation: { values: { msisdn: values['msisdn'] ?? '' }, errors } });
  }
});

// After a session ends mid-form, sign-in comes back to the address of the POST: send it to the page.
devicePages.get('/activations', requirePage('user'), (c) => c.redirect(devicePaths.list(), 303));

devicePages.get('/:id/deactivate', requirePage('admin'), async (c) => {
  const device = await findDeviceOr404(database(c.env.DB), c.req.param('id'));
  return renderPage(c, <DeactivateConfirmPage user={c.get('adminUser')} device={device} msisdn={returnNumber(c)} />);
});

devicePages.post('/:id/deactivate', requirePage('admin'), async (c) => {
  const db = database(c.env.DB);
  const device = await findDeviceOr404(db, c.req.param('id'));
  await deactivateDevice(c.env, db, device.id, auditActor(c));
  return redirectWithFlash(c, devicePaths.list(returnNumber(c)), `“${deviceName(device)}” of ${device.msisdnMasked} deactivated.`);
});
