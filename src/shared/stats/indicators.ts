/**
 * Every figure the product shows carries a written definition, a unit and a period (DOMAIN.md
 * counting rules). The same table is shown in the UI, stored in day-closing snapshots and written
 * to every export ("Définitions").
 */
export interface IndicatorDef {
  code: string;
  label: string;
  unit: string;
  definition: string;
}

const def = (code: string, label: string, unit: string, definition: string): IndicatorDef => ({ code, label, unit, definition });

export const INDICATORS = {
  arrivals: def(
    'arrivals',
    'Arrivées à l’accueil',
    'passages',
    'Nombre de personnes enregistrées dans la file d’attente sur la période (tickets), hors tickets annulés pour erreur d’enregistrement. Flux.',
  ),
  received: def(
    'received',
    'Passages reçus',
    'passages',
    'Arrivées reçues : entretien terminé à un guichet ou un bureau, ou passage de relais fait depuis le ticket vers une autre institution (« Relayé·e »). Flux.',
  ),
  contacts: def(
    'contacts',
    'Contacts ASIP',
    'contacts',
    'Nombre de contacts de premier accueil enregistrés (sur place, téléphone, courriel, courrier, aller vers) sur la période. Flux ; jamais extrapolé.',
  ),
  identifiedPassages: def('identifiedPassages', 'Contacts avec personne reconnue', 'contacts', 'Contacts pour lesquels la personne a accepté d’être reconnue (clé anonyme propre au site).'),
  distinctPersons: def(
    'distinctPersons',
    'Personnes distinctes reconnues',
    'personnes',
    'Nombre de personnes différentes parmi les contacts où la personne a été reconnue (clé anonyme). Les contacts anonymes ne peuvent pas être dédoublonnés et sont comptés à part.',
  ),
  anonymousContacts: def('anonymousContacts', 'Contacts anonymes', 'contacts', 'Contacts sans reconnaissance de la personne.'),
  waitingNow: def('waitingNow', 'Personnes en attente maintenant', 'personnes', 'Tickets en attente d’appel à l’instant de la mesure (stock).'),
  waitMedian: def(
    'waitMedian',
    'Attente médiane',
    'minutes',
    'Médiane du temps entre l’arrivée et le premier appel, sur les personnes appelées ou reçues dans la période.',
  ),
  waitP90: def('waitP90', 'Attente du 9e décile', 'minutes', '90 % des personnes appelées ont attendu au plus ce temps (entre arrivée et premier appel).'),
  serviceMedian: def('serviceMedian', 'Durée médiane d’entretien', 'minutes', 'Médiane du temps entre le début et la fin de l’entretien, sur les passages reçus.'),
  leftRate: def(
    'leftRate',
    'Taux de départ sans être reçu',
    '%',
    'Part des arrivées (hors annulations) parties sans être reçues, absentes à l’appel ou non reçues à la fermeture.',
  ),
  outsideHours: def('outsideHours', 'Arrivées hors horaires', 'passages', 'Arrivées enregistrées en dehors des horaires d’ouverture au public du site.'),
  handoffs: def('handoffs', 'Passages de relais', 'relais', 'Passages de relais créés sur la période, quel que soit leur devenir.'),
  handoffAcceptance: def(
    'handoffAcceptance',
    'Taux de prise en charge des relais',
    '%',
    'Part des passages de relais créés sur la période qui ont été pris en charge (acceptés, puis éventuellement terminés).',
  ),
  handoffAcceptMedian: def('handoffAcceptMedian', 'Délai médian de prise en charge', 'minutes', 'Médiane du temps entre la création et la prise en charge des relais acceptés.'),
  daysClosedShare: def('daysClosedShare', 'Journées clôturées', '%', 'Part des journées d’ouverture de la période clôturées par la coordination.'),
  byService: def('byService', 'Arrivées par service', 'passages', 'Arrivées (hors annulations) réparties selon le service où la personne a été reçue en dernier.'),
  byChannel: def('byChannel', 'Contacts par canal', 'contacts', 'Contacts ASIP répartis par canal.'),
  byDomain: def(
    'byDomain',
    'Contacts par domaine de demande',
    'contacts',
    'Contacts ASIP par domaine (code stable de la taxonomie) ; un contact portant plusieurs domaines compte dans chacun, le total dépasse donc le nombre de contacts.',
  ),
  byOrientation: def('byOrientation', 'Orientations par destination', 'contacts', 'Contacts ayant donné lieu à une orientation, par institution ou partenaire de destination.'),
  handoffsByState: def('handoffsByState', 'Relais par statut', 'relais', 'Passages de relais créés sur la période, selon leur statut au moment de la mesure.'),
  arrivalsByHour: def('arrivalsByHour', 'Arrivées par heure', 'passages', 'Arrivées (hors annulations) selon l’heure locale d’arrivée (Europe/Paris).'),
  heatmap: def('heatmap', 'Affluence par jour de semaine et heure', 'passages', 'Arrivées (hors annulations) cumulées sur la période par jour de la semaine et heure locale.'),
} as const satisfies Record<string, IndicatorDef>;

export type IndicatorCode = keyof typeof INDICATORS;
