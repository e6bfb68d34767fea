/** Input checks shared by the admin JSON API and the console's forms: zod issues and UNIQUE violations become field errors. */
import type * as z from '../domain/zod';
import { apiError } from '../domain/api-error';
import { fieldErrors } from '../domain/auth-request';
import { isUniqueViolation } from '../store/db';

/** Parses `input` with `schema`; a 400 naming each bad field otherwise. */
export function parseInput<T extends z.ZodMiniType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  return parsed.data;
}

/** For `.catch()` on an insert or update: a UNIQUE violation becomes 409 naming `field`. */
export const rethrowConflict =
  (field: string) =>
  (error: unknown): never => {
    if (isUniqueViolation(error)) throw apiError('CONFLICT', { errors: [{ field, message: 'is already taken' }] });
    throw error;
  };
