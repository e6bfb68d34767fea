/**
 * The Assisted login section's named settings: assisted login profiles, LDAP profiles and Entra ID
 * profiles. One list (name, what it is, which endpoints use it) and one tabbed editor, with a Test
 * panel for the repositories. Deleting is refused while an endpoint uses it, so the list says which.
 */
import type { Child } from 'hono/jsx';
import type { DirectoryTestResult } from '../../admin/directory';
import type { User } from '../../domain/user';
import { AssistedNav } from './assisted-nav';
import { ConfirmButton, EditDeleteCell } from './confirm-page';
import { ErrorSummary, sentence, TextField, type FormState } from './form-fields';
import { paths, type AssistedArea } from './paths';
import { settingSummaryFields, SettingFields, type SettingPanel } from './settings-fields';
import { Breadcrumbs, ConsoleShell } from './shell';

/** What differs between the three kinds of named settings. */
export interface NamedSettingsKind {
  area: AssistedArea;
  /** "LDAP profile" */
  noun: string;
  /** "LDAP profiles" */
  title: string;
  intro: string;
  basePath: string;
  /** Element id prefix of the editor's fields. */
  prefix: string;
  panels: SettingPanel[];
  /** The list's column between name and "Used by". */
  summaryLabel: string;
  /** Shown on the new form: what to have ready. */
  newHint?: string;
  /** Repositories have a Test panel: look one id up with the stored settings. */
  test?: { hint: string };
}

export interface NamedSettingsRow {
  name: string;
  summary: Child;
  usedBy: string[];
}

const usedByText = (usedBy: string[]) => (usedBy.length ? usedBy.join(', ') : '–');

export const deleteQuestion = (kind: NamedSettingsKind, name: string): string => `Delete the ${kind.noun} “${name}”? This cannot be undone.`;

function AssistedHead(props: { kind: NamedSettingsKind; children?: Child }) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Assisted login</h1>
          <p>An approver approves another person’s sign-in. Assisted login profiles say who may approve whom; the user repositories say where people are found.</p>
        </div>
        {props.children}
      </div>
      <AssistedNav current={props.kind.area} />
    </>
  );
}

