/**
 * The request-domain taxonomy as the site holds it (seeded with version 1, later pulled from the
 * central database). Codes are stable; a retired domain keeps its code and label so that old
 * contacts still read correctly, but new contacts cannot use it.
 */
import { AppError } from '../../../shared/api/errors';
import { taxonomyDomains } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import type { CoreContext } from '../context';

export interface DomainRow {
  code: string;
  label: string;
  parent: string | null;
  since: number;
  retiredIn: number | null;
}

const Q = {
  domains: sql<Record<string, never>, Pick<Columns<typeof taxonomyDomains>, 'code' | 'label' | 'parent' | 'sinceVersion' | 'retiredIn'>>(
    'SELECT code, label, parent, since_version AS sinceVersion, retired_in AS retiredIn FROM taxonomy_domains ORDER BY rowid',
  ),
  version: sql<Record<string, never>, { v: number | null }>('SELECT MAX(MAX(since_version), COALESCE(MAX(retired_in), 0)) AS v FROM taxonomy_domains'),
};

export function listDomains(ctx: CoreContext, includeRetired: boolean): { version: number; domains: DomainRow[] } {
  const rows = Q.domains
    .all(ctx.store, {})
    .map((r): DomainRow => ({ code: r.code, label: r.label, parent: r.parent, since: r.sinceVersion, retiredIn: r.retiredIn }));
  return { version: taxonomyVersion(ctx), domains: includeRetired ? rows : rows.filter((r) => r.retiredIn === null) };
}

export function taxonomyVersion(ctx: CoreContext): number {
  return Q.version.get(ctx.store, {})!.v ?? 1;
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
