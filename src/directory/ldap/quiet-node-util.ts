/**
 * What ldapts takes from node:util, minus the noise. Workerd's util.debuglog is always on, so ldapts
 * would log every LDAP request it sends, search filters included (user ids, phone numbers): wrangler.toml
 * aliases node:util to this module in the bundle. Nothing else in the Worker imports node:util.
 */
const GlobalTextDecoder = TextDecoder;
export { GlobalTextDecoder as TextDecoder };

export const debuglog = (): ((...args: unknown[]) => void) => () => undefined;
