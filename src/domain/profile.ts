/** Endpoint profiles: the zod schemas that validate admin input and define the profile's type. */
import * as z from './zod';
import {
  MESSAGE_MAX_LENGTH,
  MULTILINE_MESSAGE_KEYS,
  PROFILE_NAME_MAX_LENGTH,
  RATE_LIMIT_DEFAULT_PER_HOUR,
  RATE_LIMIT_DEFAULT_PER_MINUTE,
  RATE_LIMIT_MAX_PER_HOUR,
  SMS_BUDGET_DEFAULT_PER_DAY,
  SMS_BUDGET_DEFAULT_PER_HOUR,
  SMS_BUDGET_MAX,
  UNEXPECTED_BLOCK_DEFAULT_MINUTES,
  UNEXPECTED_BLOCK_MAX_MINUTES,
} from './constants';
import { callbackHostsSchema } from './callback';
import { allowedCountriesSchema } from './countries';
import { DIALECTS } from './dialect';
import { displayTextSchema } from './display-text';
import { patchOf } from './patch';

const text = (max: number) => z.string().check(z.maxLength(max, `must be at most ${max} characters`));
const message = (key: keyof typeof MESSAGE_MAX_LENGTH) =>
  z._default(displayTextSchema(MESSAGE_MAX_LENGTH[key], { multiline: (MULTILINE_MESSAGE_KEYS as readonly string[]).includes(key) }), '');

// The name is part of the endpoint URL (/api/sfwa/auth/{name}), so it keeps to URL-safe characters.
export const profileNameSchema = z.string({ error: 'is required' }).check(
  z.minLength(1, 'is required'),
  z.maxLength(PROFILE_NAME_MAX_LENGTH, `must be at most ${PROFILE_NAME_MAX_LENGTH} characters`),
  z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may contain only letters, digits, ".", "_" and "-", and must start with a letter or digit'),
);

/** The seven texts of one message set (seed: User Messages tab). Empty means "use the built-in text". */
export const userMessagesSchema = z.object({
  titleText: message('titleText'),
  smsText: message('smsText'),
  buttonAcceptText: message('buttonAcceptText'),
  buttonRejectText: message('buttonRejectText'),
  authenticationText: message('authenticationText'),
  touchAcceptedText: message('touchAcceptedText'),
  touchRejectedText: message('touchRejectedText'),
});
export type UserMessages = z.infer<typeof userMessagesSchema>;

const nameList = z.array(text(255)).check(z.maxLength(50, 'must list at most 50 profiles'));

export const assistedLoginSchema = z.object({
  profile: z._default(z.nullable(text(255)), null),
  useLocalDatabase: z._default(z.boolean(), false),
  ldapProfiles: z._default(nameList, []),
  entraProfiles: z._default(nameList, []),
});

/** A whole number from 1 to max. */
const count = (max: number) => z.int('must be a whole number').check(z.minimum(1, 'must be at least 1'), z.maximum(max, `must be at most ${max}`));

export const rateLimitSchema = z
  .object({ perMinute: count(RATE_LIMIT_MAX_PER_HOUR), perHour: count(RATE_LIMIT_MAX_PER_HOUR) })
  .check(z.refine((limit) => limit.perMinute <= limit.perHour, { message: 'must not exceed the per-hour limit', path: ['perMinute'] }));
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** The most SMS a profile may send, across all numbers, in any hour and in any day. */
export const smsBudgetSchema = z
  .object({ perHour: count(SMS_BUDGET_MAX), perDay: count(SMS_BUDGET_MAX) })
  .check(z.refine((budget) => budget.perHour <= budget.perDay, { message: 'must not exceed the per-day budget', path: ['perHour'] }));
export type SmsBudget = z.infer<typeof smsBudgetSchema>;

const unexpectedBlockMinutesSchema = z
  .int('must be a whole number of minutes')
  .check(z.minimum(0, 'must be 0 (off) or more'), z.maximum(UNEXPECTED_BLOCK_MAX_MINUTES, `must be at most ${UNEXPECTED_BLOCK_MAX_MINUTES} (7 days)`));

/**
 * The SMS sender shown on the phone, overriding the deployment's (ELKS_FROM, TWILIO_FROM, SINCH_FROM).
 * What every provider takes: an alphanumeric name of 3–11 letters and digits with at least one letter
 * (46elks allows no spaces or symbols; Twilio and Sinch allow up to 11 characters), or a number in
 * international format (Twilio and Sinch send only from numbers of the account).
 */
export const smsSenderSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{3,11}$|^\+[1-9]\d{6,14}$/, 'must be 3–11 letters and digits (at least one letter, no spaces), or a number in international format (+46…)'),
  );

export const dialectSchema = z.enum(DIALECTS, { error: `must be one of: ${DIALECTS.join(', ')}` });

