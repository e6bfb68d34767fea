/** The administrator audit log: filters, the list of changes and sign-ins, its CSV export. */
import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, type AuditAction, type AuditEntryView } from '../../domain/audit';
import type { User } from '../../domain/user';
import { FilterActions, Select, TextField, type FormState } from './form-fields';
import { Pagination } from './pagination';
import { ConsoleShell } from './shell';

export interface AuditPageProps {
  user: User;
  form: FormState;
  /** Null when the filters were refused: the errors show beside them and nothing is listed. */
  list: { items: AuditEntryView[]; page: number; size: number; total: number } | null;
  pageHref: (page: number) => string;
  csvHref: string;
}

const REFUSED: ReadonlySet<AuditAction> = new Set(['sign-in.refused']);

export function AuditPage(props: AuditPageProps) {
  const { form, list } = props;
  return (
    <ConsoleShell title="Audit log" user={props.user} section="audit">
      <div class="page-head">
        <div>
          <h1>Audit log</h1>
          <p>Every change made in the console or the admin API, and every sign-in and refused sign-in: who, from which address, what and to what. Times are UTC.</p>
        </div>
        <a class="button" href={props.csvHref} download data-testid="audit-csv">
          Export CSV
        </a>
      </div>
      <form method="get" action="/admin/audit" class="card filters" data-testid="audit-filters">
        <div class="grid-4">
          <TextField id="audit-actor" name="actor" label="Who (username)" form={form} />
          <Select
            id="audit-action"
            name="action"
            label="Action"
            form={form}
            options={[{ value: '', label: 'All actions' }, ...AUDIT_ACTIONS.map((action) => ({ value: action, label: AUDIT_ACTION_LABELS[action] }))]}
          />
          <TextField id="audit-from" name="from" label="From (UTC)" type="datetime-local" form={form} />
          <TextField id="audit-to" name="to" label="To (UTC)" type="datetime-local" form={form} />
        </div>
        <FilterActions clearHref="/admin/audit" />
      </form>
      {list && (
        <section aria-labelledby="audit-entries-title">
          <h2 id="audit-entries-title">Entries</h2>
          {list.total === 0 ? (
            <p class="muted" data-testid="audit-empty">
              Nothing matches these filters.
            </p>
          ) : (
            <div class="table-wrap">
              <table class="responsive" data-testid="audit-table">
                <caption class="visually-hidden">Changes and sign-ins, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time (UTC)</th>
                    <th scope="col">Who</th>
                    <th scope="col">Address</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    <th scope="col">What changed</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((entry) => (
                    <tr data-testid="audit-row" data-action={entry.action}>
                      <td data-label="Time">
                        <time datetime={entry.at}>{entry.at.slice(0, 19).replace('T', ' ')}</time>
                      </td>
                      <td data-label="Who">{entry.actor}</td>
                      <td data-label="Address">{entry.address ? <code>{entry.address}</code> : <span class="muted">–</span>}</td>
                      <td data-label="Action">
                        <span class={`badge ${REFUSED.has(entry.action as AuditAction) ? 'danger' : ''}`}>{AUDIT_ACTION_LABELS[entry.action as AuditAction]}</span>
                      </td>
                      <td data-label="Target">{entry.target}</td>
                      <td data-label="What changed" class="changes" data-testid="audit-changes">
                        {entry.summary}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pagination label="Audit log pages" testid="audit" page={list.page} size={list.size} total={list.total} noun={['entry', 'entries']} href={props.pageHref} />
            </div>
          )}
        </section>
      )}
    </ConsoleShell>
  );
}
