/**
 * The profile editor's Callbacks tab, its callback secret part: whether there is a secret, and the
 * buttons that create, replace or delete it; and the page that shows a new secret once.
 */
import type { User } from '../../domain/user';
import { paths } from './paths';
import { Breadcrumbs, ConsoleShell, ShownOnceSecret } from './shell';
import { formatUtc } from './token-views';

export const callbackSecretPaths = {
  /** POST makes (or replaces) the secret; GET, the no-JavaScript confirmation of replacing it. */
  create: (profileName: string): string => `/admin/profiles/${encodeURIComponent(profileName)}/callback-secret`,
  delete: (profileName: string): string => `/admin/profiles/${encodeURIComponent(profileName)}/callback-secret/delete`,
  /** The editor's Callbacks tab. */
  tab: (profileName: string): string => `${paths.profile(profileName)}#callbacks`,
};

/** The headers a callback is signed with, as the receiver sees them. */
export const SIGNATURE_HEADERS = ['x-sfwa-timestamp: <unix seconds>', 'x-sfwa-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>'] as const;

export const replaceSecretQuestion = (profileName: string): string => `Replace the callback secret of “${profileName}”?`;
export const REPLACE_SECRET_WARNING = 'The old secret stops working at once: receivers must be given the new one.';

// The buttons stand inside the profile form's Callbacks panel, but a form cannot hold another: they
// submit these forms, which stand outside it (the `form` attribute), so each works without JavaScript.
const FORM_ID = { create: 'callback-secret-create', replace: 'callback-secret-replace', delete: 'callback-secret-delete' } as const;

/** The forms the secret buttons submit; rendered outside the profile form. Replace and Delete ask first (see ConfirmButton). */
export function CallbackSecretForms(props: { profileName: string; hasSecret: boolean }) {
  const { profileName } = props;
  if (!props.hasSecret) return <form id={FORM_ID.create} method="post" action={callbackSecretPaths.create(profileName)} />;
  return (
    <>
      <form id={FORM_ID.replace} method="get" action={callbackSecretPaths.create(profileName)} data-confirm={`${replaceSecretQuestion(profileName)} ${REPLACE_SECRET_WARNING}`} data-confirm-label="Replace callback secret" />
      <form
        id={FORM_ID.delete}
        method="get"
        action={callbackSecretPaths.delete(profileName)}
        data-confirm={`Delete the callback secret of “${profileName}”? Callers naming a callback-url are refused until a new one is created.`}
        data-confirm-label="Delete callback secret"
      />
    </>
  );
}

/** The secret's state and, for an administrator, its buttons. `createdAt` undefined: the profile is not saved yet. */
export function CallbackSecretStatus(props: { createdAt: Date | null | undefined; canEdit: boolean }) {
  const { createdAt, canEdit } = props;
  return (
    <fieldset data-testid="callback-secret">
      <legend>Callback secret</legend>
      {createdAt === undefined ? (
        <p class="hint" data-testid="callback-secret-state">
          Save the profile first: its callback secret is created afterwards.
        </p>
      ) : (
        <>
          <p data-testid="callback-secret-state">
            {createdAt ? (
              <>
                Created <time datetime={createdAt.toISOString()}>{formatUtc(createdAt)}</time>
              </>
            ) : (
              'No callback secret yet'
            )}
          </p>
          {canEdit && createdAt && (
            <p class="hint" data-testid="replace-secret-warning">
              Replacing makes a new secret, shown only once. {REPLACE_SECRET_WARNING}
            </p>
          )}
          {canEdit && (
            <div class="actions">
              {createdAt ? (
                <>
                  <button class="button danger" type="submit" form={FORM_ID.replace} data-testid="replace-callback-secret">
                    Replace callback secret
                  </button>
                  <button class="button danger" type="submit" form={FORM_ID.delete} data-testid="delete-callback-secret">
                    Delete callback secret
                  </button>
                </>
              ) : (
                <button class="button" type="submit" form={FORM_ID.create} data-testid="create-callback-secret">
                  Create callback secret
                </button>
              )}
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}

/** Shown once, as the answer to the creating POST: the secret is stored sealed and never shown again. */
export function CallbackSecretCreatedPage(props: { user: User; profileName: string; secret: string; createdAt: Date; replaced: boolean }) {
  const { profileName, secret } = props;
  return (
    <ConsoleShell title="Callback secret created" user={props.user} section="profiles">
      <Breadcrumbs trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: profileName, href: callbackSecretPaths.tab(profileName) }, { label: 'New callback secret' }]} />
      <div class="page-head">
        <h1>Callback secret of “{profileName}” created</h1>
      </div>
      <div class="card stack narrow-card">
        <div class="alert warning" role="alert">
          <strong>Copy this secret now — it is shown only once.</strong> Nobody can show it to you later. If it is lost, replace it with a new one.
          {props.replaced && ' The previous secret no longer works: give this one to the receivers.'}
        </div>
        <ShownOnceSecret
          id="created-callback-secret"
          label={
            <>
              Callback secret, for checking <code>x-sfwa-signature</code>
            </>
          }
          value={secret}
          copyLabel="Copy the callback secret"
        />
        <dl class="facts">
          <dt>Profile</dt>
          <dd>{profileName}</dd>
          <dt>Created</dt>
          <dd>{formatUtc(props.createdAt)}</dd>
        </dl>
        <p class="actions">
          <a class="button primary" href={callbackSecretPaths.tab(profileName)} data-testid="callback-secret-created-done">
            Done — back to Callbacks
          </a>
        </p>
      </div>
    </ConsoleShell>
  );
}