/** Settings of a profile (everything but its name), with the seed's defaults. */
export const profileSettingsSchema = z.object({
  /** The codes the endpoint answers in: the seed's cloud API, or Mideye Server's for drop-in compatibility. */
  dialect: z._default(dialectSchema, 'cloud'),
  plusActivationLinks: z._default(z.boolean(), true),
  usePlusIfActivated: z._default(z.boolean(), true),
  assistedLogin: z._default(assistedLoginSchema, assistedLoginSchema.parse({})),
  touchMessages: z._default(userMessagesSchema, userMessagesSchema.parse({})),
  assistedMessages: z._default(userMessagesSchema, userMessagesSchema.parse({})),
  rateLimit: z._default(rateLimitSchema, { perMinute: RATE_LIMIT_DEFAULT_PER_MINUTE, perHour: RATE_LIMIT_DEFAULT_PER_HOUR }),
  /** After a "this wasn't me" report, requests to that number through this profile are refused this long; 0 turns it off. */
  unexpectedBlockMinutes: z._default(unexpectedBlockMinutesSchema, UNEXPECTED_BLOCK_DEFAULT_MINUTES),
  /** Countries whose numbers the profile sends to; `[]` every country; null follows the deployment's DEFAULT_ALLOWED_COUNTRIES. */
  allowedCountries: z._default(z.nullable(allowedCountriesSchema), null),
  smsBudget: z._default(smsBudgetSchema, { perHour: SMS_BUDGET_DEFAULT_PER_HOUR, perDay: SMS_BUDGET_DEFAULT_PER_DAY }),
  /** Hosts a caller's `callback-url` may point at (see domain/callback.ts); none means callbacks are off. */
  callbackHosts: z._default(callbackHostsSchema, []),
  /** The SMS sender for this endpoint; null uses the deployment's. */
  smsSender: z._default(z.nullable(smsSenderSchema), null),
});
export type ProfileSettings = z.infer<typeof profileSettingsSchema>;

export const profileCreateSchema = z.strictObject({ ...profileSettingsSchema.shape, name: profileNameSchema });
export type ProfileCreate = z.infer<typeof profileCreateSchema>;

/** PATCH: any subset of fields; nested objects merge into the stored ones. */
export const profilePatchSchema = z.partial(
  z.strictObject({
    name: profileNameSchema,
    dialect: dialectSchema,
    plusActivationLinks: z.boolean(),
    usePlusIfActivated: z.boolean(),
    assistedLogin: patchOf(assistedLoginSchema),
    touchMessages: patchOf(userMessagesSchema),
    assistedMessages: patchOf(userMessagesSchema),
    rateLimit: z.partial(z.object({ perMinute: z.int('must be a whole number'), perHour: z.int('must be a whole number') })),
    unexpectedBlockMinutes: unexpectedBlockMinutesSchema,
    allowedCountries: z.nullable(allowedCountriesSchema),
    smsBudget: z.partial(z.object({ perHour: z.int('must be a whole number'), perDay: z.int('must be a whole number') })),
    callbackHosts: callbackHostsSchema,
    smsSender: z.nullable(smsSenderSchema),
  }),
);
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export interface Profile extends ProfileSettings {
  id: number;
  name: string;
  isDefault: boolean;
  /** When the profile's callback secret was made (the secret itself is sealed in D1, never shown again); null: none yet. */
  callbackSecretCreatedAt: Date | null;
}

/** Applies a validated patch; the merged rate limit and budget are validated again by the caller through profileSettingsSchema. */
export function applyProfilePatch(profile: Profile, patch: ProfilePatch): Profile {
  return {
    ...profile,
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.dialect !== undefined && { dialect: patch.dialect }),
    ...(patch.plusActivationLinks !== undefined && { plusActivationLinks: patch.plusActivationLinks }),
    ...(patch.usePlusIfActivated !== undefined && { usePlusIfActivated: patch.usePlusIfActivated }),
    ...(patch.unexpectedBlockMinutes !== undefined && { unexpectedBlockMinutes: patch.unexpectedBlockMinutes }),
    ...(patch.allowedCountries !== undefined && { allowedCountries: patch.allowedCountries }),
    ...(patch.callbackHosts !== undefined && { callbackHosts: patch.callbackHosts }),
    ...(patch.smsSender !== undefined && { smsSender: patch.smsSender }),
    assistedLogin: { ...profile.assistedLogin, ...stripUndefined(patch.assistedLogin) },
    touchMessages: { ...profile.touchMessages, ...stripUndefined(patch.touchMessages) },
    assistedMessages: { ...profile.assistedMessages, ...stripUndefined(patch.assistedMessages) },
    rateLimit: { ...profile.rateLimit, ...stripUndefined(patch.rateLimit) },
    smsBudget: { ...profile.smsBudget, ...stripUndefined(patch.smsBudget) },
  };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
