/**
 * GET /plus/activate/{code}: the page an activation link opens, in English or Swedish. It only shows:
 * SMS apps and link previewers fetch links, so the code is used by the app's POST /api/plus/v1/activate
 * and never here. A valid code gets a button that opens the installed app with it
 * (`sfwa-plus://activate?code=…&origin=…`); a used or expired one a 410 page, an unknown one a 404.
 * The code is in the path: answers are no-store, the Worker's Referrer-Policy is no-referrer, and
 * errors here are logged without the path.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { activationDeepLink } from '../../devices/activation';
import { apiError } from '../../domain/api-error';
import { localeFromAcceptLanguage, type Locale } from '../../domain/texts';
import { publicOrigin, type Env } from '../../env';
import { sha256Hex } from '../../security/crypto';
import { database } from '../../store/db';
import { findActivation } from '../../store/devices';
import { MessagePage } from '../../views/link-page';
import { Page } from '../../views/layout';

export const activationPages = new Hono<{ Bindings: Env }>();

const TEXTS = {
  en: {
    activateTitle: 'Activate the app',
    activateText: (number: string) =>
      `Open this link on your phone with the app installed, then tap the button. Sign-in requests for ${number} will then come to the app instead of by SMS.`,
    openApp: 'Open the app',
    validFor: (minutes: number) => `The link works once, for ${minutes} more ${minutes === 1 ? 'minute' : 'minutes'}.`,
    noApp: 'Nothing happens? Install the app first, then open this link again.',
    usedTitle: 'This activation link has already been used',
    usedText: 'Each activation link works once. Ask for a new one to activate another phone.',
    expiredTitle: 'This activation link has expired',
    expiredText: 'Activation links work for a short time only. Ask for a new one.',
    notFoundTitle: 'Activation link not found',
    notFoundText: 'This link is not valid. Check that you opened the whole link from the message.',
  },
  sv: {
    activateTitle: 'Aktivera appen',
    activateText: (number: string) =>
      `Öppna den här länken i telefonen där appen är installerad och tryck på knappen. Inloggningsbegäranden för ${number} kommer sedan till appen i stället för via sms.`,
    openApp: 'Öppna appen',
    validFor: (minutes: number) => `Länken fungerar en gång, i ${minutes} ${minutes === 1 ? 'minut' : 'minuter'} till.`,
    noApp: 'Händer inget? Installera appen först och öppna sedan länken igen.',
    usedTitle: 'Aktiveringslänken är redan använd',
    usedText: 'Varje aktiveringslänk fungerar en gång. Be om en ny för att aktivera en annan telefon.',
    expiredTitle: 'Aktiveringslänken har gått ut',
    expiredText: 'Aktiveringslänkar fungerar bara en kort stund. Be om en ny.',
    notFoundTitle: 'Aktiveringslänken hittades inte',
    notFoundText: 'Länken är ogiltig. Kontrollera att du öppnade hela länken från meddelandet.',
  },
} satisfies Record<Locale, Record<string, unknown>>;

// The layout styles buttons, not links; the app link is a link (a form may not post to another scheme).
const OPEN_APP_STYLE =
  '.open-app{display:block;margin-top:1.25rem;padding:.9rem;border-radius:10px;background:var(--ok);color:#fff;font-weight:600;text-align:center;text-decoration:none}' +
  '.open-app:focus-visible{outline:3px solid var(--accent);outline-offset:2px}';

const CODE = /^[A-Za-z0-9_-]{1,128}$/;
const noStore = { 'cache-control': 'no-store' };

type PlusContext = Context<{ Bindings: Env }>;

function messagePage(c: PlusContext, locale: Locale, status: 404 | 410, icon: string, title: string, text: string) {
  return c.html(<MessagePage icon={icon} title={title} text={text} locale={locale} nonce={c.get('secureHeadersNonce')} />, status, noStore);
}

activationPages.get('/:code', async (c) => {
  const locale = localeFromAcceptLanguage(c.req.header('accept-language'));
  const texts = TEXTS[locale];
  const code = c.req.param('code');
  const activation = CODE.test(code) ? await findActivation(database(c.env.DB), await sha256Hex(code)) : null;
  if (!activation) return messagePage(c, locale, 404, '?', texts.notFoundTitle, texts.notFoundText);
  if (activation.usedAt) return messagePage(c, locale, 410, '✓', texts.usedTitle, texts.usedText);
  const msLeft = activation.expiresAt.getTime() - Date.now();
  if (msLeft <= 0) return messagePage(c, locale, 410, '⏱', texts.expiredTitle, texts.expiredText);
  const nonce = c.get('secureHeadersNonce');
  return c.html(
    <Page title={texts.activateTitle} lang={locale} nonce={nonce}>
      <style nonce={nonce}>{OPEN_APP_STYLE}</style>
      <h1>{texts.activateTitle}</h1>
      <p>{texts.activateText(activation.msisdnMasked)}</p>
      <a class="open-app" href={activationDeepLink(publicOrigin(c.env, c.req.url), code)} data-testid="open-app">
        {texts.openApp}
      </a>
      <p class="muted">{texts.validFor(Math.max(1, Math.ceil(msLeft / 60_000)))}</p>
      <p class="muted">{texts.noApp}</p>
    </Page>,
    200,
    noStore,
  );
});

// Unexpected errors are logged without the path: it holds the code.
activationPages.onError((error) => {
  if (error instanceof HTTPException) return error.getResponse();
  console.error(JSON.stringify({ event: 'error', path: '/plus/activate/(code)', error: error instanceof Error ? error.message : String(error) }));
  return apiError('INTERNAL_ERROR').getResponse();
});
