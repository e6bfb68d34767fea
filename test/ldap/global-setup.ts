// Starts the test directory (Debian's slapd, seeded from test/ldap/directory.ldif) once for the workerd
// tests, on the loopback ports vitest.config.ts hands them as TEST_LDAP_URL / TEST_LDAPS_URL; stops it afterwards.
// @ts-expect-error: plain ESM script shared with the benchmark and the browser tests, no type declarations
import { startLdapServer } from '../../scripts/ldap-server.mjs';
import { TEST_LDAP_PORT } from './port';

export default async function setup() {
  const server = await startLdapServer({ port: TEST_LDAP_PORT });
  return () => server.stop();
}
