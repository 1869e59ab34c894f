/**
 * Building blocks of the contract: one definition per method (zod params, zod result, the
 * permission it needs) and per event. Types, validation and JSON Schema all come from these.
 */
import { z } from 'zod';
import type { Permission, Person } from '../permissions';

z.config(z.locales.fr());

export interface MethodDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  permission: Permission;
  /** One French sentence for the generated documentation. */
  summary: string;
}

export function defineMethod<P extends z.ZodType, R extends z.ZodType>(def: MethodDef<P, R>): MethodDef<P, R> {
  return def;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  payload: P;
  /** Only sessions holding this permission receive the event. */
  permission: Permission;
  /**
   * Object scope: among those, only who could read the object through the methods, decided from
   * the payload with the permission module's object rules (decision 010). Absent: all of them.
   */
  scope?: (viewer: Person, payload: z.output<P>) => boolean;
  summary: string;
}

export function defineEvent<P extends z.ZodType>(def: EventDef<P>): EventDef<P> {
  return def;
}

/** Shared field schemas. */
export const zId = z.uuid({ message: 'Identifiant invalide.' });
export const zIsoInstant = z.iso.datetime({ offset: true });
/** Real calendar days 2000–2099 and bounded periods: one helper, src/shared/time/calendar.ts. */
export { zLocalDay, zLocalMonth, zPeriod } from '../time/calendar';
export const zVersion = z.int().min(1);
export const zEmpty = z.strictObject({});
export const zOk = z.strictObject({ ok: z.literal(true) });

/**
 * Long series the server builds itself (a five-year report's 1 826 days) validated by one plain
 * loop instead of a zod parse per item, which cost more than computing the report. `check` must
 * accept exactly the values `item` accepts (tests/unit/checked-array.test.ts holds them to it);
 * the array is documented in `rpc.schema` as `z.array(item)` (`documentedAs`).
 */
export function checkedArray<I extends z.ZodType>(item: I, check: (value: unknown) => boolean): z.ZodType<z.output<I>[], z.input<I>[]> {
  const schema = z.custom<z.output<I>[]>((value) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!check(value[i])) return false;
    return true;
  }, 'Série invalide.') as unknown as z.ZodType<z.output<I>[], z.input<I>[]>;
  DOCUMENTED.set(schema, z.array(item));
  return schema;
}

const DOCUMENTED = new WeakMap<z.ZodType, z.ZodType>();

/** The schema a `checkedArray` is documented as (for `z.toJSONSchema`'s `override`), if any. */
export function documentedAs(schema: unknown): z.ZodType | undefined {
  return DOCUMENTED.get(schema as z.ZodType);
}

/**
 * Whether `value` is an object (not an array) with no enumerable key outside `keys`, as a strict
 * object requires (like zod, inherited enumerable keys count); the declared values are for the
 * caller to check.
 */
export function hasOnlyKeys(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const k in value) if (!keys.includes(k)) return false;
  return true;
}
