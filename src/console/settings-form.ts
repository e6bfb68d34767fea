/**
 * A settings form (fields described in src/views/console/settings-fields.tsx) <-> a schema's input:
 * the form showing stored settings, the defaults of a new one, and the submitted values as the JSON
 * API's body would be, so the same schemas check both.
 */
import * as z from '../domain/zod';
import type { FormValues } from '../views/console/form-fields';
import type { SettingField, SettingPanel } from '../views/console/settings-fields';
import { checkbox, lines, wholeNumber } from './form-input';

const fieldsOf = (panels: SettingPanel[]): SettingField[] => panels.flatMap((panel) => panel.fields);

/** Stored settings as the form shows them; secrets are never written into a page. */
export function settingFormValues(panels: SettingPanel[], stored: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const field of fieldsOf(panels)) {
    const value = stored[field.name];
    if (field.kind === 'secret') continue;
    if (field.kind === 'checkbox') values[field.name] = checkbox(value === true);
    else if (field.kind === 'lines') values[field.name] = Array.isArray(value) ? value.join('\n') : '';
    else values[field.name] = value === null || value === undefined ? '' : String(value);
  }
  return values;
}

/** Each field's default from the schema (what an empty JSON body would get), for a new form. */
export function schemaDefaults(panels: SettingPanel[], schema: z.ZodMiniObject): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const field of fieldsOf(panels)) {
    const fieldSchema = schema.shape[field.name];
    const parsed = fieldSchema && z.safeParse(fieldSchema, undefined);
    if (parsed?.success && parsed.data !== undefined) defaults[field.name] = parsed.data;
  }
  return defaults;
}

/**
 * The submitted form as the schema's input: every field present (an unticked checkbox is false), but a
 * secret left empty when editing is left out, which keeps the stored one; an empty field that has a
 * default takes it.
 */
export function settingInput(panels: SettingPanel[], values: FormValues, options: { editing: boolean; defaults: Record<string, unknown> }): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of fieldsOf(panels)) {
    const text = values[field.name];
    const empty = (text ?? '').trim() === '';
    if (field.kind === 'checkbox') input[field.name] = text !== undefined;
    else if (field.kind === 'lines') input[field.name] = lines(text);
    else if (field.kind === 'secret') {
      if (!(empty && options.editing)) input[field.name] = text ?? '';
    } else if (empty && field.emptyMeansDefault) input[field.name] = options.defaults[field.name];
    else input[field.name] = field.kind === 'number' ? wholeNumber(text) : (text ?? '');
  }
  return input;
}
