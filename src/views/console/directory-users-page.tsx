/**
 * The local user database: people that assisted login finds without a directory. A searchable,
 * paged list; one form to add or edit a person; and a CSV import. Phone numbers are shown masked
 * only: the stored number is encrypted and is never written into a page.
 */
import type { StoredDirectoryUser } from '../../store/directory';
import type { User } from '../../domain/user';
import { AssistedNav } from './assisted-nav';
import { ConfirmButton, EditDeleteCell } from './confirm-page';
import { Checkbox, ErrorSummary, sentence, TextArea, TextField, type FormState } from './form-fields';
import { Pagination } from './pagination';
import { ASSISTED_PATHS, paths } from './paths';
import { Breadcrumbs, ConsoleShell } from './shell';

export const IMPORT_HEADER = 'username,displayName,phone,email,groups,manager';

const USER_FIELDS: Record<string, [string, string]> = {
  username: ['user-username', 'Username'],
  displayName: ['user-displayName', 'Display name'],
  phone: ['user-phone', 'Phone'],
  email: ['user-email', 'Email'],
  groups: ['user-groups', 'Groups'],
  manager: ['user-manager', 'Manager'],
};

export const deleteUserQuestion = (username: string) => `Delete “${username}” from the local user database? Assisted login will no longer find them. This cannot be undone.`;

export interface DirectoryUserListProps {
  user: User;
  users: StoredDirectoryUser[];
  search: string;
  page: number;
  size: number;
  total: number;
  canEdit: boolean;
  flash?: string;
  /** The import form after a refused import: what was pasted and why it was refused. */
  importForm: FormState;
}

const listHref = (search: string) => (page: number) => `${ASSISTED_PATHS.users}?${new URLSearchParams({ ...(search ? { search } : {}), page: String(page) })}`;

