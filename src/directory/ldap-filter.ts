/** LDAP text helpers: filter values escaped per RFC 4515 (by ldapts), and a DN's first RDN value. */
import { Filter } from 'ldapts';

/** `*`, `(`, `)`, `\` and NUL become \2a, \28, \29, \5c, \00: user input is always a literal value. */
export const escapeFilterValue = (value: string): string => Filter.escape(value);

/** "cn=team-red,ou=groups,dc=example" -> "team-red" (a group's name from its DN; escaped commas kept). */
export function firstRdnValue(dn: string): string {
  const rdn = dn.split(/(?<!\\),/)[0] ?? dn;
  const at = rdn.indexOf('=');
  return (at === -1 ? rdn : rdn.slice(at + 1)).replace(/\\(.)/g, '$1').trim();
}
