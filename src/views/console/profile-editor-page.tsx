/**
 * Seed: Profile Editor — tabs General Settings, Assisted Login, User Messages, Rate limits, Abuse
 * protection, Callbacks, and API Token Management when editing an existing profile. Without JavaScript the tab panels are shown
 * one under the other, each with its heading; console.js turns them into tabs.
 */
import type { Child } from 'hono/jsx';
import { MESSAGE_MAX_LENGTH, PROFILE_NAME_MAX_LENGTH, RATE_LIMIT_MAX_PER_HOUR, SMS_BUDGET_MAX, UNEXPECTED_BLOCK_MAX_MINUTES } from '../../domain/constants';
import type { UserMessages } from '../../domain/profile';
import type { User } from '../../domain/user';
import { DIALECTS, DIALECT_LABELS, TOUCH_TIMEOUT_SECONDS } from '../../domain/dialect';
import { Checkbox, ErrorSummary, Select, TextArea, TextField, type FormState } from './form-fields';
import { ConfirmButton } from './confirm-page';
import { CountryPicker } from './country-picker';
import { paths } from './paths';
import { deleteProfileQuestion } from './profile-list-page';
import { RepositoryChooser } from './repository-chooser';
import { Breadcrumbs, ConsoleShell, CopyButton } from './shell';
import { ASSISTED_KIND_LABEL } from './assisted-kinds';
import type { AssistedLoginKind } from '../../domain/assisted-login';
import { TokenPanel, type TokenPanelProps } from './token-views';
import { CALLBACK_HOSTS_MAX } from '../../domain/callback';
import { CallbackSecretForms, CallbackSecretStatus, SIGNATURE_HEADERS } from './callback-views';

type MessageSet = 'touchMessages' | 'assistedMessages';

const MESSAGE_SETS: { key: MessageSet; legend: string; description: string }[] = [
  { key: 'touchMessages', legend: 'Touch Accept Messages', description: 'Shown during push-based (Mideye+) authentication.' },
  { key: 'assistedMessages', legend: 'Assisted Login Messages', description: 'Shown in the assisted login flow, where an approver validates the user.' },
];

// Seed (User Messages tab): the seven fields of a message set; the limits are MESSAGE_MAX_LENGTH.
const MESSAGE_FIELDS: { key: keyof UserMessages; label: string; multiline: boolean }[] = [
  { key: 'titleText', label: 'Title text', multiline: false },
  { key: 'smsText', label: 'SMS text', multiline: false },
  { key: 'buttonAcceptText', label: 'Button label for accept', multiline: false },
  { key: 'buttonRejectText', label: 'Button label for reject', multiline: false },
  { key: 'authenticationText', label: 'Information text in authentication page', multiline: true },
  { key: 'touchAcceptedText', label: 'Information text in touch accepted page', multiline: true },
  { key: 'touchRejectedText', label: 'Information text in touch rejected page', multiline: true },
];

/** Element id of a form field: "touchMessages.smsText" -> "profile-touchMessages-smsText". */
export const profileFieldId = (name: string): string => `profile-${name.replace(/\./g, '-')}`;

const LABELS: Record<string, string> = {
  name: 'Name',
  dialect: 'Response dialect',
  plusActivationLinks: 'Enable plus activation links',
  usePlusIfActivated: 'Use Mideye+ if activated',
  'assistedLogin.profile': 'Assisted login profile',
  'assistedLogin.useLocalDatabase': 'Use Mideye database',
  'assistedLogin.ldapProfiles': 'LDAP Profiles',
  'assistedLogin.entraProfiles': 'Azure Active Directories (Entra ID)',
  'rateLimit.perMinute': 'Per minute',
  'rateLimit.perHour': 'Per hour',
  unexpectedBlockMinutes: 'Block after “This wasn’t me” (minutes)',
  allowedCountries: 'Allowed countries',
  'smsBudget.perHour': 'SMS budget per hour',
  'smsBudget.perDay': 'SMS budget per day',
  callbackHosts: 'Allowed callback hosts',
  smsSender: 'SMS sender',
  ...Object.fromEntries(
    MESSAGE_SETS.flatMap((set) => MESSAGE_FIELDS.map((field) => [`${set.key}.${field.key}`, `${field.label} (${set.legend})`])),
  ),
};

