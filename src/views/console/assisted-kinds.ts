/** The editors of assisted login profiles and of the LDAP and Entra ID repositories: their tabs and fields. */
import { ASSISTED_LOGIN_KINDS, MAX_APPROVERS_ASKED } from '../../domain/assisted-login';
import type { NamedSettingsKind } from './named-settings-pages';
import { ASSISTED_PATHS } from './paths';

export const ASSISTED_KIND_LABEL: Record<(typeof ASSISTED_LOGIN_KINDS)[number], string> = {
  normal: 'Normal (LDAP and local users)',
  federation: 'Federation (Entra ID)',
};

export const ASSISTED_PROFILE_NAME_CHECK = '/admin/api/assisted-login-profile-name-check';

export const ASSISTED_PROFILE_KIND: NamedSettingsKind = {
  area: 'profiles',
  noun: 'assisted login profile',
  title: 'Assisted login profiles',
  intro: 'Who may approve whom. An endpoint profile chooses one on its Assisted Login tab, with the repositories where users and approvers are looked up.',
  basePath: ASSISTED_PATHS.profiles,
  prefix: 'assisted',
  summaryLabel: 'Kind',
  panels: [
    {
      id: 'general',
      title: 'General',
      fields: [
        { name: 'name', label: 'Profile name', kind: 'text', required: true, maxlength: 255, hint: 'Unique. Letters, digits, spaces, “.”, “_” and “-”.', nameCheck: ASSISTED_PROFILE_NAME_CHECK, testid: 'assisted-name' },
        {
          name: 'kind',
          label: 'Kind',
          kind: 'select',
          required: true,
          options: ASSISTED_LOGIN_KINDS.map((value) => ({ value, label: ASSISTED_KIND_LABEL[value] })),
          hint: 'Normal: groups and managers from LDAP directories and the local user database. Federation: from Entra ID through Microsoft Graph.',
        },
        {
          name: 'notificationAttribute',
          label: 'Notification attribute',
          kind: 'text',
          maxlength: 100,
          emptyMeansDefault: true,
          hint: 'The directory attribute that names the user to the approver ({user} in the texts). Empty: displayName.',
        },
        { name: 'sessionTimeoutSeconds', label: 'Session timeout (seconds)', kind: 'number', min: 15, max: 300, required: true, hint: 'How long an approver has to answer: 15–300.' },
      ],
    },
    {
      id: 'approvers',
      title: 'Approvers',
      hint: `Who may approve. When the user names no approver, everyone the rule allows is asked at once (at most ${MAX_APPROVERS_ASKED}); the first answer counts. Nobody approves their own sign-in.`,
      fields: [
        { name: 'approverIdAttributes', label: 'Approver id attributes', kind: 'lines', hint: 'Which attributes identify an approver when a user types one, e.g. sAMAccountName, uid, mail, mobile.' },
        { name: 'approverGroups', label: 'Approver groups', kind: 'lines', hint: 'Members of these groups (name or DN) may approve.', testid: 'approver-groups' },
        { name: 'approverIdentities', label: 'Approver identities', kind: 'lines', hint: 'These people (by an approver id attribute) may approve.', testid: 'approver-identities' },
        { name: 'managerApproves', label: 'The user’s manager approves', kind: 'checkbox', hint: 'The directory’s manager attribute, or Entra ID’s manager.', testid: 'manager-approves' },
        {
          name: 'groupsMatchingPartInCn',
          label: 'Groups matching part in CN',
          kind: 'checkbox',
          hint: 'Team groups: a “*” in a user group and in an approver group stands for the same part, so a member of team-red-users is approved by team-red-approvers.',
        },
      ],
    },
    {
      id: 'users',
      title: 'Users',
      fields: [{ name: 'userGroups', label: 'User groups', kind: 'lines', hint: 'The users this profile serves: members of these groups. Empty: anyone found in the repositories.' }],
    },
  ],
};

