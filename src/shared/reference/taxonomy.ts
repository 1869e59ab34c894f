/**
 * Version 1 of the request-domain taxonomy (DOMAIN.md "Request domains"). Codes are stable:
 * statistics group by code, labels may change, a retired domain keeps its code forever.
 */
export interface RequestDomain {
  code: string;
  label: string;
  parent: string | null;
  /** Taxonomy version in which the domain appeared. */
  since: number;
  /** Taxonomy version from which the domain is no longer offered (null: still offered). */
  retiredIn: number | null;
}

export const TAXONOMY_VERSION = 1;

const d = (code: string, label: string, parent: string | null = null): RequestDomain => ({
  code,
  label,
  parent,
  since: 1,
  retiredIn: null,
});

export const REQUEST_DOMAINS_V1: readonly RequestDomain[] = [
  d('DROITS', 'Accès aux droits / RSA'),
  d('DROITS_RSA', 'RSA (demande, accompagnement)', 'DROITS'),
  d('BUDGET', 'Aides financières / budget'),
  d('LOGEMENT', 'Logement (accès, maintien, charges)'),
  d('ENERGIE', 'Énergie et eau'),
  d('SANTE', 'Santé (dont santé psychique, handicap)'),
  d('PARENTALITE', 'Parentalité / garde d’enfants'),
  d('ALIMENTATION', 'Alimentation'),
  d('MOBILITE', 'Mobilité / transports'),
  d('NUMERIQUE', 'Numérique / démarches en ligne'),
  d('EMPLOI', 'Emploi / formation'),
  d('LOISIRS', 'Culture, loisirs, sport / bénévolat'),
  d('RETRAITE', 'Retraite / AAH'),
  d('HEBERGEMENT', 'Hébergement d’urgence'),
  d('ADMINISTRATIF', 'Administratif / courrier'),
  d('AUTRE', 'Autre'),
];

export function domainLabel(code: string): string {
  return REQUEST_DOMAINS_V1.find((x) => x.code === code)?.label ?? code;
}
