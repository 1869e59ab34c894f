/**
 * Limits of the contract read from the zod schemas themselves, so that a form shows the same
 * limit as the API enforces (counters, "too long" errors instead of silent truncation).
 */
import type { z } from 'zod';

interface Introspectable {
  _zod: { def: { type: string; innerType?: unknown; in?: unknown; shape?: Record<string, unknown> } };
  maxLength?: number | null;
}

/** The maximum length of a string schema, through optional/nullable/default/pipe wrappers. */
export function maxLengthOf(schema: z.ZodType | unknown): number | undefined {
  let s = schema as Introspectable | undefined;
  for (let depth = 0; s && depth < 10; depth++) {
    if (typeof s.maxLength === 'number') return s.maxLength;
    const def = s._zod.def;
    s = (def.innerType ?? def.in) as Introspectable | undefined;
  }
  return undefined;
}

/** The maximum length of field `field` of an object schema (e.g. a method's params). */
export function fieldMaxLength(objectSchema: z.ZodType, field: string): number {
  let s = objectSchema as unknown as Introspectable | undefined;
  for (let depth = 0; s && depth < 10 && !s._zod.def.shape; depth++) s = (s._zod.def.innerType ?? s._zod.def.in) as Introspectable | undefined;
  const max = maxLengthOf(s?._zod.def.shape?.[field]);
  if (max === undefined) throw new Error(`No maximum length for ${field}`);
  return max;
}
