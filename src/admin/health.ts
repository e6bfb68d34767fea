/**
 * The health check's details, for an administrator's monitoring: whether D1 and KV answer, and whether
 * each configured provider has its credentials. It says which settings are missing, never their values.
 */
import type { Env } from '../env';
import { errorText } from '../observability/log';
import { DeliveryError } from '../providers/provider-request';
import { pushSenderFor } from '../providers/push/push-sender';
import { smsProviderReadiness } from '../providers/sms/sms-sender';

type Check = { ok: true } | { ok: false; error: string };

async function check(probe: () => Promise<unknown>): Promise<Check> {
  try {
    await probe();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

function pushReadiness(env: Env): { provider: string | null; ready: boolean; detail?: string } {
  try {
    return pushSenderFor(env, () => Promise.reject(new Error('not for sending'))) ? { provider: env.PUSH_PROVIDER!.trim(), ready: true } : { provider: null, ready: true, detail: 'push is off: every request goes by SMS' };
  } catch (error) {
    return { provider: env.PUSH_PROVIDER?.trim() ?? null, ready: false, detail: error instanceof DeliveryError ? error.detail : errorText(error) };
  }
}

export async function healthDetails(env: Env) {
  const [d1, kv] = await Promise.all([check(() => env.DB.prepare('SELECT 1').first()), check(() => env.KV.get('health:probe'))]);
  const sms = smsProviderReadiness(env);
  const push = pushReadiness(env);
  const ok = d1.ok && kv.ok && sms.some((provider) => provider.ready) && push.ready;
  return {
    status: ok ? ('ok' as const) : ('degraded' as const),
    d1,
    kv,
    sms,
    push,
    receipts: { signingKey: Boolean(env.RECEIPT_SIGNING_KEY) },
    dataJurisdiction: env.DATA_JURISDICTION ?? null,
  };
}
