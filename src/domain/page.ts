/** Query-string inputs shared by admin lists: page parameters, and blank form fields. */
import { z } from 'zod';

const wholeNumber = () => z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number');

/** `page` (from 0) and `size` of a server-side paginated list, as fields to spread into a z.object(). */
export const pageFields = (defaultSize: number, maxSize: number) => ({
  page: wholeNumber().min(0, 'must be at least 0').default(0),
  size: wholeNumber().min(1, 'must be at least 1').max(maxSize, `must be at most ${maxSize}`).default(defaultSize),
});

/** For z.preprocess(): a form or query string sends an unset field as "", which means "not given". */
export function withoutBlanks(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== ''));
}