export const LDAP_PROFILE_KIND: NamedSettingsKind = {
  area: 'ldap',
  noun: 'LDAP profile',
  title: 'LDAP profiles',
  intro: 'Active Directory or OpenLDAP directories, reached from the Worker over TLS. A deployed Worker reaches only public addresses: see the README’s “Assisted login” for Entra Domain Services secure LDAP, Google Secure LDAP or a Cloudflare Tunnel.',
  basePath: ASSISTED_PATHS.ldap,
  prefix: 'ldap',
  summaryLabel: 'Directory',
  newHint: 'Have ready: the directory’s address, a read-only bind account and the base DN where people are.',
  panels: [
    {
      id: 'connection',
      title: 'Connection',
      fields: [
        { name: 'name', label: 'Name', kind: 'text', required: true, maxlength: 255, testid: 'ldap-name' },
        { name: 'url', label: 'URL', kind: 'text', required: true, maxlength: 500, placeholder: 'ldaps://ldap.example.com:636', hint: 'ldaps://host:636 (TLS), or ldap://host:389 upgraded with StartTLS.', testid: 'ldap-url' },
        { name: 'startTls', label: 'Use StartTLS (ldap:// only)', kind: 'checkbox', hint: 'Off sends the bind password unencrypted: only for a directory on the same trusted network.', testid: 'ldap-starttls' },
        { name: 'bindDn', label: 'Bind DN', kind: 'text', required: true, maxlength: 500, placeholder: 'cn=sfwa-reader,dc=example,dc=com', testid: 'ldap-bind-dn' },
        { name: 'bindPassword', label: 'Bind password', kind: 'secret', required: true, maxlength: 500, testid: 'ldap-bind-password' },
        { name: 'timeoutSeconds', label: 'Timeout (seconds)', kind: 'number', min: 1, max: 30, required: true, hint: 'For connecting and each search: 1–30. A directory that does not answer in time is reported as unavailable.' },
      ],
    },
    {
      id: 'search',
      title: 'Search',
      fields: [
        { name: 'baseDn', label: 'Base DN', kind: 'text', required: true, maxlength: 500, placeholder: 'ou=people,dc=example,dc=com', testid: 'ldap-base-dn' },
        {
          name: 'userFilter',
          label: 'User filter',
          kind: 'text',
          required: true,
          maxlength: 1000,
          placeholder: '(&(objectClass=person)(uid={id}))',
          hint: '{id} is replaced by the id the user typed, escaped so that “*” or “)(” are only text.',
          testid: 'ldap-user-filter',
        },
      ],
    },
    {
      id: 'attributes',
      title: 'Attributes',
      hint: 'Leave a field empty for the usual name.',
      fields: [
        { name: 'phoneAttribute', label: 'Phone attribute', kind: 'text', maxlength: 100, emptyMeansDefault: true, hint: 'Default mobile.' },
        { name: 'displayNameAttribute', label: 'Display name attribute', kind: 'text', maxlength: 100, emptyMeansDefault: true, hint: 'Default displayName.' },
        { name: 'groupAttribute', label: 'Group attribute', kind: 'text', maxlength: 100, emptyMeansDefault: true, hint: 'Default memberOf.' },
        { name: 'managerAttribute', label: 'Manager attribute', kind: 'text', maxlength: 100, emptyMeansDefault: true, hint: 'Default manager.' },
      ],
    },
  ],
  test: { hint: 'Binds with the stored settings and looks one person up by the user filter (and as uid, sAMAccountName, mail or mobile), saying what it found or why not.' },
};

export const ENTRA_PROFILE_KIND: NamedSettingsKind = {
  area: 'entra',
  noun: 'Entra ID profile',
  title: 'Entra ID profiles',
  intro: 'Microsoft Entra ID (Azure AD) tenants, read through Microsoft Graph with an app registration’s client credentials.',
  basePath: ASSISTED_PATHS.entra,
  prefix: 'entra',
  summaryLabel: 'Tenant',
  newHint: 'Register an application in the tenant with the Microsoft Graph application permissions User.Read.All and GroupMember.Read.All (admin consent), and create a client secret.',
  panels: [
    {
      id: 'application',
      title: 'Application',
      fields: [
        { name: 'name', label: 'Name', kind: 'text', required: true, maxlength: 255 },
        { name: 'tenantId', label: 'Directory (tenant) id', kind: 'text', required: true, maxlength: 255, placeholder: 'contoso.onmicrosoft.com or its GUID' },
        { name: 'clientId', label: 'Application (client) id', kind: 'text', required: true, maxlength: 36, placeholder: '00000000-0000-0000-0000-000000000000' },
        { name: 'clientSecret', label: 'Client secret', kind: 'secret', required: true, maxlength: 500, hint: 'The secret’s value, not its id.' },
      ],
    },
  ],
  test: { hint: 'Gets a token with the stored credentials and looks one person up (user principal name, mail or id), saying what it found or why not.' },
};
