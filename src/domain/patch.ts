/** PATCH schemas derived from create schemas. */
import * as z from './zod';

/**
 * Every field optional and without its default (`strict`: unknown fields refused): zod 4 still applies a field's default under
 * `partial()`, which would make a patch of one text reset all the others.
 */
export function patchOf<Shape extends z.core.$ZodShape>(schema: z.ZodMiniObject<Shape>, options: { strict?: boolean } = {}) {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [key, field instanceof z.ZodMiniDefault ? field._zod.def.innerType : field]),
  ) as { [K in keyof Shape]: Shape[K] extends z.ZodMiniDefault<infer Inner extends z.core.$ZodType> ? Inner : Shape[K] };
  return z.partial(options.strict ? z.strictObject(shape) : z.object(shape));
}
