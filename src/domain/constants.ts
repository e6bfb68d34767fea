/** Limits and durations of the service, with their units in their names. Seed values are marked. */

// Seed (Magic Link Endpoints, User Messages tab): maximum lengths.
export const MESSAGE_MAX_LENGTH = {
  titleText: 255,
  smsText: 20,
  buttonAcceptText: 50,
  buttonRejectText: 50,
  authenticationText: 1024,
  touchAcceptedText: 1024,
  touchRejectedText: 1024,
} as const;

/** The information texts may have several lines; the other texts are one line (see display-text.ts). */
export const MULTILINE_MESSAGE_KEYS = ['authenticationText', 'touchAcceptedText', 'touchRejectedText'] as const;

/** Request bodies of every API are read up to this size; a larger one is refused (413) before it is parsed. */
export const REQUEST_BODY_MAX_BYTES = 64 * 1024;

// Seed: profile name max 255; token name 3–42; imported token value 16–42.
export const PROFILE_NAME_MAX_LENGTH = 255;
export const TOKEN_NAME_MIN_LENGTH = 3;
export const TOKEN_NAME_MAX_LENGTH = 42;
export const IMPORTED_TOKEN_MIN_LENGTH = 16;
export const IMPORTED_TOKEN_MAX_LENGTH = 42;
/** Created token secrets: 30 random bytes = 240 bits, 40 base64url characters (fits the import limit too). */
export const CREATED_TOKEN_BYTES = 30;

export const DEFAULT_PROFILE_NAME = 'default';

/** Rate limits per phone number; one KV list serves both windows, so the hour limit is capped by a list page. */
export const RATE_LIMIT_DEFAULT_PER_MINUTE = 3;
export const RATE_LIMIT_DEFAULT_PER_HOUR = 10;
export const RATE_LIMIT_MAX_PER_HOUR = 1000;

/**
 * SMS budget per profile: the most SMS it may send across all numbers, per hour and per day (the toll-fraud
 * guard's cap). Generous for a sign-in service, finite so that SMS pumping costs a bounded amount.
 */
export const SMS_BUDGET_DEFAULT_PER_HOUR = 500;
export const SMS_BUDGET_DEFAULT_PER_DAY = 5000;
export const SMS_BUDGET_MAX = 1_000_000;

/** API-key guessing: more refused keys than this from one client address within a minute, and the address is throttled for a minute. */
export const KEY_REFUSALS_PER_MINUTE = 20;

/** After "this wasn't me", the number is blocked for the profile this long by default (0 = off), at most 7 days. */
export const UNEXPECTED_BLOCK_DEFAULT_MINUTES = 60;
export const UNEXPECTED_BLOCK_MAX_MINUTES = 7 * 24 * 60;

/** How long a terminal session keeps its state, so a late link tap gets "already used" rather than "not found". */
export const SESSION_RETENTION_SECONDS = 24 * 60 * 60;
/** The longest a status read (`?wait=N`) or an async start (`Prefer: wait=N`) holds for the outcome: inside the 29–30 s limit of common API gateways. */
export const STATUS_WAIT_MAX_SECONDS = 25;
/** Extra time the Worker waits past the deadline for the alarm's outcome before answering TIMEOUT itself. */
export const WAIT_GRACE_SECONDS = 5;

/** How long an isolate trusts a cached API token row before reading D1 again. Bounds how long a deleted token keeps working elsewhere. */
export const TOKEN_CACHE_TTL_SECONDS = 10;

export const ADMIN_SESSION_TTL_SECONDS = 8 * 60 * 60;
export const ADMIN_SESSION_COOKIE = 'sfwa_admin';
/** PBKDF2-SHA256 iterations: workerd's WebCrypto caps PBKDF2 at 100 000. */
export const PASSWORD_PBKDF2_ITERATIONS = 100_000;

export const TOKEN_PAGE_SIZE_DEFAULT = 20;
export const TOKEN_PAGE_SIZE_MAX = 100;

/** Admin console accounts: username 3–64 characters, passwords at least 10. */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 64;
export const PASSWORD_MIN_LENGTH = 10;

/** Authentication log: list pages, CSV export size, the write retry, retention, and the dashboard's range. */
export const AUTH_LOG_PAGE_SIZE_DEFAULT = 50;
export const AUTH_LOG_PAGE_SIZE_MAX = 200;
export const AUTH_LOG_CSV_MAX_ROWS = 50_000;
export const AUTH_LOG_CSV_CHUNK_ROWS = 1000;
export const AUTH_LOG_WRITE_RETRY_SECONDS = 30;
export const LOG_RETENTION_DAYS_DEFAULT = 90;
/** The administrator audit log's pages (it is kept as long as the authentication log). */
export const AUDIT_LOG_PAGE_SIZE_DEFAULT = 50;
export const AUDIT_LOG_PAGE_SIZE_MAX = 200;
/** The summary covers the last 24 h unless told; at most 366 days, so a chart has at most 367 day bars. */
export const AUTH_LOG_SUMMARY_DEFAULT_HOURS = 24;
export const AUTH_LOG_SUMMARY_MAX_DAYS = 366;
/** Up to this range the summary counts per hour, beyond it per day. */
export const AUTH_LOG_HOURLY_MAX_HOURS = 48;

/** Companion-app activation links (/plus/activate/{code}) work once and only this long after they are made. */
export const ACTIVATION_LINK_TTL_MINUTES = 15;
