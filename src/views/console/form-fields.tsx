/**
 * Form controls of the console: every control has a label tied to it, its hint and its error joined by
 * aria-describedby, aria-invalid when refused, and the value the user typed. Length limits arrive as
 * `maxlength` from src/domain/constants.ts; console.js counts characters from that attribute.
 */
import type { Child } from 'hono/jsx';

/** The form's values as typed (checkboxes: "on" when ticked), keyed by field name. */
export type FormValues = Record<string, string>;
/** One message per field name; "(body)" for errors that belong to no field. */
export type FieldErrors = Record<string, string>;
export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, errors: {} });

/** A zod message ("must be at most 20 characters") as a sentence beside its field. */
export const sentence = (message: string): string => message.charAt(0).toUpperCase() + message.slice(1);

interface FieldProps {
  /** Unique on the page (several forms may have a field called "name"). */
  id: string;
  name: string;
  label: string;
  form: FormState;
  hint?: Child;
  required?: boolean;
  readonly?: boolean;
  maxlength?: number;
  minlength?: number;
  autocomplete?: string;
  placeholder?: string;
  testid?: string;
}

function describedBy(id: string, hint: boolean, error: boolean, extra?: string): string | undefined {
  return [hint && `${id}-hint`, extra, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
}

function Label(props: { for: string; label: string; required?: boolean }) {
  return (
    <label for={props.for}>
      {props.label}
      {props.required && (
        <span class="required" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </label>
  );
}

/** A field's label; `hidden` keeps it for screen readers only (one-field inline forms). */
function FieldLabel(props: { id: string; label: string; required?: boolean; hidden?: boolean }) {
  if (!props.hidden) return <Label for={props.id} label={props.label} required={props.required} />;
  return (
    <label for={props.id} class="visually-hidden">
      {props.label}
    </label>
  );
}

function Hint(props: { id: string; hint?: Child }) {
  return props.hint ? (
    <p class="hint" id={`${props.id}-hint`}>
      {props.hint}
    </p>
  ) : null;
}

export function FieldError(props: { id: string; error?: string }) {
  return props.error ? (
    <p class="field-error" id={`${props.id}-error`}>
      {sentence(props.error)}
    </p>
  ) : null;
}

export function TextField(
  props: FieldProps & {
    type?: 'text' | 'password' | 'number' | 'date' | 'datetime-local';
    min?: number | string;
    max?: number | string;
    /** Id of a live status line under the field (the name check writes there). */
    status?: string;
    nameCheck?: { url: string; original: string };
    /** For a one-field inline form: the label is read out but not shown (the placeholder and button say it). */
    hideLabel?: boolean;
  },
) {
  const error = props.form.errors[props.name];
  const type = props.type ?? 'text';
  // Passwords are never written back into a page.
  const value = type === 'password' ? undefined : (props.form.values[props.name] ?? '');
  const statusId = props.status ? `${props.id}-status` : undefined;
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <FieldLabel id={props.id} label={props.label} required={props.required} hidden={props.hideLabel} />
      <Hint id={props.id} hint={props.hint} />
      <input
        id={props.id}
        name={props.name}
        type={type}
        value={value}
        required={props.required}
        readonly={props.readonly}
        maxlength={props.maxlength}
        minlength={props.minlength}
        min={props.min}
        max={props.max}
        autocomplete={props.autocomplete ?? 'off'}
        placeholder={props.placeholder}
        spellcheck={false}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(error), statusId)}
        data-count={props.maxlength && !props.readonly && type !== 'password' ? '' : undefined}
        data-name-check={props.nameCheck?.url}
        data-original={props.nameCheck?.original}
        data-status={statusId}
        data-testid={props.testid}
      />
      {statusId && <p class="hint status" id={statusId} aria-live="polite"></p>}
      <FieldError id={props.id} error={error} />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <Label for={props.id} label={props.label} required={props.required} />
      <Hint id={props.id} hint={props.hint} />
      <textarea
        id={props.id}
        name={props.name}
        rows={props.rows ?? 3}
        required={props.required}
        readonly={props.readonly}
        maxlength={props.maxlength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(error))}
        data-count={props.maxlength && !props.readonly ? '' : undefined}
        data-testid={props.testid}
      >
        {props.form.values[props.name] ?? ''}
      </textarea>
      <FieldError id={props.id} error={error} />
    </div>
  );
}

/** A checkbox; read-only users see it disabled (a checkbox cannot be read-only). */
export function Checkbox(props: Omit<FieldProps, 'maxlength' | 'minlength' | 'required' | 'autocomplete' | 'placeholder'>) {
  const error = props.form.errors[props.name];
  return (
    <div class={error ? 'check has-error' : 'check'}>
      <input
        id={props.id}
        name={props.name}
        type="checkbox"
        checked={props.form.values[props.name] === 'on'}
        disabled={props.readonly}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(error))}
        data-testid={props.testid}
      />
      <label for={props.id}>{props.label}</label>
      <Hint id={props.id} hint={props.hint} />
      <FieldError id={props.id} error={error} />
    </div>
  );
}

export function Select(props: Omit<FieldProps, 'maxlength' | 'minlength' | 'placeholder' | 'autocomplete'> & { options: { value: string; label: string }[]; hideLabel?: boolean }) {
  const error = props.form.errors[props.name];
  const selected = props.form.values[props.name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <FieldLabel id={props.id} label={props.label} required={props.required} hidden={props.hideLabel} />
      <Hint id={props.id} hint={props.hint} />
      <select
        id={props.id}
        name={props.name}
        required={props.required}
        disabled={props.readonly}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.id, Boolean(props.hint), Boolean(error))}
        data-testid={props.testid}
      >
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === selected}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={props.id} error={error} />
    </div>
  );
}

/** A filter form's buttons: apply it, or clear every filter (back to `clearHref`). */
export function FilterActions(props: { clearHref: string }) {
  return (
    <div class="actions">
      <button class="button primary" type="submit">
        Apply filters
      </button>
      <a class="button" href={props.clearHref}>
        Clear
      </a>
    </div>
  );
}

/**
 * The errors of a refused form, listed at its top with links to their fields, so they are found even
 * in a tab that is not showing. `fields` maps field names to [element id, label].
 */
export function ErrorSummary(props: { errors: FieldErrors; fields: Record<string, [id: string, label: string]>; id?: string; title?: string }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  const title =
    props.title ?? (entries.length === 1 ? 'Nothing was saved: one field needs attention' : `Nothing was saved: ${entries.length} fields need attention`);
  return (
    <div class="alert error error-summary" role="alert" id={props.id ?? 'error-summary'} tabindex={-1} data-testid="error-summary">
      <h2>{title}</h2>
      <ul>
        {entries.map(([name, message]) => {
          const field = props.fields[name];
          return <li>{field ? <a href={`#${field[0]}`}>{`${field[1]}: ${message}`}</a> : sentence(message)}</li>;
        })}
      </ul>
    </div>
  );
}
