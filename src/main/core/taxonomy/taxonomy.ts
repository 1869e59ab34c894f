/**
 * The request-domain taxonomy as the site holds it (seeded with version 1, later pulled from the
 * central database). Codes are stable; a retired domain keeps its code and label so that old
 * contacts still read correctly, but new contacts cannot use it.
 */
import { AppError } from '../../../shared/api/errors';
import type { CoreContext } from '../context';

export interface DomainRow {
  code: string;
  label: string;
  parent: string | null;
  since: number;
  retiredIn: number | null;
}

export function listDomains(ctx: CoreContext, includeRetired: boolean): { version: number; domains: DomainRow[] } {
  const rows = ctx.store.sqlite
    .prepare('SELECT code, label, parent, since_version AS since, retired_in AS retiredIn FROM taxonomy_domains ORDER BY rowid')
    .all() as DomainRow[];
  return { version: taxonomyVersion(ctx), domains: includeRetired ? rows : rows.filter((r) => r.retiredIn === null) };
}

export function taxonomyVersion(ctx: CoreContext): number {
  const row = ctx.store.sqlite.prepare('SELECT MAX(MAX(since_version), COALESCE(MAX(retired_in), 0)) AS v FROM taxonomy_domains').get() as { v: number | null };
  return row.v ?? 1;
}

/** Refuses unknown or retired codes with VALIDATION and the failing path. */
export function assertActiveDomains(ctx: CoreContext, codes: readonly string[], path = 'domains'): void {
  const active = new Set(listDomains(ctx, false).domains.map((d) => d.code));
  const bad = codes.filter((c) => !active.has(c));
  if (bad.length > 0) {
    throw new AppError(
      'VALIDATION',
      `Domaine${bad.length > 1 ? 's' : ''} de demande inconnu${bad.length > 1 ? 's' : ''} ou retiré${bad.length > 1 ? 's' : ''} : ${bad.join(', ')}.`,
      bad.map((c) => ({ path: `${path}.${codes.indexOf(c)}`, message: `Domaine inconnu ou retiré : ${c}` })),
    );
  }
}
