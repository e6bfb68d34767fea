/** The editors' live "is this name free?" check: the name schema's own message, or "is already taken". */
import type { Context } from 'hono';
import type * as z from '../../domain/zod';
import type { Env } from '../../env';
import { database, type Database } from '../../store/db';

export const nameCheck =
  (schema: z.ZodMiniType<string>, exists: (db: Database, name: string) => Promise<unknown>) =>
  async (c: Context<{ Bindings: Env }>) => {
    const name = c.req.query('name') ?? '';
    const valid = schema.safeParse(name);
    if (!valid.success) return c.json({ name, available: false, reason: valid.error.issues[0]?.message ?? 'is invalid' });
    if (await exists(database(c.env.DB), name)) return c.json({ name, available: false, reason: 'is already taken' });
    return c.json({ name, available: true });
  };
