/**
 * The profile editor's form <-> the profile schemas' input. Field names are the schemas' paths
 * ("touchMessages.smsText"), so a schema error lands beside the field of the same name.
 */
import { MESSAGE_MAX_LENGTH } from '../domain/constants';
import { profileSettingsSchema, type ProfileSettings, type UserMessages } from '../domain/profile';
import type { FormValues } from '../views/console/form-fields';

const MESSAGE_SETS = ['touchMessages', 'assistedMessages'] as const;
const MESSAGE_KEYS = Object.keys(MESSAGE_MAX_LENGTH) as (keyof UserMessages)[];

const checkbox = (on: boolean) => (on ? 'on' : '');
const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
// A number input sends text; whole numbers become numbers, anything else stays text for the schema to refuse.
const wholeNumber = (text: string | undefined): number | string => (/^\s*-?\d+\s*$/.test(text ?? '') ? Number(text) : (text ?? ''));

/** The form showing a stored profile (or, for a new one, the seed's defaults). */
export function profileFormValues(profile: ProfileSettings & { name: string }): FormValues {
  const values: FormValues = {
    name: profile.name,
    dialect: profile.dialect,
    plusActivationLinks: checkbox(profile.plusActivationLinks),
    usePlusIfActivated: checkbox(profile.usePlusIfActivated),
    'assistedLogin.profile': profile.assistedLogin.profile ?? '',
    'assistedLogin.useLocalDatabase': checkbox(profile.assistedLogin.useLocalDatabase),
    'assistedLogin.ldapProfiles': profile.assistedLogin.ldapProfiles.join('\n'),
    'assistedLogin.entraProfiles': profile.assistedLogin.entraProfiles.join('\n'),
    'rateLimit.perMinute': String(profile.rateLimit.perMinute),
    'rateLimit.perHour': String(profile.rateLimit.perHour),
    unexpectedBlockMinutes: String(profile.unexpectedBlockMinutes),
  };
  for (const set of MESSAGE_SETS) for (const key of MESSAGE_KEYS) values[`${set}.${key}`] = profile[set][key];
  return values;
}

export const newProfileFormValues = (): FormValues => profileFormValues({ name: '', ...profileSettingsSchema.parse({}) });

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
      ldapProfiles: lines(values['assistedLogin.ldapProfiles']),
      entraProfiles: lines(values['assistedLogin.entraProfiles']),
    },
    touchMessages: messages('touchMessages'),
    assistedMessages: messages('assistedMessages'),
    rateLimit: { perMinute: wholeNumber(values['rateLimit.perMinute']), perHour: wholeNumber(values['rateLimit.perHour']) },
    unexpectedBlockMinutes: wholeNumber(values['unexpectedBlockMinutes']),
  };
}

/** Re-rendering a refused form: a checkbox left unticked was not sent, and must show unticked, not as its default. */
export function submittedFormValues(values: FormValues): FormValues {
  const shown = { ...values };
  for (const name of ['plusActivationLinks', 'usePlusIfActivated', 'assistedLogin.useLocalDatabase']) shown[name] = checkbox(values[name] !== undefined);
  return shown;
}