/** Every field of the profile form by name, for the error summary's links. */
const SUMMARY_FIELDS: Record<string, [string, string]> = Object.fromEntries(
  Object.entries(LABELS).map(([name, label]) => [name, [profileFieldId(name), label]]),
);

export interface ProfileEditorProps {
  user: User;
  flash?: string;
  /** The stored profile when editing; absent when creating. */
  stored?: { name: string; isDefault: boolean; endpoint: string; callbackSecretCreatedAt: Date | null };
  form: FormState;
  canEdit: boolean;
  /** Only when editing (seed: the API Token Management tab is hidden during creation). */
  tokens?: TokenPanelProps;
  /** The deployment's DEFAULT_ALLOWED_COUNTRIES, for the allowed countries' "default" choice. */
  defaultCountries: readonly string[];
  /** What the Assisted Login tab chooses from. */
  assisted: AssistedChoices;
}

export interface AssistedChoices {
  profiles: { name: string; kind: AssistedLoginKind }[];
  ldapProfiles: string[];
  entraProfiles: string[];
}

const REPOSITORY_CHOOSERS = [
  {
    kind: 'ldap',
    legend: 'LDAP Profiles',
    hint: 'For normal profiles. Tick the directories to search; the numbers give the order (1 first).',
    emptyText: 'No LDAP profiles yet.',
    errorField: 'assistedLogin.ldapProfiles',
  },
  {
    kind: 'entra',
    legend: 'Azure Active Directories (Entra ID)',
    hint: 'For federation profiles. Tick the tenants to search; the numbers give the order (1 first).',
    emptyText: 'No Entra ID profiles yet.',
    errorField: 'assistedLogin.entraProfiles',
  },
] as const;

/** "None" and each assisted login profile with its kind; a stored name that no longer exists stays selected, flagged. */
function assistedProfileOptions(choices: AssistedChoices, selected: string) {
  const options = [{ value: '', label: 'None' }, ...choices.profiles.map(({ name, kind }) => ({ value: name, label: `${name} · ${ASSISTED_KIND_LABEL[kind]}` }))];
  if (selected && !choices.profiles.some((profile) => profile.name === selected)) options.push({ value: selected, label: `${selected} (no longer exists)` });
  return options;
}

function Panel(props: { id: string; title: string; children: Child }) {
  return (
    <section class="panel" id={props.id} data-tab-panel data-testid={`panel-${props.id}`}>
      <h2 class="panel-title">{props.title}</h2>
      {props.children}
    </section>
  );
}

