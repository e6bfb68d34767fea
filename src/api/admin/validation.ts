/** Admin API request bodies: JSON only, validated by the same zod schemas the console's forms use. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { parseInput } from '../../admin/validation';
import { apiError } from '../../domain/api-error';

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
