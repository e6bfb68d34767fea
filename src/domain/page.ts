/** Query-string inputs shared by admin lists: page parameters, and blank form fields. */
import * as z from './zod';

const wholeNumber = (...checks: z.core.$ZodCheck<number>[]) =>
  z.pipe(z.coerce.number({ error: 'must be a whole number' }), z.int('must be a whole number').check(...checks));

/** `page` (from 0) and `size` of a server-side paginated list, as fields to spread into a z.object(). */
export const pageFields = (defaultSize: number, maxSize: number) => ({
  page: z._default(wholeNumber(z.minimum(0, 'must be at least 0')), 0),
  size: z._default(wholeNumber(z.minimum(1, 'must be at least 1'), z.maximum(maxSize, `must be at most ${maxSize}`)), defaultSize),
});

/** Before a query's schema: a form or query string sends an unset field as "", which means "not given". */
export function withoutBlanks(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== ''));
}

const dateTime = z.pipe(
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' }),
  z.transform((value: string) => Date.parse(value)),
);

// Typed loosely: zod cannot see that every shape given here has `from` and `to`.
const toLaterThanFrom = (query: object) => {
  const { from, to } = query as { from?: number; to?: number };
  return from === undefined || to === undefined || from < to;
};
const LATER_THAN_FROM = { message: 'must be later than from', path: ['to'] };

/**
 * A log's query schemas (the authentication log's, the audit log's): its own filter `fields` plus `from`
 * (inclusive) and `to` (exclusive) as ISO 8601 date-times with a zone, epoch ms once parsed, `to` later
 * than `from`, and blank fields absent; `list` adds `page` and `size`.
 */
export function logQuerySchemas<Shape extends z.core.$ZodShape>(fields: Shape, pageSize: { default: number; max: number }) {
  const filterFields = { ...fields, from: z.optional(dateTime), to: z.optional(dateTime) };
  return {
    filter: z.pipe(z.transform(withoutBlanks), z.object(filterFields).check(z.refine(toLaterThanFrom, LATER_THAN_FROM))),
    list: z.pipe(
      z.transform(withoutBlanks),
      z.object({ ...filterFields, ...pageFields(pageSize.default, pageSize.max) }).check(z.refine(toLaterThanFrom, LATER_THAN_FROM)),
    ),
  };
}
