import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/env';
import { elksSender, ELKS_SMS_URL } from '../src/providers/sms/elks';
import { outboxSender, readOutbox } from '../src/providers/sms/outbox';
import { DeliveryError, type FetchLike } from '../src/providers/provider-request';
import { forgetProviderCoolDowns, PROVIDER_COOL_DOWN_MS, smsSenderFor } from '../src/providers/sms/sms-sender';
import { sinchSender } from '../src/providers/sms/sinch';
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
    expect(() => smsSenderFor({ ...base, SMS_PROVIDER: 'carrier-pigeon' })).toThrow(/unknown SMS provider/);
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

describe('SMS provider failover (SMS_PROVIDERS)', () => {
  const base = { ...(env as unknown as Env), SMS_PROVIDER: undefined, SMS_PROVIDERS: '46elks,twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tw-token', TWILIO_FROM: '+15005550006' };
  const TWILIO_URL = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json';

  /** Fakes both providers: `answer(url, attempt)` decides each response; every request is recorded. */
  function providers(answer: (url: string) => Response | Promise<Response>) {
    const urls: string[] = [];
    const fetcher: FetchLike = async (input, init) => {
      urls.push(new Request(input, init).url);
      return answer(input);
    };
    return { urls, fetcher };
  }

  it('sends with the first provider when it works, and says which', async () => {
    forgetProviderCoolDowns();
    const { urls, fetcher } = providers(() => new Response('{}', { status: 200 }));
    expect(await smsSenderFor(base, fetcher).send(message)).toEqual({ provider: '46elks', failedOver: [] });
    expect(urls).toEqual([ELKS_SMS_URL]);
  });

  it.each([
    ['a 5xx', () => new Response('oops', { status: 503 }), 'HTTP 503'],
    ['a 429', () => new Response('slow down', { status: 429 }), 'HTTP 429'],
    ['bad credentials', () => new Response('unauthorized', { status: 401 }), 'HTTP 401'],
    [
      'a network failure',
      () => {
        throw new TypeError('connection refused');
      },
      'request failed: TypeError',
    ],
  ])('goes on to the next provider at once after %s, in the same send, and says why', async (_what, failure, detail) => {
    forgetProviderCoolDowns();
    const { urls, fetcher } = providers((url) => (url === ELKS_SMS_URL ? failure() : new Response('{}', { status: 201 })));
    expect(await smsSenderFor(base, fetcher).send(message)).toEqual({ provider: 'twilio', failedOver: [{ provider: '46elks', detail }] });
    expect(urls).toEqual([ELKS_SMS_URL, TWILIO_URL]);
  });

  it('does not fail over a refusal of the number itself (another provider would refuse it too)', async () => {
    forgetProviderCoolDowns();
    const elks = providers((url) => (url === ELKS_SMS_URL ? new Response("Invalid 'to' phone number", { status: 403 }) : new Response('{}')));
    const refused = await smsSenderFor(base, elks.fetcher).send(message).catch((error: unknown) => error);
    expect(refused).toMatchObject({ provider: '46elks', aboutNumber: true });
    expect(elks.urls).toEqual([ELKS_SMS_URL]);

    const twilioFirst = { ...base, SMS_PROVIDERS: 'twilio,46elks' };
    const twilio = providers((url) => (url === TWILIO_URL ? Response.json({ code: 21614, message: 'To number is not a valid mobile number' }, { status: 400 }) : new Response('{}')));
    await expect(smsSenderFor(twilioFirst, twilio.fetcher).send(message)).rejects.toMatchObject({ provider: 'twilio', aboutNumber: true });
    expect(twilio.urls).toEqual([TWILIO_URL]);
    // Any other 400 from Twilio is Twilio's: the next provider is tried.
    const other = providers((url) => (url === TWILIO_URL ? Response.json({ code: 21606, message: 'From is not a valid number' }, { status: 400 }) : new Response('{}')));
    expect(await smsSenderFor(twilioFirst, other.fetcher).send(message)).toMatchObject({ provider: '46elks' });
  });

  it('tries a provider that failed last for 30 s in later sends, then first again', async () => {
    forgetProviderCoolDowns();
    let now = 1_000_000;
    let elksDown = true;
    const { urls, fetcher } = providers((url) => (url === ELKS_SMS_URL && elksDown ? new Response('', { status: 502 }) : new Response('{}')));
    const sender = smsSenderFor(base, fetcher, () => now);
    expect((await sender.send(message)).provider).toBe('twilio');
    elksDown = false;
    now += PROVIDER_COOL_DOWN_MS - 1;
    // Still cooling: Twilio first, 46elks not even asked.
    urls.length = 0;
    expect(await sender.send(message)).toEqual({ provider: 'twilio', failedOver: [] });
    expect(urls).toEqual([TWILIO_URL]);
    now += 2;
    urls.length = 0;
    expect((await sender.send(message)).provider).toBe('46elks');
    expect(urls).toEqual([ELKS_SMS_URL]);
  });

  it('still tries a cooling provider when every other one fails, and fails naming each reason', async () => {
    forgetProviderCoolDowns();
    let now = 5_000_000;
    const down = providers(() => new Response('', { status: 500 }));
    const sender = smsSenderFor(base, down.fetcher, () => now);
    await expect(sender.send(message)).rejects.toThrow('46elks,twilio: 46elks: HTTP 500; twilio: HTTP 500');
    now += 1000;
    down.urls.length = 0;
    await expect(sender.send(message)).rejects.toThrow(/46elks: HTTP 500/);
    expect(down.urls).toHaveLength(2);
  });

  it('skips a provider without credentials, sending with the others; refuses when none is usable', async () => {
    forgetProviderCoolDowns();
    const { urls, fetcher } = providers(() => new Response('{}'));
    const sent = await smsSenderFor({ ...base, ELKS_PASSWORD: undefined }, fetcher).send(message);
    expect(sent).toEqual({ provider: 'twilio', failedOver: [{ provider: '46elks', detail: 'not configured: set ELKS_PASSWORD' }] });
    expect(urls).toEqual([TWILIO_URL]);
    expect(() => smsSenderFor({ ...base, ELKS_PASSWORD: undefined, TWILIO_FROM: undefined }, fetcher)).toThrow(/ELKS_PASSWORD.*TWILIO_FROM/);
  });

  it('sends to ELKS_API_URL and TWILIO_API_URL when set (a regional endpoint, a proxy, a local fake)', async () => {
    forgetProviderCoolDowns();
    const { urls, fetcher } = providers((url) => (url.startsWith('http://127.0.0.1:9101') ? new Response('', { status: 500 }) : new Response('{}')));
    const local = { ...base, ELKS_API_URL: 'http://127.0.0.1:9101/', TWILIO_API_URL: 'http://127.0.0.1:9102' };
    expect((await smsSenderFor(local, fetcher).send(message)).provider).toBe('twilio');
    expect(urls).toEqual(['http://127.0.0.1:9101/a1/sms', 'http://127.0.0.1:9102/2010-04-01/Accounts/AC1/Messages.json']);
  });

  it('SMS_PROVIDER alone still works, as a list of one', async () => {
    forgetProviderCoolDowns();
    const { urls, fetcher } = providers(() => new Response('{}'));
    expect((await smsSenderFor({ ...base, SMS_PROVIDERS: undefined, SMS_PROVIDER: 'twilio' }, fetcher).send(message)).provider).toBe('twilio');
    expect(urls).toEqual([TWILIO_URL]);
  });
});