export function ProfileEditorPage(props: ProfileEditorProps) {
  const { stored, form, canEdit } = props;
  const readonly = !canEdit;
  const title = stored ? `Profile “${stored.name}”` : 'New profile';
  const field = (name: string) => ({ id: profileFieldId(name), name, form, readonly });
  const nameLocked = stored?.isDefault === true;
  return (
    <ConsoleShell title={stored ? `Profile ${stored.name}` : 'New profile'} user={props.user} section="profiles" flash={props.flash}>
      <Breadcrumbs trail={[{ label: 'Profiles', href: '/admin/profiles' }, { label: stored ? stored.name : 'New profile' }]} />
      <div class="page-head">
        <div>
          <h1>
            {title}
            {stored?.isDefault && <span class="badge accent">Default</span>}
          </h1>
          {stored && (
            <div class="url endpoint">
              <span class="muted">Endpoint:</span>
              <code data-testid="profile-endpoint">{stored.endpoint}</code>
              <CopyButton text={stored.endpoint} label="Copy the endpoint URL" />
            </div>
          )}
        </div>
        {stored && canEdit && !stored.isDefault && (
          <ConfirmButton action={paths.profileDelete(stored.name)} message={deleteProfileQuestion(stored.name)} confirmLabel="Delete profile" label="Delete profile" testid="delete-profile" />
        )}
      </div>
      {readonly && (
        <div class="alert info" role="note" data-testid="read-only-notice">
          You have read-only access: you can see this profile's settings but not change them.
        </div>
      )}
      <ErrorSummary errors={form.errors} fields={SUMMARY_FIELDS} />
      <div class="tabs" data-tabs data-tabs-label="Profile settings">
        <form id="profile-form" method="post" action={stored ? paths.profile(stored.name) : '/admin/profiles/new'} data-testid="profile-form">
          <Panel id="general" title="General Settings">
            <TextField
              {...field('name')}
              label="Name"
              required
              readonly={readonly || nameLocked}
              maxlength={PROFILE_NAME_MAX_LENGTH}
              hint={
                nameLocked
                  ? 'The default profile serves /api/sfwa/auth and keeps its name.'
                  : 'Unique. Part of the endpoint URL: letters, digits, “.”, “_” and “-”, starting with a letter or digit.'
              }
              status={canEdit && !nameLocked ? 'check' : undefined}
              nameCheck={canEdit && !nameLocked ? { url: '/admin/api/profile-name-check', original: stored?.name ?? '' } : undefined}
              testid="profile-name"
            />
            <Select
              {...field('dialect')}
              label="Response dialect"
              options={DIALECTS.map((dialect) => ({ value: dialect, label: DIALECT_LABELS[dialect] }))}
              hint={`What the endpoint answers. Cloud API: the default (touch-timeout ${TOUCH_TIMEOUT_SECONDS.cloud.min}–${TOUCH_TIMEOUT_SECONDS.cloud.max} s, default ${TOUCH_TIMEOUT_SECONDS.cloud.default}). Mideye Server: for applications written for Mideye Server's Magic Link API (touch-timeout ${TOUCH_TIMEOUT_SECONDS.server.min}–${TOUCH_TIMEOUT_SECONDS.server.max} s, default ${TOUCH_TIMEOUT_SECONDS.server.default}; refusals answer BAD_REQUEST with the reason beside it).`}
              testid="profile-dialect"
            />
            <Checkbox {...field('plusActivationLinks')} label="Enable plus activation links" hint="Include Mideye+ app activation links in authentication messages." />
            <Checkbox {...field('usePlusIfActivated')} label="Use Mideye+ if activated" hint="Prefer Mideye+ push authentication for users who have activated the app." />
          </Panel>
          <Panel id="assisted-login" title="Assisted Login">
            <p class="hint">
              An approver approves the user’s sign-in: the calling application names the user (<code>username</code> or <code>msisdn</code>) and may name the
              approver (<code>approver</code>). Choose the rule, and the repositories where users and approvers are looked up, in order.{' '}
              <a href="/admin/assisted">Manage assisted login</a>.
            </p>
            <Select
              {...field('assistedLogin.profile')}
              label="Assisted login profile"
              options={assistedProfileOptions(props.assisted, form.values['assistedLogin.profile'] ?? '')}
              hint="None: the endpoint authenticates the phone number it is given. With a profile, every call is an assisted login."
              testid="assisted-profile"
            />
            <Checkbox {...field('assistedLogin.useLocalDatabase')} label="Use Mideye database" hint="Search the local user database (normal profiles)." testid="use-local-database" />
            <div class="grid-2">
              {REPOSITORY_CHOOSERS.map((chooser) => (
                <RepositoryChooser
                  {...chooser}
                  id={profileFieldId(chooser.errorField)}
                  available={chooser.kind === 'ldap' ? props.assisted.ldapProfiles : props.assisted.entraProfiles}
                  form={form}
                  readonly={readonly}
                />
              ))}
            </div>
          </Panel>
          <Panel id="user-messages" title="User Messages">
            <p class="hint">Texts shown to the person authenticating. Leave a field empty to use the built-in English or Swedish text.</p>
            {MESSAGE_SETS.map((set) => (
              <fieldset data-testid={`fieldset-${set.key}`}>
                <legend>{set.legend}</legend>
                <p class="hint">{set.description}</p>
                <div class="grid-2">
                  {MESSAGE_FIELDS.filter((f) => !f.multiline).map((f) => (
                    <TextField {...field(`${set.key}.${f.key}`)} label={f.label} maxlength={MESSAGE_MAX_LENGTH[f.key]} />
                  ))}
                </div>
                {MESSAGE_FIELDS.filter((f) => f.multiline).map((f) => (
                  <TextArea {...field(`${set.key}.${f.key}`)} label={f.label} maxlength={MESSAGE_MAX_LENGTH[f.key]} rows={3} />
                ))}
              </fieldset>
            ))}
            <TextField
              {...field('smsSender')}
              label="SMS sender"
              maxlength={16}
              hint="What the phone shows as the sender of this endpoint’s magic links: 3–11 letters and digits (at least one letter, no spaces), or a number of your provider account in international format. Empty uses the deployment’s sender."
            />
          </Panel>
          <Panel id="rate-limits" title="Rate limits">
            <p class="hint">How many authentications one phone number may receive through this endpoint. Requests above the limit get 429.</p>
            <div class="grid-2">
              <TextField {...field('rateLimit.perMinute')} label="Per minute" type="number" min={1} max={RATE_LIMIT_MAX_PER_HOUR} required hint="At most the per-hour limit." />
              <TextField {...field('rateLimit.perHour')} label="Per hour" type="number" min={1} max={RATE_LIMIT_MAX_PER_HOUR} required hint={`1–${RATE_LIMIT_MAX_PER_HOUR}.`} />
            </div>
            <TextField
              {...field('unexpectedBlockMinutes')}
              label="Block after “This wasn’t me” (minutes)"
              type="number"
              min={0}
              max={UNEXPECTED_BLOCK_MAX_MINUTES}
              required
              hint={`When a person reports a request as not theirs, further requests to that number through this endpoint get 429 for this long. 0 turns it off; at most ${UNEXPECTED_BLOCK_MAX_MINUTES} (7 days).`}
            />
          </Panel>
          <Panel id="abuse-protection" title="Abuse protection">
            <p class="hint">
              The SMS toll-fraud guard. Only mobile numbers are ever sent to; premium-rate, shared-cost, toll-free, satellite and other special numbers are
              refused for every endpoint.
            </p>
            <CountryPicker form={form} readonly={readonly} defaultCountries={props.defaultCountries} />
            <fieldset>
              <legend>SMS budget</legend>
              <p class="hint">
                The most SMS this endpoint sends across all numbers, in any sliding hour and day. Above it, requests get 429 with reason “budget” and nothing is
                sent; pushes to the companion app do not count.
              </p>
              <div class="grid-2">
                <TextField {...field('smsBudget.perHour')} label="Per hour" type="number" min={1} max={SMS_BUDGET_MAX} required hint="At most the per-day budget." testid="sms-budget-hour" />
                <TextField {...field('smsBudget.perDay')} label="Per day" type="number" min={1} max={SMS_BUDGET_MAX} required hint={`1–${SMS_BUDGET_MAX.toLocaleString('en')}.`} testid="sms-budget-day" />
              </div>
            </fieldset>
          </Panel>
          <Panel id="callbacks" title="Callbacks">
            <p class="hint">
              A caller may name a <code>callback-url</code> (https, on one of the hosts below): when the authentication settles, the outcome is POSTed there as
              JSON, retried with back-off for up to an hour. The receiver checks it came from here by computing the HMAC-SHA256 of{' '}
              <code>{'<timestamp>.<raw body>'}</code> with the callback secret and comparing it with the signature header:
            </p>
            <p data-testid="callback-signature-format">
              <code>{SIGNATURE_HEADERS[0]}</code>
              <br />
              <code>{SIGNATURE_HEADERS[1]}</code>
            </p>
            <TextArea
              {...field('callbackHosts')}
              label="Allowed callback hosts"
              rows={4}
              hint={`One host per line, such as hooks.example.com; *.example.com allows its subdomains; add :port for a port other than 443. At most ${CALLBACK_HOSTS_MAX}. None: callbacks are off.`}
              testid="callback-hosts"
            />
            <CallbackSecretStatus createdAt={stored ? stored.callbackSecretCreatedAt : undefined} canEdit={canEdit} />
          </Panel>
          {canEdit && (
            <div class="form-actions">
              <button class="button primary" type="submit" data-testid="save-profile">
                {stored ? 'Save changes' : 'Create profile'}
              </button>
              <a class="button" href={stored ? paths.profile(stored.name) : '/admin/profiles'}>
                {stored ? 'Discard changes' : 'Cancel'}
              </a>
            </div>
          )}
        </form>
        {stored && canEdit && <CallbackSecretForms profileName={stored.name} hasSecret={stored.callbackSecretCreatedAt !== null} />}
        {props.tokens && <TokenPanel {...props.tokens} />}
      </div>
    </ConsoleShell>
  );
}
