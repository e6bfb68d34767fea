/** API tokens: the `api-key` header format, admin input schemas, and the pure validity check. */
import * as z from 'zod';
import {
  IMPORTED_TOKEN_MAX_LENGTH,
  IMPORTED_TOKEN_MIN_LENGTH,
  TOKEN_NAME_MAX_LENGTH,
  TOKEN_NAME_MIN_LENGTH,
  TOKEN_PAGE_SIZE_DEFAULT,
  TOKEN_PAGE_SIZE_MAX,
} from './constants';
import { displayTextProblem } from './display-text';

// The header is `{tokenName}:{tokenValue}`, split at the first colon, so a name cannot contain one.
export const tokenNameSchema = z
  .string({ error: 'is required' })
  .min(TOKEN_NAME_MIN_LENGTH, `must be at least ${TOKEN_NAME_MIN_LENGTH} characters`)
  .max(TOKEN_NAME_MAX_LENGTH, `must be at most ${TOKEN_NAME_MAX_LENGTH} characters`)
  .regex(/^[^:\s]+$/, 'may not contain ":" or spaces')
  .refine((name) => displayTextProblem(name, false) === null, 'may not contain control or bidirectional override characters');

const expiresAtSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })
  .nullable()
  .optional()
  .refine((value) => value == null || Date.parse(value) > Date.now(), 'must be in the future');

export const tokenCreateSchema = z.object({ name: tokenNameSchema, expiresAt: expiresAtSchema }).strict();

export const tokenImportSchema = z
  .object({
    name: tokenNameSchema,
    token: z
      .string({ error: 'is required' })
      .min(IMPORTED_TOKEN_MIN_LENGTH, `must be at least ${IMPORTED_TOKEN_MIN_LENGTH} characters`)
      .max(IMPORTED_TOKEN_MAX_LENGTH, `must be at most ${IMPORTED_TOKEN_MAX_LENGTH} characters`)
      .regex(/^\S+$/, 'may not contain spaces')
      // The header is `{tokenName}:{tokenValue}`: a value with a colon could be read as another name and value.
      .regex(/^[^:]*$/, 'may not contain ":" (the api-key header is {tokenName}:{tokenValue}, so a colon would make it ambiguous)')
      .refine((token) => displayTextProblem(token, false) === null, 'may not contain control or bidirectional override characters'),
    expiresAt: expiresAtSchema,
  })
  .strict();

export type TokenCreate = z.infer<typeof tokenCreateSchema>;
export type TokenImport = z.infer<typeof tokenImportSchema>;

const wholeNumber = () => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number');

// Seed: the token list uses server-side pagination. Pages count from 0.
export const tokenPageSchema = z.object({
  page: wholeNumber().min(0, 'must be at least 0').default(0),
  size: wholeNumber().min(1, 'must be at least 1').max(TOKEN_PAGE_SIZE_MAX, `must be at most ${TOKEN_PAGE_SIZE_MAX}`).default(TOKEN_PAGE_SIZE_DEFAULT),
});
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