describe('Sinch adapter', () => {
  const sinch = { servicePlanId: 'plan42', apiToken: 'sinch-token', from: 'Acme' };

  it('POSTs the JSON batch {from, to, body} to the EU region with a Bearer token', async () => {
    const { requests, fetcher } = recordingFetch(201);
    await sinchSender(sinch, fetcher).send(message);
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://eu.sms.api.sinch.com/xms/v1/plan42/batches');
    expect(request.headers.get('authorization')).toBe('Bearer sinch-token');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(await request.json()).toEqual({ from: 'Acme', to: ['+46701234567'], body: message.text });
  });

  it('asks for a final delivery report per recipient at the report URL it is given', async () => {
    const { requests, fetcher } = recordingFetch(201);
    await sinchSender(sinch, fetcher).send({ ...message, reportUrl: (provider) => `https://auth.example/api/sfwa/delivery/${provider}/s/t` });
    expect(await requests[0]!.json()).toEqual({
      from: 'Acme',
      to: ['+46701234567'],
      body: message.text,
      delivery_report: 'per_recipient_final',
      callback_url: 'https://auth.example/api/sfwa/delivery/sinch/s/t',
    });
  });

  it('tells a refusal of the recipient from Sinch refusing for its own reasons', async () => {
    const answer = (status: number, body: unknown): FetchLike => async () => Response.json(body, { status });
    const refused = await sinchSender(sinch, answer(400, { code: 'syntax_invalid_parameter_format', text: 'Invalid recipient: +4670' })).send(message).catch((e: unknown) => e);
    expect(refused).toMatchObject({ provider: 'sinch', detail: 'HTTP 400', aboutNumber: true });
    await expect(sinchSender(sinch, answer(400, { code: 'syntax_constraint_violation', text: 'Invalid from' })).send(message)).rejects.toMatchObject({ aboutNumber: false });
    await expect(sinchSender(sinch, answer(401, { text: 'unauthorized' })).send(message)).rejects.toThrow('sinch: HTTP 401');
  });

  it('is chosen by SMS_PROVIDERS, sends to SINCH_API_URL when set, and names missing settings', async () => {
    forgetProviderCoolDowns();
    const { requests, fetcher } = recordingFetch(201);
    const configured = { ...(env as unknown as Env), SMS_PROVIDERS: 'sinch', SINCH_SERVICE_PLAN_ID: 'plan42', SINCH_API_TOKEN: 'sinch-token', SINCH_FROM: 'Acme' };
    expect(await smsSenderFor(configured, fetcher).send(message)).toEqual({ provider: 'sinch', failedOver: [] });
    await smsSenderFor({ ...configured, SINCH_API_URL: 'https://us.sms.api.sinch.com/' }, fetcher).send(message);
    expect(requests.map((request) => request.url)).toEqual(['https://eu.sms.api.sinch.com/xms/v1/plan42/batches', 'https://us.sms.api.sinch.com/xms/v1/plan42/batches']);
    expect(() => smsSenderFor({ ...configured, SINCH_API_TOKEN: undefined }, fetcher)).toThrow(/SINCH_API_TOKEN/);
  });
});

