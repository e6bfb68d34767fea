/**
 * SMS delivery reports: what each provider POSTs to say whether a message reached the phone, read into
 * one shape. Pure; the route (src/api/delivery-reports.ts) checks the URL's token and any signature.
 *   46elks `whendelivered`: form with `status` delivered | failed | sent
 *   Twilio `StatusCallback`: form with `MessageStatus` ... | delivered | undelivered | failed
 *   Sinch `callback_url`:    JSON recipient_delivery_report_sms with `status` Delivered | Failed | Expired | ...
 */
export const DELIVERY_STATUSES = ['delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** `pending`: an intermediate status (queued, sent): acknowledged, nothing recorded. */
export interface DeliveryReport {
  status: DeliveryStatus | 'pending';
  /** The provider's own word for it, for the log. */
  providerStatus: string;
}

/** What a session's recipient records: the final status, when it came, and from which provider. */
export interface Delivery {
  status: DeliveryStatus;
  atMs: number;
  provider: string;
}

/** A report URL's token: 32 random bytes, base64url. */
export const REPORT_TOKEN_BYTES = 32;
export const REPORT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** Reports are a few hundred bytes; anything much larger is not one. */
export const REPORT_MAX_BYTES = 8 * 1024;

const TWILIO_FAILED = new Set(['undelivered', 'failed']);
const SINCH_FAILED = new Set(['failed', 'rejected', 'expired', 'aborted', 'deleted', 'cancelled']);

const report = (status: DeliveryReport['status'], providerStatus: string): DeliveryReport => ({ status, providerStatus });

/** The report in `body`, or an error saying what is wrong with it. */
export function readDeliveryReport(provider: string, body: string): DeliveryReport | { error: string } {
  if (provider === 'sinch') {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return { error: 'the body is not JSON' };
    }
    const { type, status } = (json ?? {}) as { type?: unknown; status?: unknown };
    if (type !== 'recipient_delivery_report_sms' || typeof status !== 'string') return { error: 'not a recipient delivery report (type, status)' };
    const word = status.toLowerCase();
    return report(word === 'delivered' ? 'delivered' : SINCH_FAILED.has(word) ? 'failed' : 'pending', status);
  }
  const form = new URLSearchParams(body);
  if (provider === '46elks') {
    const status = form.get('status');
    if (!status) return { error: 'status is missing' };
    return report(status === 'delivered' ? 'delivered' : status === 'failed' ? 'failed' : 'pending', status);
  }
  if (provider === 'twilio') {
    const status = form.get('MessageStatus');
    if (!status) return { error: 'MessageStatus is missing' };
    return report(status === 'delivered' ? 'delivered' : TWILIO_FAILED.has(status) ? 'failed' : 'pending', status);
  }
  return { error: `unknown provider ${provider}` };
}

/**
 * Twilio's request signature: HMAC-SHA1 under the auth token of the full URL followed by every POST
 * parameter's name and value, sorted by name, base64 (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export function twilioSignedText(url: string, form: URLSearchParams): string {
  return url + [...form.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => name + value).join('');
}
