/**
 * Opens user repositories from their stored profiles: the credentials are unsealed here, just before
 * use. What they return may be cached per isolate for up to 60 s (README: Assisted login).
 */
import type { Env } from '../env';
import { openDirectorySecret } from '../security/directory-secrets';
import type { StoredEntraProfile, StoredLdapProfile } from '../store/directory';
import { IsolateCache } from '../store/isolate-cache';
import { DirectoryUnavailableError, type Directory, type DirectoryPerson } from './directory';
import { entraDirectory } from './entra';
import { ldapDirectory } from './ldap';

export const DIRECTORY_CACHE_SECONDS = 60;

export async function openLdapDirectory(env: Pick<Env, 'DIRECTORY_SECRET_KEY'>, profile: StoredLdapProfile, attributes: readonly string[]): Promise<Directory> {
  const password = await openDirectorySecret(env, profile.bindPasswordSealed);
  if (password === null) throw new DirectoryUnavailableError(`ldap:${profile.name}`, 'the bind password cannot be unsealed (was DIRECTORY_SECRET_KEY changed?): enter it again');
  return ldapDirectory(profile, password, { attributes });
}

export async function openEntraDirectory(env: Pick<Env, 'DIRECTORY_SECRET_KEY'>, profile: StoredEntraProfile): Promise<Directory> {
  const clientSecret = await openDirectorySecret(env, profile.clientSecretSealed);
  if (clientSecret === null) throw new DirectoryUnavailableError(`entra:${profile.name}`, 'the client secret cannot be unsealed (was DIRECTORY_SECRET_KEY changed?): enter it again');
  return entraDirectory({ name: profile.name, tenantId: profile.tenantId, clientId: profile.clientId, clientSecret });
}

const lookups = new IsolateCache<unknown>(DIRECTORY_CACHE_SECONDS * 1000, 2000);

/**
 * The same repository with its answers cached per isolate (keyed by repository, question and the
 * attributes asked for). A failed lookup is not cached: the next request asks again.
 */
export function cachedDirectory(directory: Directory, cacheKey: string, nowMs: number): Directory {
  // IsolateCache stores only what loaded: a failure reaches the caller and is asked again next time.
  const cached = <T>(question: string, load: () => Promise<T>): Promise<T> => lookups.get(`${cacheKey}\n${question}`, nowMs, load) as Promise<T>;
  return {
    name: directory.name,
    findUser: (id) => cached(`user\n${id}`, () => directory.findUser(id)),
    findByPhone: (msisdn) => cached(`phone\n${msisdn}`, () => directory.findByPhone(msisdn)),
    findByAttributes: (id, attributes) => cached(`attributes\n${attributes.join(',')}\n${id}`, () => directory.findByAttributes(id, attributes)),
    findByRef: (ref) => cached(`ref\n${ref}`, () => directory.findByRef(ref)),
    membersOf: (group, limit) => cached(`members\n${limit}\n${group}`, (): Promise<DirectoryPerson[]> => directory.membersOf(group, limit)),
    close: () => directory.close(),
  };
}

export const clearDirectoryCache = () => lookups.clear();
