/** The console's URLs, built in one place for links, form actions and redirects. */

const segment = encodeURIComponent;

/** The editor of a profile. "/admin/profiles/new" is the creation form, so a profile named "new" is edited at ".../new/edit". */
const profile = (name: string): string => (name === 'new' ? '/admin/profiles/new/edit' : `/admin/profiles/${segment(name)}`);

/** An assisted login settings list (/admin/assisted/ldap ...): the same "new" rule as profiles. */
const settingsEditor = (base: string, name: string): string => (name === 'new' ? `${base}/new/edit` : `${base}/${segment(name)}`);

export const ASSISTED_PATHS = {
  profiles: '/admin/assisted/profiles',
  users: '/admin/assisted/users',
  ldap: '/admin/assisted/ldap',
  entra: '/admin/assisted/entra',
} as const;
export type AssistedArea = keyof typeof ASSISTED_PATHS;

export type UserAction = 'role' | 'password' | 'disabled';

export const paths = {
  profile,
  profileDelete: (name: string): string => `/admin/profiles/${segment(name)}/delete`,
  /** The API Token Management tab of the editor; with `page`, one page of the token list. */
  profileTokens: (name: string, page?: { page: number; size: number }): string =>
    `${profile(name)}${page ? `?page=${page.page}&size=${page.size}` : ''}#api-tokens`,
  tokenCreate: (profileName: string): string => `/admin/profiles/${segment(profileName)}/tokens`,
  tokenImport: (profileName: string): string => `/admin/profiles/${segment(profileName)}/tokens/import`,
  tokenDelete: (profileName: string, tokenName: string): string => `/admin/profiles/${segment(profileName)}/tokens/${segment(tokenName)}/delete`,
  settingsEditor,
  settingsDelete: (base: string, name: string): string => `${base}/${segment(name)}/delete`,
  settingsTest: (base: string, name: string): string => `${base}/${segment(name)}/test`,
  /** "/admin/assisted/users/import" takes a CSV file, so a user named "import", like "new", is edited at ".../edit". */
  directoryUser: (username: string): string =>
    username === 'import' ? `${ASSISTED_PATHS.users}/import/edit` : settingsEditor(ASSISTED_PATHS.users, username),
  directoryUserDelete: (username: string): string => `${ASSISTED_PATHS.users}/${segment(username)}/delete`,
  userAction: (username: string, action: UserAction): string => `/admin/users/${segment(username)}/${action}`,
};
