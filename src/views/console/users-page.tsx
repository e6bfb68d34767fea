/** Administrator accounts (superadmins only): create, change role, reset password, disable and enable. */
import { PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH } from '../../domain/constants';
import { ROLES, type User } from '../../domain/user';
import { emptyForm, ErrorSummary, FieldError, Select, TextField, type FormState } from './form-fields';
import { paths, type UserAction } from './paths';
import { ConsoleShell, ROLE_LABEL } from './shell';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABEL[role] }));
const ROLE_HELP = 'Read-only users see everything but change nothing; administrators manage profiles and API tokens; super administrators also manage accounts.';

/** The form the page answers after a refused submission, so its errors and values show in the right place. */
export type UsersFormKey = 'create' | `${UserAction}:${string}`;

export interface UsersPageProps {
  user: User;
  users: User[];
  flash?: string;
  active?: { key: UsersFormKey; form: FormState };
}

const slug = (username: string) => username.replace(/[^A-Za-z0-9_-]/g, '_');

function AccountRow(props: { account: User; self: boolean; active?: UsersPageProps['active'] }) {
  const { account, self } = props;
  const formFor = (action: UserAction, values: Record<string, string>): FormState =>
    props.active?.key === `${action}:${account.username}` ? props.active.form : emptyForm(values);
  const roleForm = formFor('role', { role: account.role });
  const passwordForm = formFor('password', {});
  const disabledForm = formFor('disabled', {});
  const id = slug(account.username);
  return (
    <li class="account-item" data-testid="user-row" data-username={account.username}>
      <div class="account-head">
        <strong class="account-name">{account.username}</strong>
        {self && <span class="badge accent">You</span>}
        <span class="badge" data-testid="user-role">
          {ROLE_LABEL[account.role]}
        </span>
        <span class={account.disabled ? 'badge off' : 'badge ok'} data-testid="user-status">
          {account.disabled ? 'Disabled' : 'Active'}
        </span>
      </div>
      <div class="account-actions">
        {self ? (
          <div>
            <p class="hint">This is your account: your own role and status cannot be changed here, so one super administrator always remains.</p>
            <FieldError id={`role-${id}`} error={roleForm.errors['role']} />
            <FieldError id={`disabled-${id}`} error={disabledForm.errors['disabled']} />
          </div>
        ) : (
          <form method="post" action={paths.userAction(account.username, 'role')} class="inline-form" data-testid="change-role-form">
            <Select id={`role-${id}`} name="role" label={`Role of ${account.username}`} hideLabel form={roleForm} options={ROLE_OPTIONS} />
            <button class="button small" type="submit">
              Change role
            </button>
          </form>
        )}
        <form method="post" action={paths.userAction(account.username, 'password')} class="inline-form" data-testid="reset-password-form">
          <TextField
            id={`password-${id}`}
            name="password"
            type="password"
            label={`New password for ${account.username}`}
            form={passwordForm}
            required
            minlength={PASSWORD_MIN_LENGTH}
            autocomplete="new-password"
            placeholder="New password"
            hideLabel
          />
          <button class="button small" type="submit">
            Reset password
          </button>
        </form>
        {!self && (
          <form method="post" action={paths.userAction(account.username, 'disabled')} class="inline-form single" data-testid="toggle-disabled-form">
            <input type="hidden" name="disabled" value={account.disabled ? 'false' : 'true'} />
            <button class={account.disabled ? 'button small' : 'button small danger'} type="submit">
              {account.disabled ? 'Enable' : 'Disable'}
            </button>
            <FieldError id={`disabled-${id}`} error={disabledForm.errors['disabled']} />
          </form>
        )}
      </div>
    </li>
  );
}

export function UsersPage(props: UsersPageProps) {
  const createForm = props.active?.key === 'create' ? props.active.form : emptyForm({ role: 'admin' });
  return (
    <ConsoleShell title="Users" user={props.user} section="users" flash={props.flash}>
      <div class="page-head">
        <div>
          <h1>Administrator accounts</h1>
          <p>{ROLE_HELP}</p>
        </div>
      </div>
      <div class="users-layout">
        <section class="card" aria-labelledby="new-account-title">
          <h2 id="new-account-title">New account</h2>
          <ErrorSummary
            id="create-user-errors"
            errors={createForm.errors}
            fields={{ username: ['new-username', 'Username'], password: ['new-password', 'Password'], role: ['new-role', 'Role'] }}
            title="The account was not created"
          />
          <form method="post" action="/admin/users" data-testid="create-user-form">
            <TextField
              id="new-username"
              name="username"
              label="Username"
              form={createForm}
              required
              minlength={USERNAME_MIN_LENGTH}
              maxlength={USERNAME_MAX_LENGTH}
              hint="Letters, digits, “.”, “_”, “@” and “-”."
            />
            <TextField
              id="new-password"
              name="password"
              type="password"
              label="Password"
              form={createForm}
              required
              minlength={PASSWORD_MIN_LENGTH}
              autocomplete="new-password"
              hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            />
            <Select id="new-role" name="role" label="Role" form={createForm} options={ROLE_OPTIONS} required />
            <button class="button primary" type="submit">
              Create account
            </button>
          </form>
        </section>
        <section aria-labelledby="accounts-title">
          <h2 id="accounts-title">Accounts</h2>
          <ul class="account-list" data-testid="user-list">
            {props.users.map((account) => (
              <AccountRow account={account} self={account.id === props.user.id} active={props.active} />
            ))}
          </ul>
        </section>
      </div>
    </ConsoleShell>
  );
}
