import { describe, expect, it } from 'vitest';
import { logEntry, logOutcome, type SessionState, type SessionStatus } from '../../src/auth-session/session-state';
import {
  AUTH_LOG_COLUMNS,
  authLogFilterSchema,
  authLogListQuerySchema,
  authLogSummary,
  authLogView,
  percentileOffset,
  summaryRange,
  type AuthLogEntry,
} from '../../src/domain/auth-log';
import { csvCell, csvLine } from '../../src/domain/csv';

const HOUR_MS = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('the log outcome of a settled session', () => {
  it.each([
    ['accepted', 'ACCEPT'],
    ['rejected', 'REJECT'],
    ['timed_out', 'TIMEOUT'],
    ['cancelled', 'CANCELLED'],
    ['failed', 'DELIVERY_FAILED'],
    ['pending', null],
  ] as const)('%s -> %s', (status, outcome) => {
    expect(logOutcome(status as SessionStatus)).toBe(outcome);
  });

  it('an entry carries the masked number, the names and the time from start to settling', () => {
    const state = { status: 'accepted', createdAtMs: 1000, settledAtMs: 4500, msisdnMasked: '+4670*****67', profileName: 'shop', tokenName: 'web', channel: 'sms' } as SessionState;
    expect(logEntry('abc', state)).toEqual({
      sessionId: 'abc',
      startedAtMs: 1000,
      endedAtMs: 4500,
      profileName: 'shop',
      tokenName: 'web',
      msisdnMasked: '+4670*****67',
      channel: 'sms',
      outcome: 'ACCEPT',
      durationMs: 3500,
    });
    expect(logEntry('abc', { ...state, status: 'pending', settledAtMs: null })).toBeNull();
  });
});

describe('the log filters', () => {
  it('treat blank fields as absent and parse times to epoch ms', () => {
    expect(authLogFilterSchema.parse({ profile: '', outcome: '', from: '2026-11-25T10:00:00Z', to: '' })).toEqual({ from: at('2026-11-25T10:00:00Z') });
    expect(authLogListQuerySchema.parse({ page: '', size: '' })).toEqual({ page: 0, size: 50 });
  });

  it.each([
    [{ outcome: 'MAYBE' }, 'outcome'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-11-25' }, 'to'],
    [{ from: '2026-11-25T10:00:00Z', to: '2026-11-25T10:00:00Z' }, 'to'],
  ])('%j is refused, naming %s', (query, field) => {
    const parsed = authLogFilterSchema.safeParse(query);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([field]);
  });

  it('pages hold at most 200 entries', () => {
    expect(authLogListQuerySchema.safeParse({ size: '201' }).success).toBe(false);
    expect(authLogListQuerySchema.parse({ size: '200', page: '3' })).toMatchObject({ size: 200, page: 3 });
  });
});

describe('the summary range', () => {
  const now = at('2026-11-25T12:30:00Z');
  it('is the last 24 h in hours by default', () => {
    expect(summaryRange({}, now)).toEqual({ ok: true, range: { fromMs: now - 24 * HOUR_MS, toMs: now, bucket: 'hour' } });
  });
  it('counts in hours up to 48 h and in days beyond', () => {
    expect(summaryRange({ from: now - 48 * HOUR_MS }, now)).toMatchObject({ ok: true, range: { bucket: 'hour' } });
    expect(summaryRange({ from: now - 48 * HOUR_MS - 1 }, now)).toMatchObject({ ok: true, range: { bucket: 'day' } });
  });
  it('refuses a start in the future and a range over 366 days', () => {
    expect(summaryRange({ from: now + 1 }, now)).toMatchObject({ ok: false, error: { field: 'from' } });
    expect(summaryRange({ from: now - 367 * 24 * HOUR_MS }, now)).toMatchObject({ ok: false, error: { field: 'from' } });
  });
});

describe('shaping the summary', () => {
  const range = { fromMs: at('2026-11-25T10:30:00Z'), toMs: at('2026-11-25T13:00:00Z'), bucket: 'hour' as const };

  it('has one bucket per hour of the range, empty ones included, and the totals', () => {
    const summary = authLogSummary(range, {
      perBucket: [
        { bucketStartMs: at('2026-11-25T10:00:00Z'), outcome: 'ACCEPT', count: 2 },
        { bucketStartMs: at('2026-11-25T12:00:00Z'), outcome: 'ACCEPT', count: 1 },
        { bucketStartMs: at('2026-11-25T12:00:00Z'), outcome: 'TIMEOUT', count: 3 },
      ],
      perDuration: [],
      medianMs: null,
      p95Ms: null,
    });
    expect(summary.overTime.map((bucket) => bucket.start)).toEqual(['2026-11-25T10:00:00.000Z', '2026-11-25T11:00:00.000Z', '2026-11-25T12:00:00.000Z']);
    expect(summary.overTime[1]?.counts).toEqual({ ACCEPT: 0, REJECT: 0, TIMEOUT: 0, CANCELLED: 0, DELIVERY_FAILED: 0 });
    expect(summary.overTime[2]?.counts).toMatchObject({ ACCEPT: 1, TIMEOUT: 3 });
    expect(summary.totals).toEqual({ ACCEPT: 3, REJECT: 0, TIMEOUT: 3, CANCELLED: 0, DELIVERY_FAILED: 0 });
  });

  it('lists every duration bucket from 0–2 s to 60+ s', () => {
    const { durations } = authLogSummary(range, { perBucket: [], perDuration: [{ index: 1, count: 4 }, { index: 6, count: 1 }], medianMs: 3000, p95Ms: 61_000 });
    expect(durations.buckets.map(({ fromMs, toMs }) => [fromMs, toMs])).toEqual([
      [0, 2000],
      [2000, 5000],
      [5000, 10_000],
      [10_000, 20_000],
      [20_000, 30_000],
      [30_000, 60_000],
      [60_000, null],
    ]);
    expect(durations.buckets.map((bucket) => bucket.count)).toEqual([0, 4, 0, 0, 0, 0, 1]);
    expect(durations).toMatchObject({ medianMs: 3000, p95Ms: 61_000 });
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentileOffset(1, 0.5)).toBe(0);
    expect(percentileOffset(4, 0.5)).toBe(1);
    expect(percentileOffset(5, 0.5)).toBe(2);
    expect(percentileOffset(20, 0.95)).toBe(18);
    expect(percentileOffset(100, 0.95)).toBe(94);
  });
});

describe('CSV', () => {
  it('quotes cells with quotes, commas or line breaks (RFC 4180)', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 42])).toBe('plain,"a,b","say ""hi""","two\nlines",42\r\n');
  });
  it.each(['=1+1', '+4670*****67', '-2', '@SUM(A1)', '\tx'])('defuses a formula start in %j', (value) => {
    expect(csvCell(value)).toMatch(/^"?'/);
  });
  it('the columns are the API view of an entry, in order', () => {
    const entry: AuthLogEntry = { sessionId: 's', startedAtMs: 0, endedAtMs: 1, profileName: 'p', tokenName: 't', msisdnMasked: 'm', channel: 'sms', outcome: 'ACCEPT', reason: null, durationMs: 1 };
    expect(Object.keys(authLogView(entry))).toEqual([...AUTH_LOG_COLUMNS]);
  });
});
