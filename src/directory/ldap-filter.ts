/** A DN's first RDN value (filter values are escaped by ldapts' own Filter.escape, RFC 4515). */

/** "cn=team-red,ou=groups,dc=example" -> "team-red" (a group's name from its DN; escaped commas kept). */
export function firstRdnValue(dn: string): string {
  const rdn = dn.split(/(?<!\\),/)[0] ?? dn;
  const at = rdn.indexOf('=');
  return (at === -1 ? rdn : rdn.slice(at + 1)).replace(/\\(.)/g, '$1').trim();
}
