/** One page with one message (a link that is used, expired or unknown, or what a decision did), never stored, with the request's CSP nonce. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Locale } from '../domain/texts';
import { MessagePage } from '../views/link-page';
import { NO_STORE } from './no-store';

export function messagePage(c: Context, locale: Locale, status: ContentfulStatusCode, icon: string, title: string, text: string) {
  return c.html(<MessagePage icon={icon} title={title} text={text} locale={locale} nonce={c.get('secureHeadersNonce')} />, status, NO_STORE);
}
