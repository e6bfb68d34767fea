import { describe, expect, it } from 'vitest';
import { authLogSummary, type SummaryCounts } from '../../src/domain/auth-log';
import { DurationHistogram, OutcomesOverTime } from '../../src/views/charts';

const range = { fromMs: Date.parse('2026-11-25T10:00:00Z'), toMs: Date.parse('2026-11-25T13:00:00Z'), bucket: 'hour' as const };
const noCounts: SummaryCounts = { perBucket: [], perDuration: [], medianMs: null, p95Ms: null };
const summary = authLogSummary(range, {
  perBucket: [
    { bucketStartMs: Date.parse('2026-11-25T10:00:00Z'), outcome: 'ACCEPT', count: 3 },
    { bucketStartMs: Date.parse('2026-11-25T10:00:00Z'), outcome: 'REJECT', count: 1 },
    { bucketStartMs: Date.parse('2026-11-25T12:00:00Z'), outcome: 'TIMEOUT', count: 2 },
  ],
  perDuration: [
    { index: 0, count: 1 },
    { index: 2, count: 3 },
  ],
  medianMs: 6200,
  p95Ms: 9100,
});

const render = (element: unknown) => String(element);
const count = (svg: string, pattern: RegExp) => svg.match(pattern)?.length ?? 0;

describe('OutcomesOverTime', () => {
  it('draws one stacked bar segment per outcome and bucket, with a legend and hour labels', () => {
    const svg = render(<OutcomesOverTime summary={summary} />);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('aria-label="Authentications per hour by outcome, 2026-11-25 10:00 UTC to 2026-11-25 13:00 UTC: 6 in all');
    expect(count(svg, /class="bar bar-ACCEPT"/g)).toBe(1);
    expect(count(svg, /class="bar bar-REJECT"/g)).toBe(1);
    expect(count(svg, /class="bar bar-TIMEOUT"/g)).toBe(1);
    expect(count(svg, /class="bar /g)).toBe(3);
    for (const legend of ['Accepted', 'Rejected', 'Timed out', 'Cancelled', 'Delivery failed']) expect(svg).toContain(`>${legend}</text>`);
    for (const hour of ['10:00', '11:00', '12:00']) expect(svg).toContain(`>${hour}</text>`);
    expect(svg).toContain('<title>2026-11-25 12:00 UTC: Timed out 2</title>');
    expect(svg).toContain('fill="currentColor"');
    expect(svg).not.toContain('No authentications');
  });

  it('says so when the period has no authentications', () => {
    const svg = render(<OutcomesOverTime summary={authLogSummary(range, noCounts)} />);
    expect(svg).toContain('No authentications in this period');
    expect(svg).toContain(': 0 in all"');
    expect(svg).not.toContain('class="bar ');
  });
});

describe('DurationHistogram', () => {
  it('draws a bar per non-empty duration bucket, labels every bucket, and states median and p95', () => {
    const svg = render(<DurationHistogram summary={summary} />);
    expect(count(svg, /class="bar bar-duration"/g)).toBe(2);
    for (const label of ['0–2 s', '2–5 s', '5–10 s', '10–20 s', '20–30 s', '30–60 s', '60+ s']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('median 6.2 s, 95th percentile 9.1 s');
    expect(svg).toMatch(/aria-label="Response times of answered authentications, [^"]*: 4 answered; median 6.2 s/);
  });

  it('says so when nobody answered', () => {
    const svg = render(<DurationHistogram summary={authLogSummary(range, noCounts)} />);
    expect(svg).toContain('No answered authentications in this period');
    expect(svg).not.toContain('class="bar ');
    expect(svg).not.toContain('median');
  });
});
