/**
 * The words of an ASIP contact (DOMAIN.md "ASIP: what a contact is"): channel, what was done,
 * orientation and flags. Codes are stable (statistics group by them); labels are French.
 */
export const CHANNELS = ['sur_place', 'sur_place_rdv', 'telephone', 'email', 'courrier', 'aller_vers'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS_FR: Record<Channel, string> = {
  sur_place: 'Sur place sans rendez-vous',
  sur_place_rdv: 'Sur place avec rendez-vous',
  telephone: 'Téléphone',
  email: 'Courriel',
  courrier: 'Courrier',
  aller_vers: 'Aller vers (hors les murs)',
};

export const CONTACT_ACTIONS = ['information', 'aide_demarche', 'document', 'rdv_pris', 'orientation'] as const;
export type ContactAction = (typeof CONTACT_ACTIONS)[number];

export const CONTACT_ACTION_LABELS_FR: Record<ContactAction, string> = {
  information: 'Information donnée',
  aide_demarche: 'Aide à une démarche en ligne',
  document: 'Document remis',
  rdv_pris: 'Rendez-vous pris',
  orientation: 'Orientation',
};

export const CONTACT_FLAGS = ['non_recours', 'situation_complexe', 'aide_numerique', 'interprete'] as const;
export type ContactFlag = (typeof CONTACT_FLAGS)[number];

export const CONTACT_FLAG_LABELS_FR: Record<ContactFlag, string> = {
  non_recours: 'Non-recours aux droits repéré',
  situation_complexe: 'Situation complexe',
  aide_numerique: 'Aide numérique apportée',
  interprete: 'Interprète',
};

export const ORIENTATION_KINDS = ['institution', 'partner'] as const;
export type OrientationKind = (typeof ORIENTATION_KINDS)[number];

/**
 * Why a contact is cancelled ("Annuler ce contact"): a closed list, so that nothing typed by hand
 * (and possibly personal) reaches the journal.
 */
export const CONTACT_CANCEL_REASONS = ['doublon', 'mauvais_passage', 'pas_un_contact', 'essai'] as const;
export type ContactCancelReason = (typeof CONTACT_CANCEL_REASONS)[number];

export const CONTACT_CANCEL_REASON_LABELS_FR: Record<ContactCancelReason, string> = {
  doublon: 'Enregistré deux fois',
  mauvais_passage: 'Rattaché au mauvais passage ou à la mauvaise personne',
  pas_un_contact: 'Ce n’était pas un contact (appel perdu, erreur de manipulation)',
  essai: 'Essai ou formation',
};
