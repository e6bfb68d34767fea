/**
 * Settings forms described as data: each field's name (the schema's key, so a schema error lands beside
 * it), label, kind and hint. The repository and assisted login editors render their panels from these,
 * and src/console/settings-form.ts turns the submitted form back into the schema's input.
 */
import { Checkbox, Select, TextArea, TextField, type FormState } from './form-fields';

export interface SettingField {
  name: string;
  label: string;
  /**
   * text, a number, a checkbox, a textarea of one entry per line, a choice, or a secret: write-only,
   * never shown again; left empty when editing, the stored one is kept.
   */
  kind: 'text' | 'number' | 'checkbox' | 'lines' | 'select' | 'secret';
  hint?: string;
  required?: boolean;
  maxlength?: number;
  min?: number;
  max?: number;
  placeholder?: string;
  options?: { value: string; label: string }[];
  /** Left empty, the field takes the schema's default (an attribute name) instead of being refused. */
  emptyMeansDefault?: boolean;
  /** A name field: the URL of its live availability check (see src/api/admin/name-check.ts). */
  nameCheck?: string;
  testid?: string;
}

export interface SettingPanel {
  id: string;
  title: string;
  hint?: string;
  fields: SettingField[];
}

/** Element id of a settings field: "ldap-bindDn". */
export const settingFieldId = (prefix: string, name: string): string => `${prefix}-${name.replace(/\./g, '-')}`;

/** For the error summary: field name -> [element id, label]. */
export const settingSummaryFields = (prefix: string, panels: SettingPanel[]): Record<string, [string, string]> =>
  Object.fromEntries(panels.flatMap((panel) => panel.fields.map((field) => [field.name, [settingFieldId(prefix, field.name), field.label]])));

export function SettingFields(props: { prefix: string; fields: SettingField[]; form: FormState; readonly: boolean; storedName?: string }) {
  const editing = props.storedName !== undefined;
  return (
    <>
      {props.fields.map((field) => {
        const common = { id: settingFieldId(props.prefix, field.name), name: field.name, label: field.label, form: props.form, readonly: props.readonly, testid: field.testid };
        switch (field.kind) {
          case 'checkbox':
            return <Checkbox {...common} hint={field.hint} />;
          case 'lines':
            return <TextArea {...common} hint={field.hint ? `${field.hint} One per line.` : 'One per line.'} rows={4} />;
          case 'select':
            return <Select {...common} hint={field.hint} options={field.options ?? []} required={field.required} />;
          case 'secret':
            return (
              <TextField
                {...common}
                type="password"
                autocomplete="new-password"
                required={field.required && !editing}
                maxlength={field.maxlength}
                hint={editing ? `${field.hint ? `${field.hint} ` : ''}Stored encrypted and never shown again; leave empty to keep the current one.` : field.hint}
                placeholder={editing ? '•••••••• (unchanged)' : field.placeholder}
              />
            );
          default:
            return (
              <TextField
                {...common}
                type={field.kind === 'number' ? 'number' : 'text'}
                min={field.min}
                max={field.max}
                required={field.required}
                maxlength={field.maxlength}
                placeholder={field.placeholder}
                hint={field.hint}
                nameCheck={field.nameCheck && !props.readonly ? { url: field.nameCheck, original: props.storedName ?? '' } : undefined}
                status={field.nameCheck && !props.readonly ? 'check' : undefined}
              />
            );
        }
      })}
    </>
  );
}
