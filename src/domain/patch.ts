/** PATCH schemas derived from create schemas. */
import * as z from 'zod';

/**
 * Every field optional and without its default: zod 4 still applies a field's `.default()` under
 * `.partial()`, which would make a patch of one text reset all the others.
 */
export function patchOf<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.removeDefault() : field]),
  ) as { [K in keyof Shape]: Shape[K] extends z.ZodDefault<infer Inner> ? Inner : Shape[K] };
  return z.object(shape).partial();
}
