/**
 * The journal (audit log) in French: one label for every audit action, object and field, and how
 * each field's values are written (Paris time, labels instead of codes). The journal screen, its
 * CSV export and the contact history all read this table. `tests/unit/audit-labels.test.ts` and
 * `tests/integration/audit-labels.test.ts` fail when an action or a field has no label here, so a
 * new audited change cannot reach the journal as a raw code.
 */
import { CHANNEL_LABELS_FR, CONTACT_ACTION_LABELS_FR, CONTACT_CANCEL_REASON_LABELS_FR, CONTACT_FLAG_LABELS_FR } from '../contacts/vocabulary';
import { formatCount, formatDateTime, formatDay } from '../format/fr';
import {
  DECLINE_REASON_LABELS_FR,
  HANDOFF_MODE_LABELS_FR,
  HANDOFF_STATE_LABELS_FR,
  SHARED_FIELD_LABELS_FR,
} from '../handoffs/states';
import { ROLE_LABELS_FR } from '../permissions';
import { NEED_LABELS_FR, PRIORITY_LABELS_FR, STATE_LABELS_FR } from '../queue/states';
import { DEFAULT_QUEUE_CONFIG } from '../queue/config';
import { EXTERNAL_PARTNERS, institutionLabel } from '../reference/institutions';
import { domainLabel } from '../reference/taxonomy';

/** What was touched: the `entity` column of the journal. */
export const AUDIT_ENTITY_LABELS_FR: Record<string, string> = {
  account: 'Comptes',
  session: 'Connexions',
  queue_entry: 'File d’attente',
  queue_day: 'Fermeture de la file',
  contact: 'Contacts',
  handoff: 'Passages de relais',
  day: 'Clôtures',
  setting: 'Réglages',
  directory_entry: 'Annuaire',
  partner: 'Partenaires',
  privacy: 'Données personnelles',
  support: 'Assistance',
  backup: 'Sauvegardes',
  sync: 'Synchronisation',
  device: 'Postes du site',
  key: 'Clé de la base',
  seed: 'Données de démonstration',
};

/** Every action written to the journal (`recordAudit({ action })`). */
export const AUDIT_ACTION_LABELS_FR: Record<string, string> = {
  'account.create': 'Compte créé',
  'account.update': 'Compte modifié',
  'account.resetPassword': 'Mot de passe provisoire donné par l’administration',
  'account.changePassword': 'Mot de passe changé',
  'account.setPin': 'Code personnel choisi',
  'account.lockedOut': 'Compte bloqué après des échecs de connexion',
  'session.login': 'Connexion',
  'session.pinLogin': 'Connexion avec le code personnel',
  'session.logout': 'Déconnexion',
  'queue.add': 'Arrivée enregistrée',
  'queue.call': 'Appel',
  'queue.recall': 'Nouvel appel',
  'queue.start': 'Entretien commencé',
  'queue.finish': 'Entretien terminé',
  'queue.noShow': 'Absent·e à l’appel',
  'queue.left': 'Parti·e sans être reçu·e',
  'queue.cancel': 'Ticket annulé',
  'queue.move': 'Orienté vers un autre service',
  'queue.reorder': 'Ordre de passage changé',
  'queue.close': 'File close à la fermeture',
  'queue.handOver': 'Relayé·e (passage de relais)',
  'queue.closeRemaining': 'Tickets restants clos à la clôture',
  'contact.log': 'Contact enregistré',
  'contact.update': 'Contact corrigé',
  'contact.cancel': 'Contact annulé',
  'handoff.create': 'Passage de relais envoyé',
  'handoff.seen': 'Passage de relais vu',
  'handoff.accept': 'Passage de relais pris en charge',
  'handoff.decline': 'Passage de relais décliné',
  'handoff.complete': 'Passage de relais terminé',
  'handoff.cancel': 'Passage de relais annulé',
  'handoff.personLeft': 'Personne partie (relais)',
  'handoff.expire': 'Passage de relais expiré sans réponse',
  'handoff.readDetails': 'Informations transmises consultées',
  'day.close': 'Journée clôturée',
  'day.reopen': 'Journée rouverte',
  'setting.update': 'Réglage modifié',
  'directory.create': 'Entrée ajoutée à l’annuaire',
  'directory.update': 'Entrée de l’annuaire modifiée',
  'partner.create': 'Partenaire ajouté',
  'partner.update': 'Partenaire modifié',
  'privacy.search': 'Recherche sur une personne (droit d’accès)',
  'privacy.erase': 'Données personnelles effacées',
  'support.bundle': 'Dossier d’assistance téléchargé',
  'backup.run': 'Sauvegarde faite',
  'backup.restore': 'Sauvegarde restaurée',
  'sync.configure': 'Serveur central réglé',
  'sync.run': 'Synchronisation réussie',
  'sync.failed': 'Synchronisation échouée',
  'device.pairing_code': 'Code d’appairage créé',
  'device.pair': 'Poste appairé',
  'device.pair_failed': 'Appairage refusé (code faux ou expiré)',
  'device.revoke': 'Poste révoqué',
  'key.recovered': 'Base rouverte avec la clé de secours',
  'seed.run': 'Données de démonstration créées',
};

