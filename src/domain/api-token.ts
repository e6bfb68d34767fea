/** API tokens: the `api-key` header format, admin input schemas, and the pure validity check. */
import * as z from './zod';
import {
  IMPORTED_TOKEN_MAX_LENGTH,
  IMPORTED_TOKEN_MIN_LENGTH,
  TOKEN_NAME_MAX_LENGTH,
  TOKEN_NAME_MIN_LENGTH,
  TOKEN_PAGE_SIZE_DEFAULT,
  TOKEN_PAGE_SIZE_MAX,
} from './constants';
import { displayTextProblem } from './display-text';
import { pageFields } from './page';

// The header is `{tokenName}:{tokenValue}`, split at the first colon, so a name cannot contain one.
const noControlCharacters = () => z.refine<string>((text) => displayTextProblem(text, false) === null, 'may not contain control or bidirectional override characters');

export const tokenNameSchema = z
  .string({ error: 'is required' })
  .check(
    z.minLength(TOKEN_NAME_MIN_LENGTH, `must be at least ${TOKEN_NAME_MIN_LENGTH} characters`),
    z.maxLength(TOKEN_NAME_MAX_LENGTH, `must be at most ${TOKEN_NAME_MAX_LENGTH} characters`),
    z.regex(/^[^:\s]+$/, 'may not contain ":" or spaces'),
    noControlCharacters(),
  );

const expiresAtSchema = z
  .optional(z.nullable(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })))
  .check(z.refine((value) => value == null || Date.parse(value) > Date.now(), 'must be in the future'));

export const tokenCreateSchema = z.strictObject({ name: tokenNameSchema, expiresAt: expiresAtSchema });

export const tokenImportSchema = z.strictObject({
  name: tokenNameSchema,
  token: z.string({ error: 'is required' }).check(
    z.minLength(IMPORTED_TOKEN_MIN_LENGTH, `must be at least ${IMPORTED_TOKEN_MIN_LENGTH} characters`),
    z.maxLength(IMPORTED_TOKEN_MAX_LENGTH, `must be at most ${IMPORTED_TOKEN_MAX_LENGTH} characters`),
    z.regex(/^\S+$/, 'may not contain spaces'),
    // The header is `{tokenName}:{tokenValue}`: a value with a colon could be read as another name and value.
    z.regex(/^[^:]*$/, 'may not contain ":" (the api-key header is {tokenName}:{tokenValue}, so a colon would make it ambiguous)'),
    noControlCharacters(),
  ),
  expiresAt: expiresAtSchema,
});

export type TokenCreate = z.infer<typeof tokenCreateSchema>;
export type TokenImport = z.infer<typeof tokenImportSchema>;

// Seed: the token list uses server-side pagination. Pages count from 0.
export const tokenPageSchema = z.object(pageFields(TOKEN_PAGE_SIZE_DEFAULT, TOKEN_PAGE_SIZE_MAX));
export type TokenPage = z.infer<typeof tokenPageSchema>;

export interface ApiToken {
  id: number;
  profileId: number;
  name: string;
  /** SHA-256 of the secret, hex. */
  secretHash: string;
  /** Whether the service generated the secret or an administrator imported it. */
  source: 'created' | 'imported';
  expiresAt: Date | null;
  createdAt: Date;
}

export const formatApiKey = (name: string, secret: string): string => `${name}:${secret}`;

/** Splits an `api-key` header value; null when it is not of the `{name}:{value}` form. */
export function parseApiKey(header: string | undefined): { name: string; secret: string } | null {
  if (!header) return null;
  const colon = header.indexOf(':');
  if (colon <= 0 || colon === header.length - 1) return null;
  return { name: header.slice(0, colon), secret: header.slice(colon + 1) };
}

export const isTokenExpired = (token: Pick<ApiToken, 'expiresAt'>, now: Date): boolean =>
  token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime();
