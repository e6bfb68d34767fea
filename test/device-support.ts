/**
 * Test helpers for the companion app: a device key pair made in workerd with WebCrypto, signing as the
 * app does (ECDSA P-256, SHA-256, IEEE P1363, base64url), and activation through the real endpoint.
 */
import { env, SELF } from 'cloudflare:test';
import { createActivation } from '../src/devices/activation';
import { signedText, type DevicePlatform, type SignedRequestPurpose } from '../src/domain/device';
import { base64url } from '../src/security/crypto';
import { db, fakeSmsProviderUnlessFaked } from './support';

export const ORIGIN = 'http://localhost';

export interface TestDevice {
  /** The public half, as WebCrypto exports it (with key_ops and ext, as an app would send it). */
  publicKeyJwk: JsonWebKey;
  /** Signs `text` with the private key: the signature as base64url. */
  sign(text: string): Promise<string>;
}

/** A fresh P-256 key pair, as the app generates at activation. */
export async function newTestDevice(): Promise<TestDevice> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKeyJwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  return {
    publicKeyJwk,
    sign: async (text) => base64url(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(text)))),
  };
}

/** The JSON body of POST /api/plus/v1/activate. */
export const postActivate = (body: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}/api/plus/v1/activate`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** The code of an activation URL (its last path segment). */
export const activationCode = (url: string): string => new URL(url).pathname.split('/').pop() ?? '';

/** A new activation link for `msisdn` (E.164), made by the service as the admin API and the session make them. */
export async function newActivation(msisdn: string, now = new Date()) {
  const created = await createActivation(env, db(), msisdn, ORIGIN, now);
  return { ...created, code: activationCode(created.url) };
}

export interface SignedRequest {
  deviceId: string;
  timestamp: number;
  signature: string;
}

export interface ActivatedTestDevice extends TestDevice {
  deviceId: string;
  msisdn: string;
  msisdnMasked: string;
  installationId: string;
  platform: DevicePlatform;
  pushToken: string;
  /** A timestamp later than any this device signed before: the replay guard wants each one newer. */
  nextTimestamp(): number;
  /** `{ deviceId, timestamp, signature }` over signedText(purpose, fields, timestamp); timestamp from nextTimestamp() unless given. */
  signRequest(purpose: SignedRequestPurpose, fields: readonly string[], timestamp?: number): Promise<SignedRequest>;
}

export interface ActivateOptions {
  installationId?: string;
  platform?: DevicePlatform;
  pushToken?: string;
  label?: string;
  /** Activate this key pair (e.g. to re-activate an installation with a new one); a fresh one otherwise. */
  device?: TestDevice;
}

/** Creates an activation for `msisdn` and activates a device with it through POST /api/plus/v1/activate. */
export async function activateTestDevice(msisdn: string, options: ActivateOptions = {}): Promise<ActivatedTestDevice> {
  // Every activation sends its notice by SMS: it must not go to the real provider.
  fakeSmsProviderUnlessFaked();
  const device = options.device ?? (await newTestDevice());
  const installationId = options.installationId ?? `install-${crypto.randomUUID()}`;
  const platform = options.platform ?? 'android';
  const pushToken = options.pushToken ?? `push-${crypto.randomUUID()}`;
  const { code } = await newActivation(msisdn);
  const response = await postActivate({ code, installationId, platform, pushToken, publicKey: device.publicKeyJwk, ...(options.label !== undefined && { label: options.label }) });
  if (response.status !== 201) throw new Error(`activation answered ${response.status}: ${await response.text()}`);
  const { deviceId, msisdnMasked } = await response.json<{ deviceId: string; msisdnMasked: string }>();
  let last = 0;
  const nextTimestamp = () => (last = Math.max(Date.now(), last + 1));
  return {
    ...device,
    deviceId,
    msisdn,
    msisdnMasked,
    installationId,
    platform,
    pushToken,
    nextTimestamp,
    signRequest: async (purpose, fields, timestamp = nextTimestamp()) => {
      last = Math.max(last, timestamp);
      return { deviceId, timestamp, signature: await device.sign(signedText(purpose, fields, timestamp)) };
    },
  };
}
