/** The console's URLs, built in one place for links, form actions and redirects. */

const segment = encodeURIComponent;

/** The editor of a profile. "/admin/profiles/new" is the creation form, so a profile named "new" is edited at ".../new/edit". */
const profile = (name: string): string => (name === 'new' ? '/admin/profiles/new/edit' : `/admin/profiles/${segment(name)}`);

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
  userAction: (username: string, action: UserAction): string => `/admin/users/${segment(username)}/${action}`,
};
