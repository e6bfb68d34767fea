import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import { elksSender, ELKS_SMS_URL } from '../src/providers/sms/elks';
import { outboxSender, readOutbox } from '../src/providers/sms/outbox';
import { DeliveryError, type FetchLike } from '../src/providers/provider-request';
import { smsSenderFor } from '../src/providers/sms/sms-sender';
import { twilioSender } from '../src/providers/sms/twilio';

/** A fake provider endpoint: records the exact request and answers with `status`. */
function recordingFetch(status = 200) {
  const requests: Request[] = [];
  const fetcher: FetchLike = async (input, init) => {
    requests.push(new Request(input, init));
    return new Response('{}', { status });
  };
  return { requests, fetcher };
}

const message = { to: '+46701234567', text: 'Approve sign-in: https://auth.example/l/abc/def', link: 'https://auth.example/l/abc/def' };

describe('46elks adapter', () => {
  it('POSTs the form from/to/message to /a1/sms with Basic auth', async () => {
    const { requests, fetcher } = recordingFetch();
    await elksSender({ username: 'u123', password: 'p456', from: 'Acme' }, fetcher).send(message);
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.46elks.com/a1/sms');
    expect(request.headers.get('authorization')).toBe(`Basic ${btoa('u123:p456')}`);
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({ from: 'Acme', to: '+46701234567', message: message.text });
  });

  it('turns a refusal into a DeliveryError without secrets in its message', async () => {
    const { fetcher } = recordingFetch(401);
    const error = await elksSender({ username: 'u123', password: 'p456', from: 'Acme' }, fetcher).send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toBe('46elks: HTTP 401');
  });

  it('turns a network failure into a DeliveryError', async () => {
    const failing: FetchLike = async () => {
      throw new TypeError('connection refused');
    };
    await expect(elksSender({ username: 'u', password: 'p', from: 'A' }, failing).send(message)).rejects.toThrow('46elks: request failed: TypeError');
  });
});

describe('Twilio adapter', () => {
  it('POSTs the form To/From/Body to the account Messages.json with Basic auth SID:token', async () => {
    const { requests, fetcher } = recordingFetch(201);
    await twilioSender({ accountSid: 'AC0123', authToken: 'tok', from: '+15005550006' }, fetcher).send(message);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.twilio.com/2010-04-01/Accounts/AC0123/Messages.json');
    expect(request.headers.get('authorization')).toBe(`Basic ${btoa('AC0123:tok')}`);
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({ To: '+46701234567', From: '+15005550006', Body: message.text });
  });

  it('turns an error status into a DeliveryError', async () => {
    const { fetcher } = recordingFetch(500);
    await expect(twilioSender({ accountSid: 'AC1', authToken: 't', from: '+1' }, fetcher).send(message)).rejects.toThrow('twilio: HTTP 500');
  });
});

describe('provider choice by configuration', () => {
  const base = env as unknown as Env;
  it('uses the configured provider and names missing credentials', async () => {
    const { requests, fetcher } = recordingFetch();
    await smsSenderFor({ ...base, SMS_PROVIDER: '46elks' }, fetcher).send(message);
    expect(requests[0]?.url).toBe(ELKS_SMS_URL);
    expect(() => smsSenderFor({ ...base, SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: undefined })).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() => smsSenderFor({ ...base, SMS_PROVIDER: 'carrier-pigeon' })).toThrow(/unknown SMS_PROVIDER/);
  });
});

describe('development outbox', () => {
  it('records messages instead of sending them, newest first, under a hashed key', async () => {
    const sender = outboxSender(env);
    await sender.send({ ...message, text: 'first https://x/l/1/a', link: 'https://x/l/1/a' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.send({ ...message, text: 'second https://x/l/2/b', link: 'https://x/l/2/b' });
    const recorded = await readOutbox(env, message.to);
    expect(recorded.map((m) => m.url)).toEqual(['https://x/l/2/b', 'https://x/l/1/a']);
    expect(recorded[0]).toMatchObject({ channel: 'sms', to: '+46701234567', text: 'second https://x/l/2/b' });
    expect(new Date(recorded[0]!.sentAt).toISOString()).toBe(recorded[0]!.sentAt);
    const keys = await env.KV.list({ prefix: 'outbox:' });
    expect(keys.keys.every((key) => !key.name.includes('46701234567'))).toBe(true);
    expect(await readOutbox(env, '+46709999999')).toEqual([]);
  });
});

it('the outbox provider refuses to run outside local development', () => {
  expect(() => smsSenderFor({ ...(env as unknown as Env), SMS_PROVIDER: 'outbox', LOCAL_DEV: undefined })).toThrow(/only in local development/);
});
