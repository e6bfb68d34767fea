/**
 * Where the workerd tests' directory listens: ldap:// (StartTLS offered) here, ldaps:// on the next port.
 * TEST_LDAP_PORT moves it, so two test runs on one machine do not meet.
 */
export const TEST_LDAP_PORT = Number(process.env['TEST_LDAP_PORT'] || 3990);
