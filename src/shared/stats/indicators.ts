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
  identifiedPassages: def(
    'identifiedPassages',
    'Contacts avec personne reconnue',
    'contacts',
    'Contacts pour lesquels la personne a accepté d’être reconnue (clé anonyme propre au site), comptés le jour du contact ; l’effacement ultérieur de la clé ne les retire pas.',
  ),
  distinctPersons: def(
    'distinctPersons',
    'Personnes distinctes reconnues',
    'personnes',
    'Nombre de personnes différentes parmi les contacts où la personne a été reconnue (clé anonyme), chacune comptée une fois, le premier jour de la période où elle est venue. Les contacts anonymes ne peuvent pas être dédoublonnés et sont comptés à part. La clé est effacée après la durée de conservation : une personne revenue après un intervalle plus long que cette durée est comptée deux fois sur une période qui couvre ses deux venues.',
  ),
  anonymousContacts: def('anonymousContacts', 'Contacts anonymes', 'contacts', 'Contacts sans reconnaissance de la personne.'),
  waitingNow: def('waitingNow', 'Personnes en attente maintenant', 'personnes', 'Tickets en attente d’appel à l’instant de la mesure (stock).'),
  waitMedian: def(
    'waitMedian',
    'Attente médiane',
    'minutes',
    'Médiane (au rang le plus proche, sur les valeurs individuelles arrondies au dixième de minute) du temps entre l’arrivée et le premier appel, sur les personnes appelées ou reçues dans la période. La fonction MEDIANE d’Excel interpole entre deux valeurs : elle peut différer légèrement.',
  ),
  waitP90: def(
    'waitP90',
    'Attente du 9e décile',
    'minutes',
    '90 % des personnes appelées ont attendu au plus ce temps (entre arrivée et premier appel ; rang le plus proche sur les valeurs individuelles arrondies au dixième de minute).',
  ),
  serviceMedian: def(
    'serviceMedian',
    'Durée médiane d’entretien',
    'minutes',
    'Médiane (au rang le plus proche, sur les valeurs individuelles arrondies au dixième de minute) du temps entre le début et la fin de l’entretien, sur les passages reçus.',
  ),
  leftRate: def(
    'leftRate',
    'Taux de départ sans être reçu',
    '%',
    'Part des arrivées (hors annulations) parties sans être reçues, absentes à l’appel ou non reçues à la fermeture.',
  ),
  outsideHours: def('outsideHours', 'Arrivées hors horaires', 'passages', 'Arrivées enregistrées en dehors des horaires d’ouverture au public du site.'),
  handoffs: def('handoffs', 'Passages de relais', 'relais', 'Passages de relais créés sur la période (comptés le jour de leur création), quel que soit leur devenir.'),
  handoffAcceptance: def(
    'handoffAcceptance',
    'Taux de prise en charge des relais',
    '%',
    'Parmi les relais qui ont reçu une première suite pendant la période (pris en charge, déclinés, expirés, annulés ou personne partie avant toute prise en charge), part des prises en charge. Chaque suite compte le jour où elle a eu lieu, quel que soit le jour de création du relais.',
  ),
  handoffAcceptMedian: def(
    'handoffAcceptMedian',
    'Délai médian de prise en charge',
    'minutes',
    'Médiane (au rang le plus proche) du temps entre la création et la prise en charge, pour les prises en charge de la période.',
  ),
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
  handoffsByState: def(
    'handoffsByState',
    'Suites des relais',
    'relais',
    'Suites données aux passages de relais pendant la période, selon l’état atteint (pris en charge, terminé, décliné, expiré, annulé, personne partie), chacune comptée le jour où elle a eu lieu : une journée clôturée ne change plus.',
  ),
  arrivalsByHour: def('arrivalsByHour', 'Arrivées par heure', 'passages', 'Arrivées (hors annulations) selon l’heure locale d’arrivée (Europe/Paris).'),
  heatmap: def('heatmap', 'Affluence par jour de semaine et heure', 'passages', 'Arrivées (hors annulations) cumulées sur la période par jour de la semaine et heure locale.'),
} as const satisfies Record<string, IndicatorDef>;

export type IndicatorCode = keyof typeof INDICATORS;
