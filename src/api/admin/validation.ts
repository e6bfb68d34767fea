/** Admin API input: JSON bodies and query strings through zod, and the one "already taken" answer. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { apiError } from '../../domain/api-error';
import { fieldErrors } from '../../domain/auth-request';
import { isUniqueViolation } from '../../store/db';

/** Parses `input` with `schema`; a 400 naming each bad field otherwise. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw apiError('BAD_REQUEST', { errors: fieldErrors(parsed.error) });
  return parsed.data;
}

const bodyError = (message: string) => apiError('BAD_REQUEST', { errors: [{ field: '(body)', message }] });

/** The request's JSON body, validated by `schema`. */
export async function readJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  // JSON only: a cross-site form or text/plain POST needs no CORS preflight, a JSON one does.
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw bodyError('must be sent with content-type: application/json');
  }
  const body: unknown = await c.req.json().catch(() => {
    throw bodyError('is not valid JSON');
  });
  return parseInput(schema, body);
}

/** For `.catch()` on an insert or update: a UNIQUE violation becomes 409 naming `field`. */
export const rethrowConflict =
  (field: string) =>
  (error: unknown): never => {
    if (isUniqueViolation(error)) throw apiError('CONFLICT', { errors: [{ field, message: 'is already taken' }] });
    throw error;
  };
