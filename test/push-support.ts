/** Fakes the push relay behind PUSH_PROVIDER=webhook (vitest.config.ts) at the fetch boundary, and records every push. */
import { env } from 'cloudflare:test';
import type { PushMessage } from '../src/providers/push/push-sender';
import { fakeEndpoint, pollFor } from './support';

export interface SentPush {
  device: { id: string; platform: string; pushToken: string };
  message: PushMessage;
  headers: Headers;
}

/** `status(pushToken)` decides the relay's answer per device (200 unless told): 410 means the device is gone. */
export function fakePushRelay(status: (pushToken: string) => number = () => 200) {
  const sent: SentPush[] = [];
  fakeEndpoint(env.PUSH_WEBHOOK_URL!, async (request) => {
    const push = (await request.json()) as Omit<SentPush, 'headers'>;
    sent.push({ ...push, headers: request.headers });
    return new Response(null, { status: status(push.device.pushToken) });
  });
  let read = 0;
  return {
    sent,
    nextPush: (): Promise<SentPush> => pollFor(() => (sent[read] ? sent[read++] : undefined), 'push'),
  };
}
