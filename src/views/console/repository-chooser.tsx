/**
 * The endpoint editor's choice of user repositories (LDAP or Entra ID profiles): one row per profile
 * with a checkbox and its place in the search order, working without JavaScript. A name the endpoint
 * stores that no longer exists is listed too, flagged, so it can be unticked rather than silently lost.
 */
import { sentence, type FormState } from './form-fields';

export type RepositoryKind = 'ldap' | 'entra';

/** Form field names of one repository row: "ldap:corp" (ticked: "on") and "ldap-order:corp" (its place, 1 first). */
export const repositoryFieldName = (kind: RepositoryKind, name: string) => `${kind}:${name}`;
export const repositoryOrderFieldName = (kind: RepositoryKind, name: string) => `${kind}-order:${name}`;

/** The repositories the form has ticked, in their order (a row without a usable number goes after the numbered ones, in page order). */
export function chosenRepositories(values: Record<string, string>, kind: RepositoryKind): string[] {
  const prefix = `${kind}:`;
  const names = Object.keys(values).filter((field) => field.startsWith(prefix) && values[field] !== undefined).map((field) => field.slice(prefix.length));
  const place = (name: string) => {
    const number = Number((values[repositoryOrderFieldName(kind, name)] ?? '').trim() || NaN);
    return Number.isFinite(number) ? number : Infinity;
  };
  return names.map((name, index) => ({ name, index, place: place(name) })).sort((a, b) => a.place - b.place || a.index - b.index).map(({ name }) => name);
}

/** The rows to show: the ticked ones in their order, then the others by name. */
function rows(kind: RepositoryKind, available: string[], form: FormState) {
  const ticked = chosenRepositories(form.values, kind);
  const rest = available.filter((name) => !ticked.includes(name)).sort((a, b) => a.localeCompare(b));
  return [...ticked, ...rest].map((name) => ({ name, ticked: ticked.includes(name), missing: !available.includes(name) }));
}

export function RepositoryChooser(props: { id: string; kind: RepositoryKind; legend: string; hint: string; emptyText: string; available: string[]; form: FormState; errorField: string; readonly: boolean }) {
  const { kind, form } = props;
  const error = form.errors[props.errorField];
  const shown = rows(kind, props.available, form);
  return (
    <fieldset id={props.id} class={error ? 'has-error' : undefined} aria-describedby={`${props.id}-hint${error ? ` ${props.id}-error` : ''}`} data-testid={`chooser-${kind}`}>
      <legend>{props.legend}</legend>
      <p class="hint" id={`${props.id}-hint`}>
        {props.hint}
      </p>
      {shown.length === 0 ? (
        <p class="hint" data-testid={`chooser-${kind}-empty`}>
          {props.emptyText}
        </p>
      ) : (
        <ul class="chooser">
          {shown.map((row, index) => {
            const id = `${props.id}-${index}`;
            return (
              <li data-testid={`repository-${kind}`} data-name={row.name}>
                <input type="checkbox" id={id} name={repositoryFieldName(kind, row.name)} checked={row.ticked} disabled={props.readonly} />
                <label for={id}>
                  {row.name}
                  {row.missing && (
                    <span class="badge danger" data-testid="repository-missing">
                      {' '}
                      no longer exists
                    </span>
                  )}
                </label>
                <input
                  type="number"
                  name={repositoryOrderFieldName(kind, row.name)}
                  value={form.values[repositoryOrderFieldName(kind, row.name)] ?? ''}
                  min={1}
                  max={99}
                  readonly={props.readonly}
                  aria-label={`Search order of ${row.name}`}
                  placeholder="order"
                />
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <p class="field-error" id={`${props.id}-error`}>
          {sentence(error)}
        </p>
      )}
    </fieldset>
  );
}
