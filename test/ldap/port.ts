/** Where the workerd tests' directory listens: ldap:// (StartTLS offered) here, ldaps:// on the next port. */
export const TEST_LDAP_PORT = 3990;
