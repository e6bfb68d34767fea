/**
 * The notice every activation sends by SMS to the number: a new device can now approve its sign-ins,
 * with a link that deactivates that device (/plus/deactivate/{code}; 128 random bits, only the SHA-256
 * stored on the device's row). So an activation link forwarded to, or phished by, someone else does
 * not give away a number's sign-ins unseen.
 */
import type { Device } from '../domain/device';
import { deviceSmsTexts, localeForMsisdn } from '../domain/texts';
import type { Env } from '../env';
import { DeliveryError } from '../providers/provider-request';
import { smsSenderFor } from '../providers/sms/sms-sender';
import { sha256Hex } from '../security/crypto';
import { newActivationCode } from '../security/new-secrets';
import { logEvent } from '../observability/log';

export const DEACTIVATION_PATH = '/plus/deactivate';

/** A new deactivation code for a device being activated: the code (for the notice) and its hash (for the row). */
export async function newDeactivationCode(): Promise<{ code: string; codeHash: string }> {
  const code = newActivationCode();
  return { code, codeHash: await sha256Hex(code) };
}

const PLATFORM_NAMES: Record<Device['platform'], string> = { android: 'Android', ios: 'iPhone', web: 'web' };

/** "“Pixel 8”, Android", or just the platform when the app gave no label. */
export const deviceDescription = (device: Pick<Device, 'label' | 'platform'>): string =>
  device.label ? `“${device.label}”, ${PLATFORM_NAMES[device.platform]}` : PLATFORM_NAMES[device.platform];

/** Sends the notice; a failure is logged, never thrown (the activation itself stands). */
export async function sendActivationNotice(env: Env, msisdn: string, device: Device, code: string, origin: string): Promise<boolean> {
  const url = `${origin}${DEACTIVATION_PATH}/${code}`;
  const text = deviceSmsTexts(localeForMsisdn(msisdn)).newDeviceNotice(deviceDescription(device), url);
  try {
    await smsSenderFor(env).send({ to: msisdn, text, link: url });
    return true;
  } catch (error) {
    logEvent('error', 'device.notice_failed', { deviceId: device.id.slice(0, 8), msisdn: device.msisdnMasked, error: error instanceof DeliveryError ? error.message : String(error) });
    return false;
  }
}
