/**
 * The dashboard's charts as server-rendered SVG, no client script: authentications per time bucket
 * stacked by outcome, and the response-time histogram. Both take the summary of
 * GET /admin/api/auth-log/summary. Text and axes are drawn in currentColor, so they follow the
 * page's light or dark theme; bar colours are mid-tones legible on both, and each bar carries a
 * class (`bar-ACCEPT`, `bar-duration`, ...) a stylesheet can recolour.
 */
import type { Child } from 'hono/jsx';
import { AUTH_LOG_OUTCOMES, type AuthLogOutcome, type AuthLogSummary, type DurationBucket } from '../domain/auth-log';

export const OUTCOME_LABELS: Record<AuthLogOutcome, string> = {
  ACCEPT: 'Accepted',
  REJECT: 'Rejected',
  TIMEOUT: 'Timed out',
  CANCELLED: 'Cancelled',
  DELIVERY_FAILED: 'Delivery failed',
};
const OUTCOME_COLOURS: Record<AuthLogOutcome, string> = {
  ACCEPT: '#2e9e5b',
  REJECT: '#d9534f',
  TIMEOUT: '#e0a526',
  CANCELLED: '#8a8fa3',
  DELIVERY_FAILED: '#9b6bd6',
};
const DURATION_COLOUR = '#3f88e0';

const WIDTH = 640;
const HEIGHT = 260;
const PLOT = { left: 44, right: 8, top: 40, bottom: 236 };
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right;
const PLOT_HEIGHT = PLOT.bottom - PLOT.top;
const MAX_X_LABELS = 8;

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const utc = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The y-axis top: the smallest 1, 2 or 5 × 10ⁿ at or above the highest bar. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((step) => step * power).find((top) => top >= value) ?? 10 * power);
}

const yOf = (count: number, yMax: number): number => PLOT.bottom - (count / yMax) * PLOT_HEIGHT;

function YAxis({ yMax }: { yMax: number }) {
  const ticks = yMax === 1 ? [0, 1] : [0, yMax / 2, yMax];
  return (
    <g class="axis" font-size="14" fill="currentColor">
      {ticks.map((tick) => (
        <g>
          <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={yOf(tick, yMax)} y2={yOf(tick, yMax)} stroke="currentColor" stroke-opacity={tick === 0 ? '0.6' : '0.15'} />
          <text x={PLOT.left - 6} y={yOf(tick, yMax) + 4} text-anchor="end">
            {tick}
          </text>
        </g>
      ))}
    </g>
  );
}