/**
 * How a field's values are written:
 * `hidden` fields (identifiers, versions) are left out of the journal; `account` values are
 * account ids, replaced by the person's name before they are shown (`src/main/core/audit/present.ts`).
 */
export type AuditValueKind =
  | 'text'
  | 'hidden'
  | 'instant'
  | 'day'
  | 'bool'
  | 'count'
  | 'minutes'
  | 'account'
  | 'channel'
  | 'domains'
  | 'contactActions'
  | 'contactFlags'
  | 'contactCancelReason'
  | 'queueState'
  | 'handoffState'
  | 'closingState'
  | 'institution'
  | 'orientationTarget'
  | 'orientationKind'
  | 'role'
  | 'service'
  | 'priorities'
  | 'needs'
  | 'sharedFields'
  | 'mode'
  | 'urgency'
  | 'declineReason'
  | 'directoryKind'
  | 'settingValue';

export interface AuditFieldDef {
  label: string;
  kind: AuditValueKind;
}

const f = (label: string, kind: AuditValueKind = 'text'): AuditFieldDef => ({ label, kind });

/** Every field that appears in an audit diff, whatever the object. */
export const AUDIT_FIELDS: Record<string, AuditFieldDef> = {
  // Technical: never shown.
  id: f('Identifiant', 'hidden'),
  version: f('Version', 'hidden'),
  updatedAt: f('Modifié le', 'hidden'),
  changeSeq: f('Séquence de synchronisation', 'hidden'),
  createdAt: f('Créé le', 'instant'),
  // Accounts and sessions.
  login: f('Identifiant de connexion'),
  displayName: f('Nom affiché'),
  role: f('Rôle', 'role'),
  institution: f('Institution', 'institution'),
  disabled: f('Compte désactivé', 'bool'),
  mustChangePassword: f('Mot de passe provisoire', 'bool'),
  lastLoginAt: f('Dernière connexion', 'instant'),
  lockedUntil: f('Bloqué jusqu’à', 'instant'),
  origin: f('Origine'),
  // Queue entries.
  day: f('Journée', 'day'),
  ticket: f('Ticket'),
  ticketNumber: f('Numéro de ticket', 'count'),
  serviceCode: f('Service', 'service'),
  originalServiceCode: f('Service à l’arrivée', 'service'),
  purpose: f('Motif', 'domains'),
  appointmentAt: f('Rendez-vous', 'instant'),
  appointmentWithAccountId: f('Rendez-vous avec', 'account'),
  priorityReasons: f('Priorité', 'priorities'),
  needs: f('Besoins', 'needs'),
  state: f('État', 'queueState'),
  arrivedAt: f('Arrivée', 'instant'),
  firstCalledAt: f('Premier appel', 'instant'),
  lastCalledAt: f('Dernier appel', 'instant'),
  callCount: f('Nombre d’appels', 'count'),
  calledTo: f('Appelé·e vers'),
  calledBy: f('Appelé par', 'account'),
  startedAt: f('Début de l’entretien', 'instant'),
  servedBy: f('Reçu·e par', 'account'),
  finishedAt: f('Fin de l’entretien', 'instant'),
  endedAt: f('Fin du passage', 'instant'),
  outsideHours: f('Hors horaires d’ouverture', 'bool'),
  sortOverride: f('Ordre de passage modifié', 'instant'),
  reason: f('Motif'),
  closedEntries: f('Tickets clos', 'count'),
  finishedEntries: f('Entretiens terminés', 'count'),
  file: f('Fichier'),
  motive: f('Motif de l’effacement'),
  // Contacts.
  at: f('Heure du contact', 'instant'),
  agentId: f('Agent', 'account'),
  agentInstitution: f('Institution de l’agent', 'institution'),
  channel: f('Canal', 'channel'),
  domains: f('Domaines', 'domains'),
  actions: f('Ce qui a été fait', 'contactActions'),
  orientationKind: f('Type d’orientation', 'orientationKind'),
  orientationTarget: f('Orientation', 'orientationTarget'),
  flags: f('Repères', 'contactFlags'),
  durationMinutes: f('Durée', 'minutes'),
  queueEntryId: f('Passage de la file', 'hidden'),
  note: f('Note de suivi'),
  identified: f('Personne reconnue', 'bool'),
  taxonomyVersion: f('Version des domaines', 'count'),
  deletedAt: f('Annulé le', 'instant'),
  cancelReason: f('Motif de l’annulation', 'contactCancelReason'),
  // Hand-overs.
  fromAccountId: f('Envoyé par', 'account'),
  fromInstitution: f('Institution qui envoie', 'institution'),
  toInstitution: f('Institution destinataire', 'institution'),
  toEntryId: f('Destinataire dans l’annuaire', 'hidden'),
  toAccountId: f('Professionnel destinataire', 'account'),
  urgency: f('Urgence', 'urgency'),
  mode: f('Mode choisi par la personne', 'mode'),
  appointmentPlace: f('Lieu du rendez-vous'),
  consent: f('Accord de la personne', 'bool'),
  sharedFields: f('Informations transmises', 'sharedFields'),
  details: f('Informations personnelles'),
  seenAt: f('Vu le', 'instant'),
  acceptedAt: f('Pris en charge le', 'instant'),
  declinedAt: f('Décliné le', 'instant'),
  declineReason: f('Motif du refus', 'declineReason'),
  declineReasonLabel: f('Motif du refus'),
  declineText: f('Précision du refus'),
  closedAt: f('Clos le', 'instant'),
  lateAt: f('En retard à partir de', 'instant'),
  expiresAt: f('Expire le', 'instant'),
  reorientedFromId: f('Réorientation d’un relais', 'hidden'),
  reorientedToId: f('Réorienté vers un autre relais', 'hidden'),
  anonymisedAt: f('Informations effacées le', 'instant'),
  contactId: f('Contact', 'hidden'),
  // Day closings.
  closedByName: f('Clôturée par'),
  remark: f('Remarque'),
  reopenedAt: f('Rouverte le', 'instant'),
  reopenedByName: f('Rouverte par'),
  reopenReason: f('Motif de la réouverture'),
  // Settings.
  value: f('Valeur', 'settingValue'),
  // Directory and partners.
  kind: f('Type', 'directoryKind'),
  name: f('Nom'),
  office: f('Bureau'),
  extension: f('Poste téléphonique'),
  mailbox: f('Messagerie'),
  presence: f('Jours de présence'),
  permanences: f('Permanences'),
  accountId: f('Compte lié', 'account'),
  active: f('Actif', 'bool'),
  code: f('Code'),
  address: f('Adresse'),
  phone: f('Téléphone'),
  accessConditions: f('Conditions d’accès'),
  prescriberRequired: f('Prescripteur requis', 'bool'),
  // Personal data, backups, sync, devices, key, demo data.
  results: f('Résultats trouvés', 'count'),
  erased: f('Données effacées', 'count'),
  setAside: f('Base remplacée conservée sous'),
  central: f('Serveur central'),
  pushed: f('Lignes envoyées', 'count'),
  pulled: f('Références reçues', 'count'),
  batches: f('Lots', 'count'),
  keyring: f('Protection de la clé'),
  range: f('Période'),
  seed: f('Graine'),
  entries: f('Passages créés', 'count'),
  contacts: f('Contacts créés', 'count'),
  handoffs: f('Relais créés', 'count'),
};

