/**
 * GET /plus/activate/{code}: the page an activation link opens, in English or Swedish. It only shows:
 * SMS apps and link previewers fetch links, so the code is used by the app's POST /api/plus/v1/activate
 * and never here. A valid code gets a button that opens the installed app with it
 * (`sfwa-plus://activate?code=…&origin=…`); a used or expired one a 410 page, an unknown one a 404.
 * The code is in the path: answers are no-store, the Worker's Referrer-Policy is no-referrer, and
 * errors here are logged without the path.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { activationDeepLink } from '../../devices/activation';
import { apiError } from '../../domain/api-error';
import { activationPageTexts, localeFromAcceptLanguage } from '../../domain/texts';
import { publicOrigin, type Env } from '../../env';
import { sha256Hex } from '../../security/crypto';
import { database } from '../../store/db';
import { findActivation } from '../../store/devices';
import { messagePage } from '../../http/message-page';
import { NO_STORE } from '../../http/no-store';
import { Page } from '../../views/layout';
import { errorText, logEvent } from '../../observability/log';

export const activationPages = new Hono<{ Bindings: Env }>();

const CODE = /^[A-Za-z0-9_-]{1,128}$/;

activationPages.get('/:code', async (c) => {
  const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
  const texts = activationPageTexts(locale);
  const code = c.req.param('code');
  const activation = CODE.test(code) ? await findActivation(database(c.env.DB), await sha256Hex(code)) : null;
  if (!activation) return messagePage(c, locale, 404, '?', texts.notFoundTitle, texts.notFoundText);
  if (activation.usedAt) return messagePage(c, locale, 410, '✓', texts.usedTitle, texts.usedText);
  const msLeft = activation.expiresAt.getTime() - Date.now();
  if (msLeft <= 0) return messagePage(c, locale, 410, '⏱', texts.expiredTitle, texts.expiredText);
  const nonce = c.get('secureHeadersNonce');
  return c.html(
    <Page title={texts.activateTitle} lang={locale} nonce={nonce}>
      <h1>{texts.activateTitle}</h1>
      <p>{texts.activateText(activation.msisdnMasked)}</p>
      <a class="open-app" href={activationDeepLink(publicOrigin(c.env, c.req.url), code)} data-testid="open-app">
        {texts.openApp}
      </a>
      <p class="muted">{texts.validFor(Math.max(1, Math.ceil(msLeft / 60_000)))}</p>
      <p class="muted">{texts.noApp}</p>
    </Page>,
    200,
    NO_STORE,
  );
});

// Unexpected errors are logged without the path: it holds the code.
activationPages.onError((error) => {
  if (error instanceof HTTPException) return error.getResponse();
  logEvent('error', 'error', { path: '/plus/activate/(code)', error: errorText(error) });
  return apiError('INTERNAL_ERROR').getResponse();
});
