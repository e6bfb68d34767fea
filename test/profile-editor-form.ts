/** The endpoint profile editor's form as a browser submits it, for the console tests. */
import { MESSAGE_MAX_LENGTH } from '../src/domain/constants';

/** The editor's form as a browser submits it: every field, ticked checkboxes only. */
export function editorForm(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const form: Record<string, string | undefined> = {
    name: 'shop',
    dialect: 'cloud',
    plusActivationLinks: 'on',
    usePlusIfActivated: 'on',
    'assistedLogin.profile': '',
    'rateLimit.perMinute': '3',
    'rateLimit.perHour': '10',
    unexpectedBlockMinutes: '60',
    allowedCountriesMode: 'default',
    'smsBudget.perHour': '500',
    'smsBudget.perDay': '5000',
    callbackHosts: '',
    ...Object.fromEntries(['touchMessages', 'assistedMessages'].flatMap((set) => Object.keys(MESSAGE_MAX_LENGTH).map((key) => [`${set}.${key}`, '']))),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
