/**
 * The authentication log: one entry per ended session (outcome, profile, token, masked number, how
 * long it took), the filters of its admin API as zod schemas, and the pure shaping of the
 * dashboard summary. No I/O; the clock is passed in.
 */
import * as z from './zod';
import type { FieldError } from './auth-request';
import type { DeliveryStatus } from './delivery-report';
import {
  AUTH_LOG_HOURLY_MAX_HOURS,
  AUTH_LOG_PAGE_SIZE_DEFAULT,
  AUTH_LOG_PAGE_SIZE_MAX,
  AUTH_LOG_SUMMARY_DEFAULT_HOURS,
  AUTH_LOG_SUMMARY_MAX_DAYS,
  PROFILE_NAME_MAX_LENGTH,
} from './constants';
import { logQuerySchemas } from './page';
import { HOUR_MS } from './rate-limit';

export const DAY_MS = 24 * HOUR_MS;

export const AUTH_CHANNELS = ['sms', 'push'] as const;
export type AuthChannel = (typeof AUTH_CHANNELS)[number];

export const AUTH_LOG_OUTCOMES = ['ACCEPT', 'REJECT', 'TIMEOUT', 'CANCELLED', 'DELIVERY_FAILED'] as const;
export type AuthLogOutcome = (typeof AUTH_LOG_OUTCOMES)[number];

/** The user answered: response times are measured on these only (a timeout or failure says nothing about the user). */
export const ANSWERED_OUTCOMES = ['ACCEPT', 'REJECT'] as const satisfies readonly AuthLogOutcome[];

export interface AuthLogEntry {
  /** The session's Durable Object id (hex): at most one entry per session. */
  sessionId: string;
  startedAtMs: number;
  endedAtMs: number;
  profileName: string;
  tokenName: string;
  /** Never the full number (see maskMsisdn). */
  msisdnMasked: string;
  channel: AuthChannel;
  outcome: AuthLogOutcome;
  /** Set when the outcome alone does not say why (see AUTH_LOG_REASONS). */
  reason: AuthLogReason | null;
  durationMs: number;
  /** Assisted login: the user whose sign-in it was, and the approver who answered (null when none did). */
  assistedUser?: string | null;
  approver?: string | null;
  /** The SMS provider's delivery report for the number shown: delivered or failed, and when it came (null: none came, or no SMS). */
  delivery?: DeliveryStatus | null;
  deliveryAtMs?: number | null;
}

/** unexpected: the user reported "this wasn't me"; match-mismatch: they picked the wrong number; budget: no SMS, the profile's SMS budget was used up. */
export const AUTH_LOG_REASONS = ['unexpected', 'match-mismatch', 'budget'] as const;
/** The reasons an answered outcome (200) can carry; `budget` is answered as 429 RATE_LIMITED instead. */
export const OUTCOME_REASONS = ['unexpected', 'match-mismatch'] as const satisfies readonly (typeof AUTH_LOG_REASONS)[number][];
export type AuthLogReason = (typeof AUTH_LOG_REASONS)[number];

/** An entry as the admin API shows it; the CSV export has these columns in this order. */
export const authLogView = (entry: AuthLogEntry) => ({
  startedAt: new Date(entry.startedAtMs).toISOString(),
  profile: entry.profileName,
  token: entry.tokenName,
  msisdn: entry.msisdnMasked,
  channel: entry.channel,
  outcome: entry.outcome,
  reason: entry.reason ?? '',
  durationMs: entry.durationMs,
  mode: entry.assistedUser ? 'assisted' : 'direct',
  user: entry.assistedUser ?? '',
  approver: entry.approver ?? '',
  delivery: entry.delivery ?? '',
  deliveryAt: entry.deliveryAtMs ? new Date(entry.deliveryAtMs).toISOString() : '',
});
export type AuthLogView = ReturnType<typeof authLogView>;
export const AUTH_LOG_COLUMNS = ['startedAt', 'profile', 'token', 'msisdn', 'channel', 'outcome', 'reason', 'durationMs', 'mode', 'user', 'approver', 'delivery', 'deliveryAt'] as const satisfies readonly (keyof AuthLogView)[];

const authLogQueries = logQuerySchemas(
  {
    profile: z.optional(z.string().check(z.maxLength(PROFILE_NAME_MAX_LENGTH, `must be at most ${PROFILE_NAME_MAX_LENGTH} characters`))),
    outcome: z.optional(z.enum(AUTH_LOG_OUTCOMES, { error: `must be one of ${AUTH_LOG_OUTCOMES.join(', ')}` })),
  },
  { default: AUTH_LOG_PAGE_SIZE_DEFAULT, max: AUTH_LOG_PAGE_SIZE_MAX },
);

