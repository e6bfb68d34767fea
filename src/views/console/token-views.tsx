/**
 * Seed: API Token Management — the token list with server-side pagination, "Create new API token"
 * and "Import existing API token", and the page that shows a created token once.
 */
import type { ApiToken } from '../../domain/api-token';
import {
  IMPORTED_TOKEN_MAX_LENGTH,
  IMPORTED_TOKEN_MIN_LENGTH,
  TOKEN_NAME_MAX_LENGTH,
  TOKEN_NAME_MIN_LENGTH,
} from '../../domain/constants';
import type { User } from '../../domain/user';
import { ConfirmButton } from './confirm-page';
import { ErrorSummary, TextField, type FormState } from './form-fields';
import { paths } from './paths';
import { Pagination } from './pagination';
import { Breadcrumbs, ConsoleShell, ShownOnceSecret } from './shell';

export interface TokenPanelProps {
  profileName: string;
  list: { items: ApiToken[]; total: number; page: number; size: number };
  canEdit: boolean;
  create: FormState;
  import: FormState;
  now: Date;
}

/** A date-time as "2027-01-31 23:59 UTC": one unambiguous form for every administrator. */
export const formatUtc = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const todayUtc = (now: Date) => now.toISOString().slice(0, 10);

const nameHint = `${TOKEN_NAME_MIN_LENGTH}–${TOKEN_NAME_MAX_LENGTH} characters, no “:” or spaces. Sent as the first part of the api-key header.`;
const expiryHint = 'Optional. The token stops working at the end of this day (UTC). Without a date it never expires.';

function Expiry(props: { token: ApiToken; now: Date }) {
  const { expiresAt } = props.token;
  if (!expiresAt) return <span>N/A</span>;
  const expired = expiresAt.getTime() <= props.now.getTime();
  return (
    <span>
      <time datetime={expiresAt.toISOString()}>
        <span class="nowrap">{formatUtc(expiresAt).slice(0, 10)}</span> <span class="nowrap">{formatUtc(expiresAt).slice(11)}</span>
      </time>
      {expired && <span class="badge off">Expired</span>}
    </span>
  );
}


/** The token name of the create and import forms (seed: 3–42 characters). */
function TokenNameField(props: { id: string; form: FormState }) {
  return <TextField id={props.id} name="name" label="Name" form={props.form} required minlength={TOKEN_NAME_MIN_LENGTH} maxlength={TOKEN_NAME_MAX_LENGTH} hint={nameHint} />;
}