/** The French label of an action; the raw code only for an action this version does not know. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS_FR[action] ?? action;
}

export function auditEntityLabel(entity: string): string {
  return AUDIT_ENTITY_LABELS_FR[entity] ?? entity;
}

export function auditFieldDef(field: string): AuditFieldDef {
  return AUDIT_FIELDS[field] ?? { label: field, kind: 'text' };
}

/** Names of the settings (the journal's `entityId` for `setting.update`). */
export const SETTING_LABELS_FR: Record<string, string> = {
  'queue.config': 'Réglages de la file',
  'handoffs.config': 'Délais des passages de relais',
  'privacy.retention': 'Durées de conservation',
};

/** Top-level keys of the settings' values, to say what changed in a setting. */
const SETTING_PART_LABELS_FR: Record<string, string> = {
  services: 'services',
  destinations: 'guichets et bureaux',
  thresholds: 'seuils d’attente',
  noShowAfterCalls: 'règle d’absence',
  policy: 'ordre de passage',
  delays: 'délais de réponse',
  retentionDays: 'conservation des informations',
  contactNotesDays: 'conservation des notes',
  personKeysDays: 'conservation des clés pseudonymes',
};

const CLOSING_STATE_LABELS_FR: Record<string, string> = { closed: 'Clôturée', reopened: 'Rouverte' };

