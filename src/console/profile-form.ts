/**
 * The profile editor's form <-> the profile schemas' input. Field names are the schemas' paths
 * ("touchMessages.smsText"), so a schema error lands beside the field of the same name.
 */
import { ApiError, apiError } from '../domain/api-error';
import { MESSAGE_MAX_LENGTH } from '../domain/constants';
import { profileSettingsSchema, type ProfileSettings, type UserMessages } from '../domain/profile';
import { COUNTRY_FIELD_PREFIX, countryFieldName, type CountriesMode } from '../views/console/country-picker';
import type { FieldErrors, FormValues } from '../views/console/form-fields';
import { chosenRepositories, repositoryFieldName, repositoryOrderFieldName } from '../views/console/repository-chooser';
import { checkbox, wholeNumber } from './form-input';
import { fieldErrorsOf } from './page';

const MESSAGE_SETS = ['touchMessages', 'assistedMessages'] as const;
const MESSAGE_KEYS = Object.keys(MESSAGE_MAX_LENGTH) as (keyof UserMessages)[];

/**
 * The form showing a stored profile (or, for a new one, the seed's defaults). `defaultCountries` is the
 * deployment's list: shown ticked while the profile follows it, so choosing "only these" starts from it.
 */
export function profileFormValues(profile: ProfileSettings & { name: string }, defaultCountries: readonly string[]): FormValues {
  const mode: CountriesMode = profile.allowedCountries === null ? 'default' : profile.allowedCountries.length === 0 ? 'all' : 'list';
  const values: FormValues = {
    name: profile.name,
    dialect: profile.dialect,
    plusActivationLinks: checkbox(profile.plusActivationLinks),
    usePlusIfActivated: checkbox(profile.usePlusIfActivated),
    'assistedLogin.profile': profile.assistedLogin.profile ?? '',
    'assistedLogin.useLocalDatabase': checkbox(profile.assistedLogin.useLocalDatabase),
    'rateLimit.perMinute': String(profile.rateLimit.perMinute),
    'rateLimit.perHour': String(profile.rateLimit.perHour),
    unexpectedBlockMinutes: String(profile.unexpectedBlockMinutes),
    allowedCountriesMode: mode,
    'smsBudget.perHour': String(profile.smsBudget.perHour),
    'smsBudget.perDay': String(profile.smsBudget.perDay),
    callbackHosts: profile.callbackHosts.join('\n'),
    smsSender: profile.smsSender ?? '',
  };
  for (const code of profile.allowedCountries?.length ? profile.allowedCountries : defaultCountries) values[countryFieldName(code)] = 'on';
  for (const set of MESSAGE_SETS) for (const key of MESSAGE_KEYS) values[`${set}.${key}`] = profile[set][key];
  const repositories = { ldap: profile.assistedLogin.ldapProfiles, entra: profile.assistedLogin.entraProfiles };
  for (const kind of ['ldap', 'entra'] as const) {
    repositories[kind].forEach((name, index) => {
      values[repositoryFieldName(kind, name)] = 'on';
      values[repositoryOrderFieldName(kind, name)] = String(index + 1);
    });
  }
  return values;
}

export const newProfileFormValues = (defaultCountries: readonly string[]): FormValues =>
  profileFormValues({ name: '', ...profileSettingsSchema.parse({}) }, defaultCountries);

/** The allowed countries as the schema takes them: null (the default), [] (every country) or the ticked codes. */
function allowedCountriesInput(values: FormValues): string[] | null | string {
  const mode = values['allowedCountriesMode'];
  if (mode === 'default') return null;
  if (mode === 'all') return [];
  const ticked = Object.keys(values)
    .filter((name) => name.startsWith(COUNTRY_FIELD_PREFIX) && values[name] !== undefined)
    .map((name) => name.slice(COUNTRY_FIELD_PREFIX.length));
  // An empty list would mean every country: that must be chosen as such, never by unticking everything.
  if (mode === 'list' && ticked.length === 0) {
    throw apiError('BAD_REQUEST', { errors: [{ field: 'allowedCountries', message: 'tick at least one country, or choose “Every country”' }] });
  }
  if (mode !== 'list') throw apiError('BAD_REQUEST', { errors: [{ field: 'allowedCountries', message: 'choose the default, a list of countries, or every country' }] });
  return ticked;
}

/** The callback hosts textarea: one host a line, empty lines ignored; each with its line number, for errors. */
function callbackHostLines(text: string | undefined): { line: number; host: string }[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((host, index) => ({ line: index + 1, host: host.trim() }))
    .filter(({ host }) => host !== '');
}

/**
 * The submitted form as the JSON API's body would be: every field present (an unticked checkbox is
 * false), so it is valid input for profileCreateSchema and, as a full patch, for profilePatchSchema.
 */
export function profileInput(values: FormValues) {
  const messages = (set: (typeof MESSAGE_SETS)[number]) => Object.fromEntries(MESSAGE_KEYS.map((key) => [key, values[`${set}.${key}`] ?? '']));
  return {
    name: values['name'] ?? '',
    dialect: values['dialect'] ?? '',
    plusActivationLinks: values['plusActivationLinks'] !== undefined,
    usePlusIfActivated: values['usePlusIfActivated'] !== undefined,
    assistedLogin: {
      profile: values['assistedLogin.profile']?.trim() || null,
      useLocalDatabase: values['assistedLogin.useLocalDatabase'] !== undefined,
      ldapProfiles: chosenRepositories(values, 'ldap'),
      entraProfiles: chosenRepositories(values, 'entra'),
    },
    touchMessages: messages('touchMessages'),
    assistedMessages: messages('assistedMessages'),
    rateLimit: { perMinute: wholeNumber(values['rateLimit.perMinute']), perHour: wholeNumber(values['rateLimit.perHour']) },
    unexpectedBlockMinutes: wholeNumber(values['unexpectedBlockMinutes']),
    allowedCountries: allowedCountriesInput(values),
    smsBudget: { perHour: wholeNumber(values['smsBudget.perHour']), perDay: wholeNumber(values['smsBudget.perDay']) },
    callbackHosts: callbackHostLines(values['callbackHosts']).map(({ host }) => host),
    smsSender: values['smsSender']?.trim() || null,
  };
}

/**
 * The field errors of a refused profile form, or null (rethrow). A bad callback host ("callbackHosts.N",
 * N counting non-empty lines only) is named by its line in the textarea and as typed.
 */
export function profileFormErrors(error: unknown, values: FormValues): FieldErrors | null {
  const errors = fieldErrorsOf(error);
  if (!errors || !(error instanceof ApiError)) return errors;
  for (const { field, message } of error.body.errors ?? []) {
    const index = /^callbackHosts\.(\d+)$/.exec(field)?.[1];
    const entry = index === undefined ? undefined : callbackHostLines(values['callbackHosts'])[Number(index)];
    if (entry) {
      errors['callbackHosts'] = `line ${entry.line} (“${entry.host}”): ${message}`;
      break;
    }
  }
  return errors;
}

/** Re-rendering a refused form: a checkbox left unticked was not sent, and must show unticked, not as its default. */
export function submittedFormValues(values: FormValues): FormValues {
  const shown = { ...values };
  for (const name of ['plusActivationLinks', 'usePlusIfActivated', 'assistedLogin.useLocalDatabase']) shown[name] = checkbox(values[name] !== undefined);
  return shown;
}
