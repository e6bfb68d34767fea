import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the Worker started by global-setup.ts. */
    baseUrl: string;
    /** The test directory (slapd) started by global-setup.ts, for assisted login. */
    ldapUrl: string;
  }
}