function parseList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return [];
  if (!v.startsWith('[')) return [v];
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [v];
  } catch {
    return [v];
  }
}

function listOf(v: unknown, label: (code: string) => string): string {
  const items = parseList(v);
  return items.length === 0 ? 'aucun' : items.map(label).join(', ');
}

const serviceLabel = (code: string) => DEFAULT_QUEUE_CONFIG.services.find((s) => s.code === code)?.label ?? code;
const orientationLabel = (code: string) => (code === 'AUCUNE' ? 'Sans orientation' : institutionLabel(code) !== code ? institutionLabel(code) : (EXTERNAL_PARTNERS.find((p) => p.code === code)?.name ?? code));
const fromTable = (table: Record<string, string>) => (code: string) => table[code] ?? code;

/** The kind of a field on an object: `state` means a queue, hand-over or closing state. */
function kindOf(field: string, entity: string | undefined): AuditValueKind {
  const { kind } = auditFieldDef(field);
  if (field === 'state') return entity === 'handoff' ? 'handoffState' : entity === 'day' ? 'closingState' : 'queueState';
  return kind;
}

/** One value of a field of an object (`entity`) as the journal writes it (`—` for nothing). */
export function formatAuditValue(field: string, value: unknown, entity?: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const kind = kindOf(field, entity);
  const s = String(value);
  switch (kind) {
    case 'instant': {
      const d = new Date(s);
      return Number.isNaN(d.getTime()) ? s : formatDateTime(d);
    }
    case 'day':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? formatDay(s) : s;
    case 'bool':
      return value === true || value === 1 || s === 'true' || s === '1' ? 'oui' : value === false || value === 0 || s === 'false' || s === '0' ? 'non' : s;
    case 'count':
      return typeof value === 'number' ? formatCount(value) : s;
    case 'minutes':
      return typeof value === 'number' ? `${formatCount(value)}\u00a0min` : s;
    case 'channel':
      return fromTable(CHANNEL_LABELS_FR)(s);
    case 'domains':
      return listOf(value, domainLabel);
    case 'contactActions':
      return listOf(value, fromTable(CONTACT_ACTION_LABELS_FR));
    case 'contactFlags':
      return listOf(value, fromTable(CONTACT_FLAG_LABELS_FR));
    case 'contactCancelReason':
      return fromTable(CONTACT_CANCEL_REASON_LABELS_FR)(s);
    case 'queueState':
      return fromTable(STATE_LABELS_FR)(s);
    case 'handoffState':
      return fromTable(HANDOFF_STATE_LABELS_FR)(s);
    case 'closingState':
      return fromTable(CLOSING_STATE_LABELS_FR)(s);
    case 'institution':
      return institutionLabel(s);
    case 'orientationTarget':
      return orientationLabel(s);
    case 'orientationKind':
      return s === 'institution' ? 'Institution du site' : s === 'partner' ? 'Partenaire extérieur' : s;
    case 'role':
      return fromTable(ROLE_LABELS_FR)(s);
    case 'service':
      return serviceLabel(s);
    case 'priorities':
      return listOf(value, fromTable(PRIORITY_LABELS_FR));
    case 'needs':
      return listOf(value, fromTable(NEED_LABELS_FR));
    case 'sharedFields':
      return listOf(value, fromTable(SHARED_FIELD_LABELS_FR));
    case 'mode':
      return fromTable(HANDOFF_MODE_LABELS_FR)(s);
    case 'urgency':
      return s === 'urgente' ? 'Urgente' : s === 'normale' ? 'Normale' : s;
    case 'declineReason':
      return fromTable(DECLINE_REASON_LABELS_FR)(s);
    case 'directoryKind':
      return s === 'team' ? 'Équipe' : s === 'person' ? 'Professionnel·le' : s;
    case 'account':
      return s;
    case 'settingValue':
      return 'réglage';
    default:
      return s;
  }
}