export function TokenPanel(props: TokenPanelProps) {
  const { list, profileName, canEdit, now } = props;
  const createOpen = Object.keys(props.create.errors).length > 0;
  const importOpen = Object.keys(props.import.errors).length > 0;
  return (
    <section class="panel" id="api-tokens" data-tab-panel data-testid="panel-api-tokens">
      <h2 class="panel-title">API Token Management</h2>
      <p class="hint">
        Applications authenticate to this endpoint with the header <code>api-key: {'{name}:{token}'}</code>.
      </p>
      {canEdit && (
        <div class="token-forms">
          <details class="disclosure" open={createOpen} data-testid="create-token">
            <summary>Create new API token</summary>
            <form method="post" action={paths.tokenCreate(profileName)} data-testid="create-token-form">
              <ErrorSummary id="token-create-errors" errors={props.create.errors} fields={{ name: ['token-create-name', 'Name'], expiresAt: ['token-create-expiresAt', 'Expires at'] }} title="The token was not created" />
              <div class="grid-2">
                <TokenNameField id="token-create-name" form={props.create} />
                <TextField id="token-create-expiresAt" name="expiresAt" label="Expires at" type="date" min={todayUtc(now)} form={props.create} hint={expiryHint} />
              </div>
              <button class="button primary" type="submit">
                Create API token
              </button>
            </form>
          </details>
          <details class="disclosure" open={importOpen} data-testid="import-token">
            <summary>Import existing API token</summary>
            <form method="post" action={paths.tokenImport(profileName)} data-testid="import-token-form">
              <ErrorSummary
                id="token-import-errors"
                errors={props.import.errors}
                fields={{ name: ['token-import-name', 'Name'], token: ['token-import-token', 'Plain text token'], expiresAt: ['token-import-expiresAt', 'Expires at'] }}
                title="The token was not imported"
              />
              <div class="grid-2">
                <TokenNameField id="token-import-name" form={props.import} />
                <TextField
                  id="token-import-token"
                  name="token"
                  label="Plain text token"
                  form={props.import}
                  required
                  minlength={IMPORTED_TOKEN_MIN_LENGTH}
                  maxlength={IMPORTED_TOKEN_MAX_LENGTH}
                  hint={`${IMPORTED_TOKEN_MIN_LENGTH}–${IMPORTED_TOKEN_MAX_LENGTH} characters, no spaces. Only its hash is stored.`}
                />
                <TextField id="token-import-expiresAt" name="expiresAt" label="Expires at" type="date" min={todayUtc(now)} form={props.import} hint={expiryHint} />
              </div>
              <button class="button primary" type="submit">
                Import API token
              </button>
            </form>
          </details>
        </div>
      )}
      <div class="table-wrap">
        <table class="compact" data-testid="token-table">
          <caption class="visually-hidden">API tokens of {profileName}</caption>
          <thead>
            <tr>
              <th scope="col">API token name</th>
              <th scope="col">Expires at</th>
              {canEdit && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {list.items.length === 0 && (
              <tr>
                <td colspan={canEdit ? 3 : 2} class="empty">
                  {list.total === 0 ? 'No API tokens yet.' : 'No API tokens on this page.'}
                </td>
              </tr>
            )}
            {list.items.map((token) => (
              <tr data-testid="token-row" data-token={token.name}>
                <td data-label="Name">
                  <code>{token.name}</code>
                  {token.source === 'imported' && <span class="badge">Imported</span>}
                </td>
                <td data-label="Expires at">
                  <Expiry token={token} now={now} />
                </td>
                {canEdit && (
                  <td data-label="Action">
                    <ConfirmButton
                      action={paths.tokenDelete(profileName, token.name)}
                      message={`Delete the API token “${token.name}”? Applications using it will be refused.`}
                      confirmLabel="Delete token"
                      label="Delete"
                      ariaLabel={`Delete API token ${token.name}`}
                      testid="delete-token"
                      small
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <Pagination
          label="API token pages"
          testid="token"
          page={list.page}
          size={list.size}
          total={list.total}
          noun={['token', 'tokens']}
          href={(page) => paths.profileTokens(profileName, { page, size: list.size })}
        />
      </div>
    </section>
  );
}

/** Shown once, as the answer to the creating POST: the secret is never stored, so it cannot be shown again. */
export function TokenCreatedPage(props: { user: User; profileName: string; apiKey: string; token: ApiToken }) {
  const { profileName, apiKey, token } = props;
  return (
    <ConsoleShell title="API token created" user={props.user} section="profiles">
      <Breadcrumbs trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profileName, href: paths.profile(profileName) }, { label: 'New API token' }]} />
      <div class="page-head">
        <h1>API token “{token.name}” created</h1>
      </div>
      <div class="card stack narrow-card">
        <div class="alert warning" role="alert">
          <strong>Copy this token now — you will not see it again.</strong> Only a hash of it is stored, so nobody can show it to you later. If it is lost, delete
          the token and create a new one.
        </div>
        <ShownOnceSecret
          id="created-token"
          label={
            <>
              API key, sent as the <code>api-key</code> header
            </>
          }
          value={apiKey}
          copyLabel="Copy the API key"
        />
        <dl class="facts">
          <dt>Profile</dt>
          <dd>{profileName}</dd>
          <dt>Expires at</dt>
          <dd>{token.expiresAt ? formatUtc(token.expiresAt) : 'N/A'}</dd>
        </dl>
        <p class="actions">
          <a class="button primary" href={paths.profileTokens(profileName)} data-testid="token-created-done">
            Done — back to API tokens
          </a>
        </p>
      </div>
    </ConsoleShell>
  );
}
