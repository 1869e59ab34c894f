/**
 * Institutions that share the ESC reception desk, and the external partners an agent orients
 * people to (DOMAIN.md "Who and where"). Which ones are present varies per site: the site
 * configuration selects among these codes.
 */
export const INSTITUTION_CODES = ['CCAS', 'CDAS', 'CAF', 'ARCS', 'WEKER'] as const;
export type InstitutionCode = (typeof INSTITUTION_CODES)[number];

/** The definite article the short name takes in a French sentence (`null`: a proper name, none). */
export type Article = 'le' | 'la' | 'l' | null;

export interface Institution {
  code: InstitutionCode;
  shortName: string;
  name: string;
  description: string;
  /** "le CDAS", "la CAF", "le centre social", "We Ker". */
  article: Article;
  /** The name inside a sentence when it differs from `shortName` ("centre social"). */
  sentenceName?: string;
}

export const INSTITUTIONS: readonly Institution[] = [
  {
    code: 'CCAS',
    shortName: 'CCAS',
    name: "Centre communal d'action sociale de Rennes",
    description: 'Accès aux droits, aides financières, instruction et accompagnement RSA',
    article: 'le',
  },
  {
    code: 'CDAS',
    shortName: 'CDAS',
    name: "Centre départemental d'action sociale (Département d'Ille-et-Vilaine)",
    description: 'Travailleurs sociaux : enfance, PMI, famille, logement, insertion, santé, autonomie',
    article: 'le',
  },
  {
    code: 'CAF',
    shortName: 'CAF',
    name: "Caisse d'allocations familiales d'Ille-et-Vilaine",
    description: 'Prestations familiales, rendez-vous accès aux droits, travail social familial',
    article: 'la',
  },
  {
    code: 'ARCS',
    shortName: 'Centre social',
    name: 'Association rennaise des centres sociaux',
    description: 'Vie sociale, activités collectives, bénévolat, participation',
    article: 'le',
    sentenceName: 'centre social',
  },
  {
    code: 'WEKER',
    shortName: 'We Ker',
    name: 'We Ker (Mission locale du bassin rennais)',
    description: 'Jeunes de 16 à 25 ans : emploi, formation, logement, santé',
    article: null,
  },
];

export function institutionLabel(code: string): string {
  return INSTITUTIONS.find((i) => i.code === code)?.shortName ?? code;
}

/**
 * An institution inside a French sentence, with the article and its contraction:
 * - `the`: "le CDAS", "la CAF", "le centre social", "We Ker";
 * - `to`: "au CDAS", "à la CAF", "au centre social", "à We Ker";
 * - `of`: "du CDAS", "de la CAF", "du centre social", "de We Ker";
 * - `The`: the same as `the`, capitalised to start a sentence ("Le CDAS a pris en charge…").
 * Unknown codes fall back to the code itself, without an article.
 */
export function institutionIn(code: string, form: 'the' | 'to' | 'of' | 'The'): string {
  const inst = INSTITUTIONS.find((i) => i.code === code);
  const name = inst ? (inst.sentenceName ?? inst.shortName) : code;
  const article = inst?.article ?? null;
  let out: string;
  if (article === null) out = form === 'to' ? `à ${name}` : form === 'of' ? `de ${name}` : name;
  else if (article === 'l') out = form === 'to' ? `à l’${name}` : form === 'of' ? `de l’${name}` : `l’${name}`;
  else if (article === 'la') out = form === 'to' ? `à la ${name}` : form === 'of' ? `de la ${name}` : `la ${name}`;
  else out = form === 'to' ? `au ${name}` : form === 'of' ? `du ${name}` : `le ${name}`;
  return form === 'The' ? out.charAt(0).toUpperCase() + out.slice(1) : out;
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
