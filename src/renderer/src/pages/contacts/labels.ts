/** Labels of orientation destinations (institutions on site and outside partners). */
import { EXTERNAL_PARTNERS, INSTITUTIONS } from '../../../../shared/reference/institutions';

export function orientationLabel(target: string | null | undefined): string {
  if (!target || target === 'AUCUNE') return 'Sans orientation';
  return INSTITUTIONS.find((i) => i.code === target)?.shortName ?? EXTERNAL_PARTNERS.find((p) => p.code === target)?.name ?? target;
}

export const orientationOptions = [
  { group: 'Institutions sur site', items: INSTITUTIONS.map((i) => ({ value: `institution:${i.code}`, label: i.shortName })) },
  { group: 'Partenaires extérieurs', items: EXTERNAL_PARTNERS.map((p) => ({ value: `partner:${p.code}`, label: p.name })) },
];
