/** The Cache-Control of every answer that holds a secret, a session's state or a signed-in page: no browser or proxy keeps it. */
export const NO_STORE = { 'cache-control': 'no-store' } as const;
