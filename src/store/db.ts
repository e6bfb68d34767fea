/** The drizzle handle over the D1 binding. */
import { inArray, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
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

/**
 * Deletes the rows matching `where`, a chunk per statement: one statement deleting millions of rows
 * (say, after the retention is shortened) could outrun D1's per-query time limit. Returns how many.
 */
export async function deleteInChunks(db: Database, table: SQLiteTable, id: SQLiteColumn, where: SQL, chunkRows = 10_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const oldest = db.select({ id }).from(table).where(where).limit(chunkRows);
    const result = await db.delete(table).where(inArray(id, oldest)).run();
    deleted += result.meta.changes;
    if (result.meta.changes < chunkRows) return deleted;
  }
}
