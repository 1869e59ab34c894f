/**
 * Institutions that share the ESC reception desk, and the external partners an agent orients
 * people to (DOMAIN.md "Who and where"). Which ones are present varies per site: the site
 * configuration selects among these codes.
 */
export const INSTITUTION_CODES = ['CCAS', 'CDAS', 'CAF', 'ARCS', 'WEKER'] as const;
export type InstitutionCode = (typeof INSTITUTION_CODES)[number];

export interface Institution {
  code: InstitutionCode;
  shortName: string;
  name: string;
  description: string;
}

export const INSTITUTIONS: readonly Institution[] = [
  {
    code: 'CCAS',
    shortName: 'CCAS',
    name: "Centre communal d'action sociale de Rennes",
    description: 'Accès aux droits, aides financières, instruction et accompagnement RSA',
  },
  {
    code: 'CDAS',
    shortName: 'CDAS',
    name: "Centre départemental d'action sociale (Département d'Ille-et-Vilaine)",
    description: 'Travailleurs sociaux : enfance, PMI, famille, logement, insertion, santé, autonomie',
  },
  {
    code: 'CAF',
    shortName: 'CAF',
    name: "Caisse d'allocations familiales d'Ille-et-Vilaine",
    description: 'Prestations familiales, rendez-vous accès aux droits, travail social familial',
  },
  {
    code: 'ARCS',
    shortName: 'Centre social',
    name: 'Association rennaise des centres sociaux',
    description: 'Vie sociale, activités collectives, bénévolat, participation',
  },
  {
    code: 'WEKER',
    shortName: 'We Ker',
    name: 'We Ker (Mission locale du bassin rennais)',
    description: 'Jeunes de 16 à 25 ans : emploi, formation, logement, santé',
  },
];

export function institutionLabel(code: string): string {
  return INSTITUTIONS.find((i) => i.code === code)?.shortName ?? code;
}

export function isInstitutionCode(code: string): code is InstitutionCode {
  return (INSTITUTION_CODES as readonly string[]).includes(code);
}

/** Destinations outside the building that reception signposts (seed list of the partner directory). */
export interface ExternalPartner {
  code: string;
  name: string;
}

export const EXTERNAL_PARTNERS: readonly ExternalPartner[] = [
  { code: 'FRANCE_TRAVAIL', name: 'France Travail' },
  { code: 'CPAM', name: "CPAM (Assurance maladie)" },
  { code: 'CARSAT', name: 'CARSAT (retraite)' },
  { code: 'MSA', name: 'MSA' },
  { code: 'MDPH', name: 'MDPH' },
  { code: 'POINT_SANTE', name: 'Point santé / PASS' },
  { code: 'SIAO_115', name: 'SIAO – 115 (hébergement d’urgence)' },
  { code: 'ADIL', name: 'ADIL (droit du logement)' },
  { code: 'FRANCE_SERVICES', name: 'France services' },
  { code: 'CONSEILLER_NUMERIQUE', name: 'Conseillers numériques' },
  { code: 'INFO_SOCIALE', name: 'Info sociale en ligne (Département)' },
  { code: 'ASSOCIATIONS', name: 'Associations' },
];
