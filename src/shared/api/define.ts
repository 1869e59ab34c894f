/**
 * Building blocks of the contract: one definition per method (zod params, zod result, the
 * permission it needs) and per event. Types, validation and JSON Schema all come from these.
 */
import { z } from 'zod';
import type { Permission } from '../permissions';

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