/** The log's filters; `from` is inclusive and `to` exclusive, both epoch ms once parsed. Blank fields are absent. */
export const authLogFilterSchema = authLogQueries.filter;
export type AuthLogFilter = z.infer<typeof authLogFilterSchema>;

/** The filters and a page of the list (newest first). */
export const authLogListQuerySchema = authLogQueries.list;
export type AuthLogListQuery = z.infer<typeof authLogListQuerySchema>;

export type SummaryBucket = 'hour' | 'day';
export const BUCKET_MS: Record<SummaryBucket, number> = { hour: HOUR_MS, day: DAY_MS };

export interface SummaryRange {
  fromMs: number;
  toMs: number;
  bucket: SummaryBucket;
}

/** The summary's range: the filter's, else the last 24 h up to now; hour buckets up to 48 h, day buckets beyond. */
export function summaryRange(filter: Pick<AuthLogFilter, 'from' | 'to'>, nowMs: number): { ok: true; range: SummaryRange } | { ok: false; error: FieldError } {
  const toMs = filter.to ?? nowMs;
  const fromMs = filter.from ?? toMs - AUTH_LOG_SUMMARY_DEFAULT_HOURS * HOUR_MS;
  if (fromMs >= toMs) return { ok: false, error: { field: 'from', message: 'must be earlier than to (or now)' } };
  if (toMs - fromMs > AUTH_LOG_SUMMARY_MAX_DAYS * DAY_MS) {
    return { ok: false, error: { field: 'from', message: `must be at most ${AUTH_LOG_SUMMARY_MAX_DAYS} days before to` } };
  }
  const bucket = toMs - fromMs <= AUTH_LOG_HOURLY_MAX_HOURS * HOUR_MS ? 'hour' : 'day';
  return { ok: true, range: { fromMs, toMs, bucket } };
}

/** Upper bounds of the response-time buckets: 0–2 s, 2–5, 5–10, 10–20, 20–30, 30–60, 60+ s. */
export const DURATION_BOUNDS_MS = [2_000, 5_000, 10_000, 20_000, 30_000, 60_000] as const;

export type OutcomeCounts = Record<AuthLogOutcome, number>;
export interface DurationBucket {
  fromMs: number;
  /** null: open-ended (60 s and more). */
  toMs: number | null;
  count: number;
}

export interface AuthLogSummary {
  from: string;
  to: string;
  bucket: SummaryBucket;
  totals: OutcomeCounts;
  /** One entry per bucket of the range, empty ones included, oldest first; `start` is the bucket's UTC start. */
  overTime: { start: string; counts: OutcomeCounts }[];
  /** Response times of answered authentications (ACCEPT, REJECT). */
  durations: { buckets: DurationBucket[]; medianMs: number | null; p95Ms: number | null };
}

/** What SQL counts for a summary: outcomes per bucket start, answered sessions per duration bucket index, two percentiles. */
export interface SummaryCounts {
  perBucket: { bucketStartMs: number; outcome: AuthLogOutcome; count: number }[];
  perDuration: { index: number; count: number }[];
  medianMs: number | null;
  p95Ms: number | null;
}

const noOutcomes = (): OutcomeCounts => Object.fromEntries(AUTH_LOG_OUTCOMES.map((outcome) => [outcome, 0])) as OutcomeCounts;

/** Fills the range's buckets (and the duration buckets) with the counted rows; absent ones count 0. */
export function authLogSummary(range: SummaryRange, counts: SummaryCounts): AuthLogSummary {
  const bucketMs = BUCKET_MS[range.bucket];
  const totals = noOutcomes();
  const byStart = new Map<number, OutcomeCounts>();
  for (let start = Math.floor(range.fromMs / bucketMs) * bucketMs; start < range.toMs; start += bucketMs) byStart.set(start, noOutcomes());
  for (const row of counts.perBucket) {
    const bucket = byStart.get(row.bucketStartMs);
    if (bucket) bucket[row.outcome] += row.count;
    totals[row.outcome] += row.count;
  }
  const lowerBounds = [0, ...DURATION_BOUNDS_MS];
  return {
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    bucket: range.bucket,
    totals,
    overTime: [...byStart].map(([start, bucketCounts]) => ({ start: new Date(start).toISOString(), counts: bucketCounts })),
    durations: {
      buckets: lowerBounds.map((fromMs, index) => ({
        fromMs,
        toMs: DURATION_BOUNDS_MS[index] ?? null,
        count: counts.perDuration.find((row) => row.index === index)?.count ?? 0,
      })),
      medianMs: counts.medianMs,
      p95Ms: counts.p95Ms,
    },
  };
}

/** Nearest-rank percentile: the 0-based position in `n` sorted values of the `p` (0–1) percentile. */
export const percentileOffset = (n: number, p: number): number => Math.max(0, Math.ceil(p * n) - 1);
