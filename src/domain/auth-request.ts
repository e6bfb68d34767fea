/** The public API's input: one zod schema validates GET query strings and POST bodies, and feeds OpenAPI. */
import * as z from './zod';
import { CALLBACK_URL_MAX_LENGTH } from './callback';
import { MESSAGE_MAX_LENGTH } from './constants';
import { displayTextSchema } from './display-text';
import { TOUCH_TIMEOUT_SECONDS, type Dialect } from './dialect';
import { personIdSchema } from './directory-config';
import { MSISDN_FORMAT_HINT, msisdnSchema } from './msisdn';
import type { UserMessages } from './profile';

const text = (max: number, description: string, multiline = false) => z.optional(displayTextSchema(max, { multiline })).check(z.describe(description));

/**
 * Whole seconds in decimal digits: a JSON number that is an integer, or a string of digits. Anything
 * else ("0x1", "1e1", " 1 ", "+1", true, [1]) is refused rather than guessed at.
 */
const wholeSeconds = (timeout: { min: number; max: number; default: number }) =>
  z._default(
    z.pipe(
      z.transform((value: unknown) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value)),
      z
        .int({ error: 'must be a whole number of seconds, in decimal digits' })
        .check(z.minimum(timeout.min, `must be at least ${timeout.min}`), z.maximum(timeout.max, `must be at most ${timeout.max}`)),
    ),
    timeout.default,
  );

const authRequestSchemaWith = (timeout: { min: number; max: number; default: number }) =>
  z.object({
    msisdn: msisdnSchema.check(z.describe(`The user's phone number, ${MSISDN_FORMAT_HINT.replace('must be ', '')}`)),
    'sms-text': text(MESSAGE_MAX_LENGTH.smsText, 'Text of the SMS; the magic link follows it'),
    'title-text': text(MESSAGE_MAX_LENGTH.titleText, 'Heading of the authentication page and push notification'),
    'authentication-text': text(MESSAGE_MAX_LENGTH.authenticationText, 'Main text shown while the user decides (may have several lines)', true),
    'button-accept-text': text(MESSAGE_MAX_LENGTH.buttonAcceptText, 'Label of the accept button'),
    'button-reject-text': text(MESSAGE_MAX_LENGTH.buttonRejectText, 'Label of the reject button'),
    'touch-accept-text': text(MESSAGE_MAX_LENGTH.touchAcceptedText, 'Text shown after the user accepts (may have several lines)', true),
    'touch-reject-text': text(MESSAGE_MAX_LENGTH.touchRejectedText, 'Text shown after the user rejects (may have several lines)', true),
    'match-code': z
      .optional(z.string().check(z.regex(/^\d{2}$/, 'must be two digits, e.g. 42')))
      .check(z.describe('Number matching (optional): the two digits your app shows its user; the user must pick the same number on their phone for Accept to count')),
    'touch-timeout': wholeSeconds(timeout).check(z.describe(`Seconds the user has to answer (default ${timeout.default}, ${timeout.min}–${timeout.max})`)),
    'callback-url': z
      .optional(z.string().check(z.maxLength(CALLBACK_URL_MAX_LENGTH, `must be at most ${CALLBACK_URL_MAX_LENGTH} characters`)))
      .check(
        z.describe(
          "Optional https URL the outcome is POSTed to when the authentication settles, signed with the endpoint's callback secret; its host must be among the endpoint's callbackHosts",
        ),
      ),
  });

/** The request schema of each dialect: they differ only in the touch-timeout range and default. */
export const authRequestSchemas = {
  cloud: authRequestSchemaWith(TOUCH_TIMEOUT_SECONDS.cloud),
  server: authRequestSchemaWith(TOUCH_TIMEOUT_SECONDS.server),
} satisfies Record<Dialect, unknown>;

/** On an endpoint with assisted login: the user is named by username or by msisdn, and may name their approver. */
const assistedRequestSchemaWith = (timeout: { min: number; max: number; default: number }) =>
  z
    .extend(authRequestSchemaWith(timeout), {
      msisdn: z.optional(msisdnSchema).check(z.describe("Assisted login: the user's phone number, matched against the repositories' phone attribute (or give username)")),
      username: z.optional(personIdSchema).check(z.describe("Assisted login: the user's id, matched against the repositories' user id attributes (or give msisdn)")),
      approver: z
        .optional(personIdSchema)
        .check(
          z.describe(
            'Assisted login: the approver id the user typed; only that person is asked, if the profile lets them approve this user. Without it every allowed approver is asked (at most 10; the first answer wins)',
          ),
        ),
    })
    .check(
      z.superRefine((request, context) => {
        if (request.username === undefined && request.msisdn === undefined) context.addIssue({ code: 'custom', path: ['username'], message: 'is required: name the user by username or msisdn' });
        if (request.username !== undefined && request.msisdn !== undefined) context.addIssue({ code: 'custom', path: ['msisdn'], message: 'name the user by username or msisdn, not both' });
      }),
    );

export const assistedRequestSchemas = {
  cloud: assistedRequestSchemaWith(TOUCH_TIMEOUT_SECONDS.cloud),
  server: assistedRequestSchemaWith(TOUCH_TIMEOUT_SECONDS.server),
} satisfies Record<Dialect, unknown>;
export type AssistedRequest = z.infer<(typeof assistedRequestSchemas)['cloud']>;
export const authRequestSchema = authRequestSchemas.cloud;
export type AuthRequest = z.infer<typeof authRequestSchema>;

/** The request's texts where given, the profile's otherwise (empty still means "built-in text"). */
export function messagesFor(request: Omit<AuthRequest, 'msisdn'>, profileMessages: UserMessages): UserMessages {
  return {
    titleText: request['title-text'] ?? profileMessages.titleText,
    smsText: request['sms-text'] ?? profileMessages.smsText,
    buttonAcceptText: request['button-accept-text'] ?? profileMessages.buttonAcceptText,
    buttonRejectText: request['button-reject-text'] ?? profileMessages.buttonRejectText,
    authenticationText: request['authentication-text'] ?? profileMessages.authenticationText,
    touchAcceptedText: request['touch-accept-text'] ?? profileMessages.touchAcceptedText,
    touchRejectedText: request['touch-reject-text'] ?? profileMessages.touchRejectedText,
  };
}

export type FieldError = { field: string; message: string };

/** zod issues -> `[{ field, message }]` for BAD_REQUEST bodies. */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}