function Chart(props: { name: string; label: string; empty: string | null; children: Child }) {
  return (
    <svg class={`chart ${props.name}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={props.label} xmlns="http://www.w3.org/2000/svg">
      <title>{props.label}</title>
      {props.children}
      {props.empty && (
        <text class="empty" x={PLOT.left + PLOT_WIDTH / 2} y={PLOT.top + PLOT_HEIGHT / 2} text-anchor="middle" font-size="14" fill="currentColor" fill-opacity="0.7">
          {props.empty}
        </text>
      )}
    </svg>
  );
}

/** Stacked bars, one per hour or day of the summary's range, one colour per outcome, with a legend. */
export function OutcomesOverTime({ summary }: { summary: AuthLogSummary }) {
  const buckets = summary.overTime;
  const total = sum(Object.values(summary.totals));
  const yMax = niceMax(Math.max(0, ...buckets.map((bucket) => sum(Object.values(bucket.counts)))));
  const slot = PLOT_WIDTH / Math.max(1, buckets.length);
  const labelEvery = Math.ceil(buckets.length / MAX_X_LABELS);
  const label =
    `Authentications per ${summary.bucket} by outcome, ${utc(summary.from)} to ${utc(summary.to)}: ${total} in all` +
    (total > 0 ? ` (${AUTH_LOG_OUTCOMES.map((outcome) => `${OUTCOME_LABELS[outcome]} ${summary.totals[outcome]}`).join(', ')})` : '');

  return (
    <Chart name="outcomes-over-time" label={label} empty={total === 0 ? 'No authentications in this period' : null}>
      <g class="legend" font-size="14" fill="currentColor">
        {AUTH_LOG_OUTCOMES.map((outcome, index) => (
          <g>
            <rect x={PLOT.left + index * 118} y={8} width={10} height={10} fill={OUTCOME_COLOURS[outcome]} class={`bar-${outcome}`} />
            <text x={PLOT.left + index * 118 + 14} y={17}>
              {OUTCOME_LABELS[outcome]}
            </text>
          </g>
        ))}
      </g>
      <YAxis yMax={yMax} />
      {buckets.map((bucket, index) => {
        let top = PLOT.bottom;
        const counted = AUTH_LOG_OUTCOMES.filter((outcome) => bucket.counts[outcome] > 0);
        return (
          <g class="bucket">
            <title>{`${utc(bucket.start)}: ${counted.map((outcome) => `${OUTCOME_LABELS[outcome]} ${bucket.counts[outcome]}`).join(', ') || 'none'}`}</title>
            {counted.map((outcome) => {
              const height = (bucket.counts[outcome] / yMax) * PLOT_HEIGHT;
              top -= height;
              return <rect class={`bar bar-${outcome}`} x={PLOT.left + index * slot + slot * 0.1} y={top} width={slot * 0.8} height={height} fill={OUTCOME_COLOURS[outcome]} />;
            })}
            {index % labelEvery === 0 && (
              <text x={PLOT.left + index * slot + slot / 2} y={HEIGHT - 8} text-anchor="middle" font-size="14" fill="currentColor">
                {summary.bucket === 'hour' ? bucket.start.slice(11, 16) : bucket.start.slice(5, 10)}
              </text>
            )}
          </g>
        );
      })}
    </Chart>
  );
}

const durationLabel = ({ fromMs, toMs }: DurationBucket): string => (toMs === null ? `${fromMs / 1000}+ s` : `${fromMs / 1000}–${toMs / 1000} s`);

/** How long users took to answer (ACCEPT or REJECT): one bar per duration bucket, with the median and 95th percentile. */
export function DurationHistogram({ summary }: { summary: AuthLogSummary }) {
  const { buckets, medianMs, p95Ms } = summary.durations;
  const answered = sum(buckets.map((bucket) => bucket.count));
  const yMax = niceMax(Math.max(0, ...buckets.map((bucket) => bucket.count)));
  const slot = PLOT_WIDTH / buckets.length;
  const percentiles = medianMs === null || p95Ms === null ? null : `median ${seconds(medianMs)}, 95th percentile ${seconds(p95Ms)}`;
  const label = `Response times of answered authentications, ${utc(summary.from)} to ${utc(summary.to)}: ${answered} answered` + (percentiles ? `; ${percentiles}` : '');

  return (
    <Chart name="duration-histogram" label={label} empty={answered === 0 ? 'No answered authentications in this period' : null}>
      {percentiles && (
        <text class="percentiles" x={WIDTH - PLOT.right} y={17} text-anchor="end" font-size="14" fill="currentColor">
          {percentiles}
        </text>
      )}
      <YAxis yMax={yMax} />
      {buckets.map((bucket, index) => (
        <g class="bucket">
          <title>{`${durationLabel(bucket)}: ${bucket.count}`}</title>
          {bucket.count > 0 && (
            <rect class="bar bar-duration" x={PLOT.left + index * slot + slot * 0.1} y={yOf(bucket.count, yMax)} width={slot * 0.8} height={PLOT.bottom - yOf(bucket.count, yMax)} fill={DURATION_COLOUR} />
          )}
          <text x={PLOT.left + index * slot + slot / 2} y={HEIGHT - 8} text-anchor="middle" font-size="14" fill="currentColor">
            {durationLabel(bucket)}
          </text>
        </g>
      ))}
    </Chart>
  );
}