export function DirectoryUserListPage(props: DirectoryUserListProps) {
  const { users, canEdit, search } = props;
  const importErrors = Object.entries(props.importForm.errors);
  return (
    <ConsoleShell title="Local users" user={props.user} section="assisted" flash={props.flash}>
      <div class="page-head">
        <div>
          <h1>Assisted login</h1>
          <p>The local user database: people assisted login finds without a directory, with their groups and manager.</p>
        </div>
        {canEdit && (
          <a class="button primary" href={`${ASSISTED_PATHS.users}/new`} data-testid="new-user">
            <span aria-hidden="true">+</span> New user
          </a>
        )}
      </div>
      <AssistedNav current="users" />
      <form method="get" action={ASSISTED_PATHS.users} class="inline-form" role="search" data-testid="user-search">
        <label for="user-search" class="visually-hidden">
          Search users
        </label>
        <input type="search" id="user-search" name="search" value={search} maxlength={255} placeholder="Username, name or email" />
        <button class="button" type="submit">
          Search
        </button>
        {search && (
          <a class="button" href={ASSISTED_PATHS.users}>
            Clear
          </a>
        )}
      </form>
      <div class="table-wrap">
        <table class="responsive" data-testid="users-table">
          <caption class="visually-hidden">Local users, by username</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Display name</th>
              <th scope="col">Phone</th>
              <th scope="col">Groups</th>
              <th scope="col">Manager</th>
              {canEdit && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {users.length === 0 && (
              <tr>
                <td class="empty" colspan={canEdit ? 6 : 5}>
                  {search ? `Nobody matches “${search}”.` : 'No local users yet: add one, or import a CSV file below.'}
                </td>
              </tr>
            )}
            {users.map((person) => (
              <tr data-testid="user-row" data-name={person.username}>
                <td data-label="Username">
                  <a class="strong" href={paths.directoryUser(person.username)}>
                    {person.username}
                  </a>
                </td>
                <td data-label="Display name">{person.displayName || '–'}</td>
                <td data-label="Phone" data-testid="user-phone">
                  {person.phoneMasked ?? 'none'}
                </td>
                <td data-label="Groups">{person.groups.length ? person.groups.join(', ') : '–'}</td>
                <td data-label="Manager">{person.manager ?? '–'}</td>
                {canEdit && (
                  <EditDeleteCell
                    name={person.username}
                    editHref={paths.directoryUser(person.username)}
                    deleteAction={paths.directoryUserDelete(person.username)}
                    deleteMessage={deleteUserQuestion(person.username)}
                    confirmLabel="Delete user"
                    testid="user"
                  />
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Local users pages" testid="users" page={props.page} size={props.size} total={props.total} noun={['user', 'users']} href={listHref(search)} />
      {canEdit && (
        <section class="card" aria-labelledby="import-title" data-testid="import-panel">
          <h2 id="import-title">Import from CSV</h2>
          <p class="hint">
            The first line names the columns: <code>{IMPORT_HEADER}</code> (only <code>username</code> is required). Groups are separated by “;”. A
            username already here is updated in the columns given; every row is checked first, and one bad row changes nothing.
          </p>
          {importErrors.length > 0 && (
            <div class="alert error" role="alert" data-testid="import-errors">
              <h3>Nothing was imported</h3>
              <ul>
                {importErrors.map(([field, message]) => (
                  <li>{field === 'csv' || field === '(body)' ? sentence(message) : `${sentence(field)}: ${message}`}</li>
                ))}
              </ul>
            </div>
          )}
          <form method="post" action={`${ASSISTED_PATHS.users}/import`} enctype="multipart/form-data" class="stack" data-testid="import-form">
            <div class="field">
              <label for="import-file">CSV file</label>
              <input type="file" id="import-file" name="file" accept=".csv,text/csv" data-testid="import-file" />
            </div>
            <TextArea id="import-csv" name="csv" label="Or paste the CSV" form={{ values: props.importForm.values, errors: {} }} rows={6} testid="import-csv" />
            <div class="form-actions">
              <button class="button" type="submit" data-testid="run-import">
                Import
              </button>
            </div>
          </form>
        </section>
      )}
    </ConsoleShell>
  );
}

export function DirectoryUserEditorPage(props: { user: User; stored?: StoredDirectoryUser; form: FormState; canEdit: boolean; flash?: string }) {
  const { stored, form, canEdit } = props;
  const heading = stored ? `Local user “${stored.username}”` : 'New local user';
  const action = stored ? paths.directoryUser(stored.username) : `${ASSISTED_PATHS.users}/new`;
  const field = (name: keyof typeof USER_FIELDS) => ({ id: USER_FIELDS[name]![0], name, label: USER_FIELDS[name]![1], form, readonly: !canEdit });
  return (
    <ConsoleShell title={heading} user={props.user} section="assisted" flash={props.flash}>
      <Breadcrumbs trail={[{ label: 'Assisted login', href: '/admin/assisted' }, { label: 'Local users', href: ASSISTED_PATHS.users }, { label: stored?.username ?? 'New user' }]} />
      <div class="page-head">
        <h1>{heading}</h1>
        {stored && canEdit && (
          <ConfirmButton action={paths.directoryUserDelete(stored.username)} message={deleteUserQuestion(stored.username)} confirmLabel="Delete user" label="Delete user" testid="delete-user" />
        )}
      </div>
      {!canEdit && (
        <div class="alert info" role="note" data-testid="read-only-notice">
          You have read-only access: you can see this person but not change them.
        </div>
      )}
      <ErrorSummary errors={form.errors} fields={USER_FIELDS} />
      <form method="post" action={action} class="card stack" data-testid="user-form">
        <TextField {...field('username')} required maxlength={255} hint="The id a user types, or an approver is named by." testid="user-username" />
        <TextField {...field('displayName')} maxlength={255} hint="Shown to the approver ({user} in the texts)." testid="user-display-name" />
        <TextField
          {...field('phone')}
          maxlength={32}
          placeholder={stored?.phoneMasked ? `${stored.phoneMasked} (unchanged)` : '+46701234567'}
          hint={
            stored?.phoneMasked
              ? `Stored encrypted: ${stored.phoneMasked}. Leave empty to keep it, or type a new number in international format.`
              : 'International format. Without one, this person can be found but not asked to approve.'
          }
          testid="user-phone"
        />
        {stored?.phoneMasked && canEdit && <Checkbox id="user-removePhone" name="removePhone" label="Remove the phone number" form={form} testid="user-remove-phone" />}
        <TextField {...field('email')} maxlength={255} testid="user-email" />
        <TextArea {...field('groups')} hint="The groups this person is in, one per line." rows={3} testid="user-groups" />
        <TextField {...field('manager')} maxlength={255} hint="The username of their manager here; empty for none." testid="user-manager" />
        {canEdit && (
          <div class="form-actions">
            <button class="button primary" type="submit" data-testid="save-user">
              {stored ? 'Save changes' : 'Add user'}
            </button>
            <a class="button" href={ASSISTED_PATHS.users}>
              Cancel
            </a>
          </div>
        )}
      </form>
    </ConsoleShell>
  );
}
