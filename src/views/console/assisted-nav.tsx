/** The Assisted login section's own navigation: its rules and the three kinds of user repository. */
import { ASSISTED_PATHS, type AssistedArea } from './paths';

const AREAS: { area: AssistedArea; label: string }[] = [
  { area: 'profiles', label: 'Assisted login profiles' },
  { area: 'users', label: 'Local users' },
  { area: 'ldap', label: 'LDAP profiles' },
  { area: 'entra', label: 'Entra ID profiles' },
];

export function AssistedNav(props: { current: AssistedArea }) {
  return (
    <nav class="subnav" aria-label="Assisted login">
      {AREAS.map(({ area, label }) => (
        <a href={ASSISTED_PATHS[area]} aria-current={props.current === area ? 'page' : undefined} data-testid={`subnav-${area}`}>
          {label}
        </a>
      ))}
    </nav>
  );
}