export interface AuditChangeView {
  field: string;
  label: string;
  before: string;
  after: string;
}

/**
 * The changes of one journal row as a reader sees them: hidden fields left out, French labels,
 * formatted values. A setting's whole value becomes the list of parts that changed.
 */
export function describeAuditChanges(entity: string, changes: readonly { field: string; before: unknown; after: unknown }[]): AuditChangeView[] {
  const out: AuditChangeView[] = [];
  for (const c of changes) {
    const def = auditFieldDef(c.field);
    if (def.kind === 'hidden') continue;
    if (def.kind === 'settingValue' || (entity === 'setting' && c.field === 'value')) {
      out.push({ field: c.field, label: 'Parties modifiées', before: '—', after: changedSettingParts(c.before, c.after) });
      continue;
    }
    out.push({ field: c.field, label: def.label, before: formatAuditValue(c.field, c.before, entity), after: formatAuditValue(c.field, c.after, entity) });
  }
  return out;
}

function parseObject(v: unknown): Record<string, unknown> {
  if (typeof v !== 'string') return {};
  try {
    const o = JSON.parse(v) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function changedSettingParts(before: unknown, after: unknown): string {
  const b = parseObject(before);
  const a = parseObject(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (keys.length === 0) return before === null || before === undefined ? 'premier enregistrement' : 'aucune';
  return keys.map((k) => SETTING_PART_LABELS_FR[k] ?? k).join(', ');
}

/** "Réglages de la file", "Journée du 23/11/2026"…: the object of a journal row in words. */
export function auditObjectLabel(entity: string, entityId: string | null): string {
  const base = auditEntityLabel(entity);
  if (!entityId) return base;
  if (entity === 'setting') return SETTING_LABELS_FR[entityId] ?? base;
  if ((entity === 'day' || entity === 'queue_day') && /^\d{4}-\d{2}-\d{2}$/.test(entityId)) return `${base} – ${formatDay(entityId)}`;
  return base;
}
