/**
 * Magic-link pages: GET /l/{sessionId}/{secret} only shows the request (link previewers and SMS
 * apps prefetch links); POST with form field `decision` = accept | reject | report ("this wasn't
 * me") decides it, once; with number matching, accept carries the picked number in `match`.
 */
import { Hono, type Context } from 'hono';
import type { LinkView } from '../auth-session/session-contract';
import { existingSession } from '../auth-session/session-client';
import { DECISIONS, type Decision } from '../auth-session/session-state';
import { localeFromAcceptLanguage, pageTexts, withBuiltInTexts, type Locale } from '../domain/texts';
import type { Env } from '../env';
import { messagePage } from '../http/message-page';
import { NO_STORE } from '../http/no-store';
import { DecisionPage, MessagePage } from '../views/link-page';

export const linkPages = new Hono<{ Bindings: Env }>();

type LinkContext = Context<{ Bindings: Env }>;

function settledPage(c: LinkContext, view: LinkView | null, locale: Locale) {
  const texts = pageTexts(locale);
  const page = (status: 404 | 410, icon: string, title: string, text: string) => messagePage(c, locale, status, icon, title, text);
  if (!view) return page(404, '?', texts.notFoundTitle, texts.notFoundText);
  switch (view.status) {
    case 'timed_out':
      return page(410, '⏱', texts.expiredTitle, texts.expiredText);
    case 'cancelled':
    case 'failed':
      return page(410, '✕', texts.cancelledTitle, texts.cancelledText);
    default:
      return page(410, '✓', texts.usedTitle, texts.usedText);
  }
}

/** The values of an approver's texts ({user}, {endpoint}); null for a plain sign-in. */
const assistedTexts = (view: LinkView) => (view.assisted ? { user: view.assisted.userName, endpoint: view.profileName } : null);

function decisionPage(c: LinkContext, view: LinkView, locale: Locale, status: 200 | 400 = 200, error?: string) {
  return c.html(
    <DecisionPage
      messages={withBuiltInTexts(view.messages, locale, assistedTexts(view))}
      texts={pageTexts(locale)}
      locale={locale}
      profileName={view.profileName}
      deadlineMs={view.deadlineMs}
      matchChoices={view.matchChoices}
      context={view.context}
      allowReport={!view.assisted}
      nonce={c.get('secureHeadersNonce')}
      error={error}
    />,
    status,
    NO_STORE,
  );
}

// English or Swedish, from the browser's Accept-Language; the profile's own texts are shown as written.
const pageLocale = (c: LinkContext): Locale => localeFromAcceptLanguage(c.req.header('accept-language'));

linkPages.get('/:sessionId/:secret', async (c) => {
  const locale = pageLocale(c);
  const view = await existingSession(c.env, c.req.param('sessionId'))?.view(c.req.param('secret')) ?? null;
  if (!view || view.status !== 'pending') return settledPage(c, view, locale);
  return decisionPage(c, view, locale);
});

linkPages.post('/:sessionId/:secret', async (c) => {
  const locale = pageLocale(c);
  // The secret in the URL already stops cross-site forgery; a foreign Origin is refused all the same.
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && origin !== new URL(c.req.url).origin) {
    return c.html(<MessagePage icon="✕" title="Forbidden" text="Cross-site request refused." locale={locale} />, 403, NO_STORE);
  }
  const session = existingSession(c.env, c.req.param('sessionId'));
  const secret = c.req.param('secret');
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const decision = form['decision'];
  if (!DECISIONS.includes(decision as Decision)) {
    const view = (await session?.view(secret)) ?? null;
    if (!view || view.status !== 'pending') return settledPage(c, view, locale);
    return decisionPage(c, view, locale, 400, pageTexts(locale).badDecision);
  }
  const picked = typeof form['match'] === 'string' ? form['match'] : undefined;
  const result = (await session?.decide(secret, decision as Decision, picked, locale)) ?? null;
  if (!result || !result.decidedNow) return settledPage(c, result, locale);
  const texts = pageTexts(locale);
  const messages = withBuiltInTexts(result.messages, locale, assistedTexts(result));
  const page = (icon: string, title: string, text: string) => messagePage(c, locale, 200, icon, title, text);
  if (result.status === 'accepted') return page('✓', texts.acceptedTitle, messages.touchAcceptedText);
  if (result.reason === 'unexpected') return page('⚑', texts.reportedTitle, texts.reportedText);
  if (result.reason === 'match-mismatch') return page('✕', texts.matchMismatchTitle, texts.matchMismatchText);
  return page('✕', texts.rejectedTitle, messages.touchRejectedText);
});
