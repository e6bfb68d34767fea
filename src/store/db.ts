/** The drizzle handle over the D1 binding. */
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

export const database = (db: D1Database) => drizzle(db, { schema });
export type Database = ReturnType<typeof database>;

/** D1 reports a UNIQUE violation in the error message; drizzle wraps it in `cause`. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (/UNIQUE constraint failed/i.test(current.message)) return true;
  }
  return false;
}
