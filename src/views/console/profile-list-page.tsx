/** Seed: Profile List — Name (sortable), Endpoint for external API (with copy), Default, Action. */
import type { User } from '../../domain/user';
import { EditDeleteCell } from './confirm-page';
import { paths } from './paths';
import { ConsoleShell, CopyButton } from './shell';

/** What the Delete buttons of the list and the editor ask. */
export const deleteProfileQuestion = (name: string): string =>
  `Delete the profile “${name}”? Its API tokens are deleted with it, and applications calling its endpoint will get 404.`;

export interface ProfileRow {
  name: string;
  isDefault: boolean;
  endpoint: string;
}

export function ProfileListPage(props: { user: User; profiles: ProfileRow[]; sort: 'asc' | 'desc'; canEdit: boolean; flash?: string }) {
  const { profiles, sort, canEdit } = props;
  return (
    <ConsoleShell title="Magic Link Endpoints" user={props.user} section="profiles" flash={props.flash}>
      <div class="page-head">
        <div>
          <h1>Magic Link Endpoints</h1>
          <p>Each profile is an endpoint that applications call to authenticate a user by SMS or Mideye+.</p>
        </div>
        {canEdit && (
          <a class="button primary" href="/admin/profiles/new" data-testid="new-profile">
            <span aria-hidden="true">+</span> New profile
          </a>
        )}
      </div>
      <div class="table-wrap">
        <table class="responsive" data-testid="profile-table">
          <caption class="visually-hidden">Endpoint profiles, sorted by name {sort === 'asc' ? 'ascending' : 'descending'}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={sort === 'asc' ? 'ascending' : 'descending'}>
                <a href={`/admin/profiles?sort=${sort === 'asc' ? 'desc' : 'asc'}`} data-testid="sort-name">
                  Name
                  <span class="sort-arrow" aria-hidden="true">
                    {sort === 'asc' ? '▲' : '▼'}
                  </span>
                  <span class="visually-hidden">{sort === 'asc' ? ', sort descending' : ', sort ascending'}</span>
                </a>
              </th>
              <th scope="col">Endpoint for external API</th>
              <th scope="col">Default</th>
              {canEdit && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {profiles.map((profile) => (
              <tr data-testid="profile-row" data-profile={profile.name}>
                <td data-label="Name">
                  <a class="strong" href={paths.profile(profile.name)} data-testid="profile-name">
                    {profile.name}
                  </a>
                </td>
                <td data-label="Endpoint">
                  <div class="url">
                    <code data-testid="profile-endpoint">{profile.endpoint}</code>
                    <CopyButton text={profile.endpoint} label={`Copy the endpoint URL of ${profile.name}`} />
                  </div>
                </td>
                <td data-label="Default">
                  {profile.isDefault ? (
                    <span class="default-mark" data-testid="default-mark">
                      <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" d="m5 12 5 5 9-10" />
                      </svg>
                      <span class="visually-hidden">Default endpoint</span>
                    </span>
                  ) : (
                    <span class="muted">
                      <span aria-hidden="true">–</span>
                      <span class="visually-hidden">No</span>
                    </span>
                  )}
                </td>
                {canEdit && (
                  <EditDeleteCell
                    name={profile.name}
                    editHref={paths.profile(profile.name)}
                    deleteAction={paths.profileDelete(profile.name)}
                    deleteMessage={deleteProfileQuestion(profile.name)}
                    confirmLabel="Delete profile"
                    testid="profile"
                    deletable={!profile.isDefault}
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
