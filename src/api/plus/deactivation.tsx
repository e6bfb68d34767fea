/**
 * /plus/deactivate/{code}: the link in the notice every activation sends to the number. GET only shows
 * which device it is (SMS apps and link previewers fetch links); the form's POST deactivates it. The
 * code is 128 random bits, only its SHA-256 is on the device's row, and it dies with the device, so
 * the link works once. The code is in the path: answers are no-store, and errors are logged without it.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { NUMBER_HOLDER_ACTOR, recordAudit } from '../../admin/audit';
import { deviceDescription } from '../../devices/activation-notice';
import { removeDeviceByDeactivationCode } from '../../devices/deactivation';
import { apiError } from '../../domain/api-error';
import { deactivationPageTexts, localeFromAcceptLanguage, requestTime, type Locale } from '../../domain/texts';
import type { Env } from '../../env';
import { clientAddress } from '../../security/client-address';
import { sha256Hex } from '../../security/crypto';
import { database } from '../../store/db';
import { findDeviceByDeactivationCode } from '../../store/devices';
import { messagePage } from '../../http/message-page';
import { NO_STORE } from '../../http/no-store';
import { Page } from '../../views/layout';
import { MessagePage } from '../../views/link-page';
import { errorText, logEvent } from '../../observability/log';

export const deactivationPages = new Hono<{ Bindings: Env }>();

const CODE = /^[A-Za-z0-9_-]{22}$/;

type PlusContext = Context<{ Bindings: Env }>;

const codeHashOf = async (code: string) => (CODE.test(code) ? sha256Hex(code) : null);

function goneOrDone(c: PlusContext, locale: Locale, done: boolean) {
  const texts = deactivationPageTexts(locale);
  return done ? messagePage(c, locale, 200, '✓', texts.doneTitle, texts.doneText) : messagePage(c, locale, 404, '?', texts.goneTitle, texts.goneText);
}

deactivationPages.get('/:code', async (c) => {
  const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
  const codeHash = await codeHashOf(c.req.param('code'));
  const device = codeHash ? await findDeviceByDeactivationCode(database(c.env.DB), codeHash) : null;
  if (!device) return goneOrDone(c, locale, false);
  const texts = deactivationPageTexts(locale);
  const activatedAt = `${device.createdAt.toISOString().slice(0, 10)} ${requestTime(locale, device.createdAt.getTime())}`;
  return c.html(
    <Page title={texts.title} lang={locale} nonce={c.get('secureHeadersNonce')}>
      <h1>{texts.title}</h1>
      <p data-testid="deactivation-device">{texts.text(deviceDescription(device), device.msisdnMasked, activatedAt)}</p>
      {/* POST to this same URL: GET never changes anything. */}
      <form method="post">
        <div class="buttons">
          <button class="reject" type="submit" data-testid="deactivate">
            {texts.button}
          </button>
        </div>
      </form>
    </Page>,
    200,
    NO_STORE,
  );
});

deactivationPages.post('/:code', async (c) => {
  const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
  // The code in the URL already stops cross-site forgery; a foreign Origin is refused all the same.
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) {
    return c.html(<MessagePage icon="✕" title="Forbidden" text="Cross-site request refused." locale={locale} />, 403, NO_STORE);
  }
  const codeHash = await codeHashOf(c.req.param('code'));
  const db = database(c.env.DB);
  const device = codeHash ? await removeDeviceByDeactivationCode(c.env, db, codeHash) : null;
  if (!device) return goneOrDone(c, locale, false);
  logEvent('info', 'device.deactivated', { deviceId: device.id, by: 'number-holder' });
  await recordAudit(db, { username: NUMBER_HOLDER_ACTOR, address: clientAddress(c.req.raw) }, 'device.deactivated', `device ${device.id} of ${device.msisdnMasked}`, {
    by: "the number's holder, with the activation notice's link",
  });
  return goneOrDone(c, locale, true);
});

// Unexpected errors are logged without the path: it holds the code.
deactivationPages.onError((error) => {
  if (error instanceof HTTPException) return error.getResponse();
  logEvent('error', 'error', { path: '/plus/deactivate/(code)', error: errorText(error) });
  return apiError('INTERNAL_ERROR').getResponse();
});
