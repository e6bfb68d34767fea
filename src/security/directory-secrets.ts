/**
 * Directory credentials (an LDAP bind password, an Entra client secret) must be used again, so they are
 * sealed, not hashed, under the Worker secret DIRECTORY_SECRET_KEY; they are never shown or logged again.
 */
import type { Env } from '../env';
import { openText, sealText } from './sealed-text';

const KEY_LABEL = 'sfwa directory credentials v1';

export class DirectorySecretKeyMissingError extends Error {
  constructor() {
    super('DIRECTORY_SECRET_KEY is not set (wrangler secret put DIRECTORY_SECRET_KEY): directory credentials cannot be stored or used');
  }
}

function secretOf(env: Pick<Env, 'DIRECTORY_SECRET_KEY'>): string {
  if (!env.DIRECTORY_SECRET_KEY) throw new DirectorySecretKeyMissingError();
  return env.DIRECTORY_SECRET_KEY;
}

export const sealDirectorySecret = (env: Pick<Env, 'DIRECTORY_SECRET_KEY'>, secret: string): Promise<string> => sealText(secretOf(env), KEY_LABEL, secret);

/** The credential, or null when it was sealed under another DIRECTORY_SECRET_KEY (rotated without re-entering it). */
export const openDirectorySecret = (env: Pick<Env, 'DIRECTORY_SECRET_KEY'>, sealed: string): Promise<string | null> => openText(secretOf(env), KEY_LABEL, sealed);
