/**
 * An LDAP directory (OpenLDAP, Active Directory) as a user repository, through ldapts over the Worker's
 * TCP sockets (node:net / node:tls under nodejs_compat). One connection per lookup batch: opened, upgraded
 * with StartTLS (ldap://) or TLS from the start (ldaps://), bound with the profile's service account,
 * closed by close().
 */
import { Client, Filter, InvalidCredentialsError, type Entry } from 'ldapts';
import type { StoredLdapProfile } from '../store/directory';
import { DirectoryUnavailableError, type Directory, type DirectoryPerson } from './directory';
import { firstRdnValue } from './ldap-filter';

/** `*`, `(`, `)`, `\\` and NUL become \\2a, \\28, \\29, \\5c, \\00: user input is always a literal value. */
const escapeFilterValue = (value: string): string => Filter.escape(value);

export interface LdapConnectionOptions {
  /** Attributes to read besides the profile's own (approver id attributes, the notification attribute). */
  attributes: readonly string[];
}

const GROUP_CLASSES = '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group)(objectClass=posixGroup))';

const valuesOf = (entry: Entry, attribute: string): string[] => {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
};

export function ldapDirectory(profile: StoredLdapProfile, bindPassword: string, options: LdapConnectionOptions): Directory {
  const name = `ldap:${profile.name}`;
  const timeoutMs = profile.timeoutSeconds * 1000;
  // Workerd checks the certificate against the public CAs only (a `ca` option is not honoured, locally either).
  const tlsOptions = { servername: new URL(profile.url).hostname };
  const usesTls = profile.url.startsWith('ldaps:') || profile.startTls;
  const attributes = [
    ...new Set([profile.phoneAttribute, profile.displayNameAttribute, profile.groupAttribute, profile.managerAttribute, ...options.attributes].map((a) => a.toLowerCase())),
  ];
  let connected: Promise<Client> | null = null;

  const tlsFailed = (error: unknown) =>
    new DirectoryUnavailableError(name, `${profile.url}: the TLS connection failed (the certificate must be publicly trusted; a Worker accepts no private CA): ${error instanceof Error ? error.message : String(error)}`);

  const unavailable = (error: unknown): DirectoryUnavailableError => {
    if (error instanceof DirectoryUnavailableError) return error;
    if (error instanceof InvalidCredentialsError) return new DirectoryUnavailableError(name, `the directory refused the bind as ${profile.bindDn}: invalid credentials`);
    const detail = error instanceof Error ? error.message : String(error);
    if (usesTls && /cannot connect|disconnected|TLS|certificate/i.test(detail)) return tlsFailed(error);
    if (/timeout|timed out/i.test(detail)) return new DirectoryUnavailableError(name, `${profile.url} did not answer within ${profile.timeoutSeconds} s`);
    return new DirectoryUnavailableError(name, `${profile.url}: ${detail}`);
  };

  function connection(): Promise<Client> {
    connected ??= (async () => {
      const client = new Client({ url: profile.url, timeout: timeoutMs, connectTimeout: timeoutMs, ...(profile.url.startsWith('ldaps:') && { tlsOptions }) });
      try {
        if (profile.url.startsWith('ldap:') && profile.startTls) await client.startTLS(tlsOptions);
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw tlsFailed(error);
      }
      try {
        await client.bind(profile.bindDn, bindPassword);
        return client;
      } catch (error) {
        await client.unbind().catch(() => undefined);
        throw error;
      }
    })();
    return connected;
  }

  async function search(base: string, filter: string, sizeLimit: number, scope: 'sub' | 'base' = 'sub'): Promise<Entry[]> {
    try {
      const client = await connection();
      const { searchEntries } = await client.search(base, { scope, filter, attributes, sizeLimit });
      return searchEntries;
    } catch (error) {
      // (ldapts returns the entries up to a size limit the client set, without an error.)
      if (error instanceof Error && error.name === 'NoSuchObjectError') return [];
      throw unavailable(error);
    }
  }

  const toPerson = (entry: Entry): DirectoryPerson => {
    const all: Record<string, string[]> = {};
    for (const attribute of attributes) {
      const values = valuesOf(entry, attribute);
      if (values.length) all[attribute] = values;
    }
    const groups = valuesOf(entry, profile.groupAttribute).map((dn) => ({ name: firstRdnValue(dn), ref: dn }));
    return {
      repository: name,
      ref: entry.dn,
      attributes: all,
      displayName: valuesOf(entry, profile.displayNameAttribute)[0] ?? '',
      phone: valuesOf(entry, profile.phoneAttribute)[0] ?? null,
      groups,
      managerRef: valuesOf(entry, profile.managerAttribute)[0] ?? null,
    };
  };

  /** Exactly one entry, else nobody: two people behind one id must not become a guess. */
  const one = async (filter: string): Promise<DirectoryPerson | null> => {
    const entries = await search(profile.baseDn, filter, 2);
    return entries.length === 1 ? toPerson(entries[0]!) : null;
  };

  return {
    name,
    findUser: (id) => one(profile.userFilter.replaceAll('{id}', escapeFilterValue(id))),
    findByPhone(msisdn) {
      // E.164 as stored, and the national form many directories hold ("0701234567"); telephone-number matching ignores spaces and dashes.
      const forms = [msisdn, msisdn.replace(/^\+46/, '0')].filter((form, index, all) => all.indexOf(form) === index);
      return one(`(|${forms.map((form) => `(${profile.phoneAttribute}=${escapeFilterValue(form)})`).join('')})`);
    },
    findByAttributes(id, idAttributes) {
      if (!idAttributes.length) return Promise.resolve(null);
      return one(`(|${idAttributes.map((attribute) => `(${attribute}=${escapeFilterValue(id)})`).join('')})`);
    },
    async findByRef(ref) {
      const entries = await search(ref, '(objectClass=*)', 1, 'base');
      return entries[0] ? toPerson(entries[0]) : null;
    },
    async membersOf(groupName, limit) {
      let groupDn = groupName;
      if (!groupName.includes('=')) {
        const groups = await search(profile.baseDn, `(&${GROUP_CLASSES}(cn=${escapeFilterValue(groupName)}))`, 1);
        if (!groups[0]) return [];
        groupDn = groups[0].dn;
      }
      const entries = await search(profile.baseDn, `(${profile.groupAttribute}=${escapeFilterValue(groupDn)})`, limit);
      return entries.map(toPerson);
    },
    async close() {
      const pending = connected;
      connected = null;
      const client = await pending?.catch(() => null);
      await client?.unbind().catch(() => undefined);
    },
  };
}