export function NamedSettingsListPage(props: { user: User; kind: NamedSettingsKind; rows: NamedSettingsRow[]; canEdit: boolean; flash?: string }) {
  const { kind, rows, canEdit } = props;
  return (
    <ConsoleShell title={kind.title} user={props.user} section="assisted" flash={props.flash}>
      <AssistedHead kind={kind}>
        {canEdit && (
          <a class="button primary" href={`${kind.basePath}/new`} data-testid={`new-${kind.area}`}>
            <span aria-hidden="true">+</span> New {kind.noun}
          </a>
        )}
      </AssistedHead>
      <p class="hint">{kind.intro}</p>
      <div class="table-wrap">
        <table class="responsive" data-testid={`${kind.area}-table`}>
          <caption class="visually-hidden">{kind.title}, by name</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">{kind.summaryLabel}</th>
              <th scope="col">Used by endpoints</th>
              {canEdit && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td class="empty" colspan={canEdit ? 4 : 3}>
                  No {kind.noun}s yet.
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <tr data-testid={`${kind.area}-row`} data-name={row.name}>
                <td data-label="Name">
                  <a class="strong" href={paths.settingsEditor(kind.basePath, row.name)}>
                    {row.name}
                  </a>
                </td>
                <td data-label={kind.summaryLabel}>{row.summary}</td>
                <td data-label="Used by">{usedByText(row.usedBy)}</td>
                {canEdit && (
                  <EditDeleteCell
                    name={row.name}
                    editHref={paths.settingsEditor(kind.basePath, row.name)}
                    deleteAction={paths.settingsDelete(kind.basePath, row.name)}
                    deleteMessage={deleteQuestion(kind, row.name)}
                    confirmLabel={`Delete ${kind.noun}`}
                    testid={kind.area}
                    deletable={row.usedBy.length === 0}
                  />
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ConsoleShell>
  );
}

function TestResult(props: { result: DirectoryTestResult }) {
  const { result } = props;
  const took = `${result.ms} ms`;
  if (!result.ok)
    return (
      <div class="alert error test-result" role="alert" data-testid="test-result" data-outcome="failed">
        <p>
          <strong>The directory could not be used:</strong> {result.message} ({took}).
        </p>
      </div>
    );
  if (!result.found)
    return (
      <div class="alert warning test-result" role="status" data-testid="test-result" data-outcome="not-found">
        <p>
          Connected, but nobody was found: {result.message} ({took}).
        </p>
      </div>
    );
  return (
    <div class="alert ok test-result" role="status" data-testid="test-result" data-outcome="found">
      <p>
        <strong>Found {result.displayName || result.ref}</strong> ({took}).
      </p>
      <dl class="facts">
        <dt>Reference</dt>
        <dd>
          <code>{result.ref}</code>
        </dd>
        <dt>Phone</dt>
        <dd data-testid="test-phone">{result.phone ?? `none usable: ${result.phoneProblem ?? 'no number'}`}</dd>
        <dt>Groups</dt>
        <dd data-testid="test-groups">{result.groups.length ? result.groups.join(', ') : 'none'}</dd>
        <dt>Manager</dt>
        <dd>{result.managerRef ?? 'none'}</dd>
      </dl>
    </div>
  );
}

export interface NamedSettingsEditorProps {
  user: User;
  kind: NamedSettingsKind;
  flash?: string;
  /** The stored settings when editing; absent when creating. */
  stored?: { name: string; usedBy: string[] };
  form: FormState;
  canEdit: boolean;
  /** The Test panel's id field and, after a test, what it found. */
  test?: { form: FormState; result?: DirectoryTestResult };
}

export function NamedSettingsEditorPage(props: NamedSettingsEditorProps) {
  const { kind, stored, form, canEdit } = props;
  const action = stored ? paths.settingsEditor(kind.basePath, stored.name) : `${kind.basePath}/new`;
  const heading = stored ? `${sentence(kind.noun)} “${stored.name}”` : `New ${kind.noun}`;
  return (
    <ConsoleShell title={heading} user={props.user} section="assisted" flash={props.flash}>
      <Breadcrumbs trail={[{ label: 'Assisted login', href: '/admin/assisted' }, { label: kind.title, href: kind.basePath }, { label: stored?.name ?? `New ${kind.noun}` }]} />
      <div class="page-head">
        <div>
          <h1>{heading}</h1>
          {stored && (
            <p data-testid="used-by">
              {stored.usedBy.length ? `Used by the endpoint profile${stored.usedBy.length > 1 ? 's' : ''} ${stored.usedBy.join(', ')}.` : 'No endpoint profile uses it yet.'}
            </p>
          )}
          {!stored && kind.newHint && <p>{kind.newHint}</p>}
        </div>
        {stored && canEdit && stored.usedBy.length === 0 && (
          <ConfirmButton
            action={paths.settingsDelete(kind.basePath, stored.name)}
            message={deleteQuestion(kind, stored.name)}
            confirmLabel={`Delete ${kind.noun}`}
            label={`Delete ${kind.noun}`}
            testid={`delete-${kind.area}`}
          />
        )}
      </div>
      {!canEdit && (
        <div class="alert info" role="note" data-testid="read-only-notice">
          You have read-only access: you can see these settings but not change them.
        </div>
      )}
      <ErrorSummary errors={form.errors} fields={settingSummaryFields(kind.prefix, kind.panels)} />
      <div class="tabs" data-tabs data-tabs-label={`${kind.noun} settings`}>
        <form method="post" action={action} data-testid={`${kind.area}-form`}>
          {kind.panels.map((panel) => (
            <section class="panel" id={`${kind.prefix}-${panel.id}`} data-tab-panel data-testid={`panel-${panel.id}`}>
              <h2 class="panel-title">{panel.title}</h2>
              {panel.hint && <p class="hint">{panel.hint}</p>}
              <SettingFields prefix={kind.prefix} fields={panel.fields} form={form} readonly={!canEdit} storedName={stored?.name} />
            </section>
          ))}
          {canEdit && (
            <div class="form-actions">
              <button class="button primary" type="submit" data-testid={`save-${kind.area}`}>
                {stored ? 'Save changes' : `Create ${kind.noun}`}
              </button>
              <a class="button" href={stored ? paths.settingsEditor(kind.basePath, stored.name) : kind.basePath}>
                {stored ? 'Discard changes' : 'Cancel'}
              </a>
            </div>
          )}
        </form>
      </div>
      {stored && kind.test && props.test && (
        <section class="card" aria-labelledby="test-title" data-testid="test-panel">
          <h2 id="test-title">Test</h2>
          <p class="hint">{kind.test.hint}</p>
          {canEdit ? (
            <form method="post" action={paths.settingsTest(kind.basePath, stored.name)} class="inline-form" data-testid="test-form">
              <TextField id={`${kind.prefix}-test-id`} name="id" label="User id to look up" hideLabel placeholder="User id, e.g. alice" form={props.test.form} required maxlength={255} testid="test-id" />
              <button class="button" type="submit" data-testid="run-test">
                Test
              </button>
            </form>
          ) : (
            <p class="hint">Testing needs the administrator role: it signs in to the directory with the stored credential.</p>
          )}
          {props.test.result && <TestResult result={props.test.result} />}
        </section>
      )}
    </ConsoleShell>
  );
}
