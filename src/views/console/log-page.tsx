/** The authentication log: filters, the dashboard (totals and two server-rendered SVG charts), the list and its CSV export. */
import { AUTH_LOG_OUTCOMES, type AuthLogReason, type AuthLogSummary, type AuthLogView } from '../../domain/auth-log';
import type { User } from '../../domain/user';
import { DurationHistogram, OUTCOME_LABELS, OutcomesOverTime } from '../charts';
import { FilterActions, Select, TextField, type FormState } from './form-fields';
import { Pagination } from './pagination';
import { ConsoleShell } from './shell';

const REASON_LABELS: Record<AuthLogReason, string> = { unexpected: "Reported: wasn't me", 'match-mismatch': 'Wrong number picked', budget: 'SMS budget used up' };

export interface LogPageProps {
  user: User;
  form: FormState;
  profileNames: string[];
  /** Null when the filters were refused: the errors show beside them and nothing is listed. */
  list: { items: AuthLogView[]; page: number; size: number; total: number } | null;
  summary: AuthLogSummary | null;
  /** The list's URL for a page, and the CSV export's, both with the current filters. */
  pageHref: (page: number) => string;
  csvHref: string;
}

const OUTCOME_BADGE: Record<string, string> = { ACCEPT: 'ok', REJECT: 'off', DELIVERY_FAILED: 'off' };
const APPROVER_VERB: Record<string, string> = { ACCEPT: 'approved by', REJECT: 'rejected by' };

/** An assisted login's user and the approver who answered ("alice, approved by maria"); nothing for a direct one. */
function AssistedCell(props: { entry: AuthLogView }) {
  const { entry } = props;
  if (entry.mode !== 'assisted') return <td data-label="User / approver">–</td>;
  return (
    <td data-label="User / approver">
      <span data-testid="log-assisted-user">{entry.user}</span>
      {entry.approver ? (
        <span class="muted">
          , {APPROVER_VERB[entry.outcome] ?? 'answered by'} <span data-testid="log-approver">{entry.approver}</span>
        </span>
      ) : (
        <span class="muted">, no approver answered</span>
      )}
    </td>
  );
}

const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

function Totals(props: { summary: AuthLogSummary }) {
  const { totals, durations } = props.summary;
  const all = Object.values(totals).reduce((sum, n) => sum + n, 0);
  const tiles: [string, string | number][] = [
    ['Authentications', all],
    [OUTCOME_LABELS.ACCEPT, totals.ACCEPT],
    [OUTCOME_LABELS.REJECT, totals.REJECT],
    [OUTCOME_LABELS.TIMEOUT, totals.TIMEOUT],
    ['Median answer', seconds(durations.medianMs)],
    ['95th percentile', seconds(durations.p95Ms)],
  ];
  return (
    <dl class="tiles" data-testid="log-totals">
      {tiles.map(([label, value]) => (
        <div class="tile">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function LogPage(props: LogPageProps) {
  const { form, list, summary } = props;
  return (
    <ConsoleShell title="Authentication log" user={props.user} section="log">
      <div class="page-head">
        <div>
          <h1>Authentication log</h1>
          <p>Every authentication, with its outcome and how long the user took; an assisted login names the user and the approver who answered. Phone numbers are masked; times are UTC.</p>
        </div>
        <a class="button" href={props.csvHref} download data-testid="log-csv">
          Export CSV
        </a>
      </div>
      <form method="get" action="/admin/log" class="card filters" data-testid="log-filters">
        <div class="grid-4">
          <Select
            id="log-profile"
            name="profile"
            label="Profile"
            form={form}
            options={[{ value: '', label: 'All profiles' }, ...props.profileNames.map((name) => ({ value: name, label: name }))]}
          />
          <Select id="log-outcome" name="outcome" label="Outcome" form={form} options={[{ value: '', label: 'All outcomes' }, ...AUTH_LOG_OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))]} />
          <TextField id="log-from" name="from" label="From (UTC)" type="datetime-local" form={form} />
          <TextField id="log-to" name="to" label="To (UTC)" type="datetime-local" form={form} />
        </div>
        <p class="hint">Without a time range the charts show the last 24 hours.</p>
        <FilterActions clearHref="/admin/log" />
      </form>
      {summary && (
        <section aria-labelledby="dashboard-title" class="dashboard">
          <h2 id="dashboard-title" class="visually-hidden">
            Dashboard
          </h2>
          <Totals summary={summary} />
          <div class="grid-2 charts">
            <figure class="card">
              <figcaption>Outcomes per {summary.bucket}</figcaption>
              <OutcomesOverTime summary={summary} />
            </figure>
            <figure class="card">
              <figcaption>Time to answer (accepted and rejected)</figcaption>
              <DurationHistogram summary={summary} />
            </figure>
          </div>
        </section>
      )}
      {list && (
        <section aria-labelledby="entries-title">
          <h2 id="entries-title">Entries</h2>
          {list.total === 0 ? (
            <p class="muted" data-testid="log-empty">
              No authentications match these filters.
            </p>
          ) : (
            <div class="table-wrap">
              <table class="responsive" data-testid="auth-log-table">
                <caption class="visually-hidden">Authentications, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col">Profile</th>
                    <th scope="col">Token</th>
                    <th scope="col">Phone number</th>
                    <th scope="col">User / approver</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Duration</th>
                    <th scope="col">SMS delivery</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((entry) => (
                    <tr data-testid="auth-log-row">
                      <td data-label="Time">
                        <time datetime={entry.startedAt}>{entry.startedAt.slice(0, 19).replace('T', ' ')}</time>
                      </td>
                      <td data-label="Profile">{entry.profile}</td>
                      <td data-label="Token">{entry.token}</td>
                      <td data-label="Phone number">
                        <code>{entry.msisdn}</code>
                      </td>
                      <AssistedCell entry={entry} />
                      <td data-label="Channel">{entry.channel.toUpperCase()}</td>
                      <td data-label="Outcome">
                        <span class={`badge ${OUTCOME_BADGE[entry.outcome] ?? ''}`} data-outcome={entry.outcome}>
                          {OUTCOME_LABELS[entry.outcome]}
                        </span>
                        {entry.reason && (
                          <span class="badge danger" data-testid="log-reason" data-reason={entry.reason}>
                            {REASON_LABELS[entry.reason as AuthLogReason]}
                          </span>
                        )}
                      </td>
                      <td data-label="Duration">{seconds(entry.durationMs)}</td>
                      <td data-label="SMS delivery" data-testid="log-delivery" data-delivery={entry.delivery}>
                        {entry.delivery ? (
                          <>
                            <span class={`badge ${entry.delivery === 'failed' ? 'danger' : ''}`}>{entry.delivery === 'delivered' ? 'Delivered' : 'Not delivered'}</span>{' '}
                            <time datetime={entry.deliveryAt}>{entry.deliveryAt.slice(11, 19)}</time>
                          </>
                        ) : (
                          <span class="muted">–</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pagination label="Log pages" testid="log" page={list.page} size={list.size} total={list.total} noun={['authentication', 'authentications']} href={props.pageHref} />
            </div>
          )}
        </section>
      )}
    </ConsoleShell>
  );
}
