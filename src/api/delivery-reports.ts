/**
 * POST /api/sfwa/delivery/{provider}/{session}/{token}: where SMS providers report whether a magic link
 * reached the phone. The token is unguessable and made for one message (the session keeps only its
 * hash); Twilio's reports must also carry a valid X-Twilio-Signature. The session decides what the
 * report changes: a bad, unknown or replayed report changes nothing.
 */
import { Hono } from 'hono';
import { existingSession } from '../auth-session/session-client';
import { apiError } from '../domain/api-error';
import { readDeliveryReport, REPORT_TOKEN_PATTERN, twilioSignedText } from '../domain/delivery-report';
import { publicOrigin, type Env } from '../env';
import { SMS_PROVIDER_NAMES, type SmsProviderName } from '../providers/sms/sms-sender';
import { hmacSha1Base64, timingSafeEqualText } from '../security/crypto';
import { logEvent } from '../observability/log';
import { readBodyText } from './request-body';

export const deliveryReportsApi = new Hono<{ Bindings: Env }>();

const isProvider = (name: string): name is SmsProviderName => (SMS_PROVIDER_NAMES as readonly string[]).includes(name);

deliveryReportsApi.post('/:provider/:session/:token', async (c) => {
  const { provider, session, token } = c.req.param();
  const stub = isProvider(provider) && REPORT_TOKEN_PATTERN.test(token) ? existingSession(c.env, session) : null;
  const refused = (status: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_REQUEST', why: string) => {
    logEvent('warn', 'delivery_report.refused', { session: session.slice(0, 8), provider, why });
    return apiError(status, { message: why }).getResponse();
  };
  if (!stub) return refused('NOT_FOUND', 'no such delivery report address');
  const body = await readBodyText(c.req.raw);
  if (provider === 'twilio') {
    // Twilio signs the URL it called: the public one, as the session gave it.
    const url = `${publicOrigin(c.env, c.req.url)}${new URL(c.req.url).pathname}`;
    const expected = c.env.TWILIO_AUTH_TOKEN ? await hmacSha1Base64(c.env.TWILIO_AUTH_TOKEN, twilioSignedText(url, new URLSearchParams(body))) : null;
    if (!expected || !timingSafeEqualText(c.req.header('x-twilio-signature') ?? '', expected)) return refused('FORBIDDEN', 'X-Twilio-Signature is missing or wrong');
  }
  const report = readDeliveryReport(provider, body);
  if ('error' in report) return refused('BAD_REQUEST', report.error);
  const result = await stub.deliveryReport(provider, token, report);
  if (result === 'unknown') return refused('NOT_FOUND', 'no such delivery report address');
  if (result === 'replayed') return refused('CONFLICT', 'this message’s delivery is recorded already');
  return c.json({ result });
});
