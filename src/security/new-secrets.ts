/** The random values the service hands out: API token secrets, device ids, activation codes (sizes from the domain). */
import { CREATED_TOKEN_BYTES } from '../domain/constants';
import { ACTIVATION_CODE_BYTES, DEVICE_ID_BYTES } from '../domain/device';
import { randomSecret } from './crypto';

export const newTokenSecret = (): string => randomSecret(CREATED_TOKEN_BYTES);
export const newDeviceId = (): string => randomSecret(DEVICE_ID_BYTES);
export const newActivationCode = (): string => randomSecret(ACTIVATION_CODE_BYTES);