describe('the report URL and an endpoint’s own sender in each provider’s exact request', () => {
  const reportUrl = (provider: string) => `https://auth.example/api/sfwa/delivery/${provider}/s/t`;

  it('46elks: whendelivered, and `from` from the message', async () => {
    const { requests, fetcher } = recordingFetch();
    await elksSender({ username: 'u', password: 'p', from: 'Acme' }, fetcher).send({ ...message, from: 'AcmeBank', reportUrl });
    expect(Object.fromEntries(new URLSearchParams(await requests[0]!.text()))).toEqual({
      from: 'AcmeBank',
      to: '+46701234567',
      message: message.text,
      whendelivered: 'https://auth.example/api/sfwa/delivery/46elks/s/t',
    });
  });

  it('Twilio: StatusCallback, and `From` from the message', async () => {
    const { requests, fetcher } = recordingFetch(201);
    await twilioSender({ accountSid: 'AC1', authToken: 't', from: '+15005550006' }, fetcher).send({ ...message, from: '+15005550007', reportUrl });
    expect(Object.fromEntries(new URLSearchParams(await requests[0]!.text()))).toEqual({
      To: '+46701234567',
      From: '+15005550007',
      Body: message.text,
      StatusCallback: 'https://auth.example/api/sfwa/delivery/twilio/s/t',
    });
  });

  it('Sinch: `from` from the message', async () => {
    const { requests, fetcher } = recordingFetch(201);
    await sinchSender({ servicePlanId: 'p', apiToken: 't', from: 'Acme' }, fetcher).send({ ...message, from: 'AcmeBank' });
    expect(await requests[0]!.json()).toEqual({ from: 'AcmeBank', to: ['+46701234567'], body: message.text });
  });
});
