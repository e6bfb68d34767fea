/**
 * Sinch: POST {SINCH_API_URL}/xms/v1/{service plan id}/batches, JSON `{from, to: [number], body}`,
 * Bearer token. The default endpoint is Sinch's EU region, so numbers and texts stay in the EU.
 */
import { DeliveryError, providerRequest, type FetchLike } from '../provider-request';
import type { SmsSender } from './sms-sender';

export const SINCH_DEFAULT_API_URL = 'https://eu.sms.api.sinch.com';

export const sinchBatchesUrl = (servicePlanId: string, apiUrl = SINCH_DEFAULT_API_URL) =>
  `${apiUrl.replace(/\/+$/, '')}/xms/v1/${encodeURIComponent(servicePlanId)}/batches`;

/** Sinch answers a bad recipient with 400 and a `text` about the recipient ("Invalid recipient: ..."); any other failure is Sinch's own. */
function refusesNumber(status: number, text: string): boolean {
  if (status !== 400) return false;
  try {
    return /\b(recipient|to)\b/i.test((JSON.parse(text) as { text?: string }).text ?? '');
  } catch {
    return false;
  }
}

export function sinchSender(config: { servicePlanId: string; apiToken: string; from: string; apiUrl?: string }, fetcher: FetchLike): SmsSender {
  const url = sinchBatchesUrl(config.servicePlanId, config.apiUrl);
  return {
    async send(message) {
      const body = {
        from: message.from ?? config.from,
        to: [message.to],
        body: message.text,
        // One report per recipient, sent when it reaches a final status (delivered, failed, expired...).
        ...(message.reportUrl && { delivery_report: 'per_recipient_final', callback_url: message.reportUrl('sinch') }),
      };
      const response = await providerRequest(
        'sinch',
        fetcher,
        url,
        { method: 'POST', headers: { authorization: `Bearer ${config.apiToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) },
        { readBody: true },
      );
      if (!response.ok) throw new DeliveryError('sinch', `HTTP ${response.status}`, refusesNumber(response.status, response.text));
    },
  };
}
