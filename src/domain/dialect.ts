/**
 * Response dialects: the words an endpoint answers in. `cloud` is the seed's cloud API
 * (ACCEPT/REJECT/TIMEOUT); `server` is Mideye Server's own Magic Link API, so an application
 * written for it can switch its base URL to ours and keep working unchanged.
 */
export const DIALECTS = ['cloud', 'server'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const DIALECT_LABELS: Record<Dialect, string> = {
  cloud: 'Cloud API (ACCEPT / REJECT / TIMEOUT)',
  server: 'Mideye Server (TOUCH_ACCEPTED / TOUCH_REJECTED / USER_NOT_RESPONDED)',
};

/**
 * touch-timeout in seconds. Cloud: the seed's default 30, max 60. Server: Mideye Server documents
 * 15–300 but no default; 60 s leaves a person time to find their phone and stays well inside the
 * 120 s HTTP timeout its example clients use.
 */
export const TOUCH_TIMEOUT_SECONDS: Record<Dialect, { min: number; max: number; default: number }> = {
  cloud: { min: 1, max: 60, default: 30 },
  server: { min: 15, max: 300, default: 60 },
};

/** The `code` of an answered authentication, per dialect. */
export const OUTCOME_CODES = {
  cloud: { ACCEPT: 'ACCEPT', REJECT: 'REJECT', TIMEOUT: 'TIMEOUT' },
  server: { ACCEPT: 'TOUCH_ACCEPTED', REJECT: 'TOUCH_REJECTED', TIMEOUT: 'USER_NOT_RESPONDED' },
} as const satisfies Record<Dialect, Record<'ACCEPT' | 'REJECT' | 'TIMEOUT', string>>;

/** Mideye Server answers a delivery failure as an outcome (200, FAILED_DELIVERY); the cloud API as a 502 error. */
export const SERVER_FAILED_DELIVERY = 'FAILED_DELIVERY';
/** Mideye Server answers every refusal (key, input, rate limit) with this one code; we add why beside it. */
export const SERVER_REFUSAL = 'BAD_REQUEST';

export type Outcome = keyof (typeof OUTCOME_CODES)['cloud'];

/** A settled session's code in the dialect's words: Mideye Server has one code for every delivery failure. */
export function dialectCode(dialect: Dialect, code: Outcome | 'DELIVERY_FAILED' | 'RATE_LIMITED'): string {
  if (dialect === 'cloud') return code;
  return code === 'DELIVERY_FAILED' || code === 'RATE_LIMITED' ? SERVER_FAILED_DELIVERY : OUTCOME_CODES.server[code];
}
