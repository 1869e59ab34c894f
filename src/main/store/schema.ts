/**
 * Drizzle view of the local store. The DDL lives in the bundled migrations (drizzle-kit cannot
 * open encrypted files); `tests/integration/store.test.ts` checks that both agree column by column.
 */
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Columns shared by every table that syncs to the central database. */
const syncColumns = {
  siteId: text('site_id').notNull(),
  updatedAt: text('updated_at').notNull(),
  version: integer('version').notNull().default(1),
  changeSeq: integer('change_seq').notNull().default(0),
  deletedAt: text('deleted_at'),
};

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const changeCounter = sqliteTable('change_counter', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull(),
});

export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull(),
  login: text('login').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ['agent_accueil', 'professionnel', 'coordinateur', 'admin'] }).notNull(),
  institution: text('institution'),
  passwordHash: text('password_hash').notNull(),
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  lastLoginAt: text('last_login_at'),
  version: integer('version').notNull().default(1),
  pinHash: text('pin_hash'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: text('locked_until'),
  lastPasswordLoginAt: text('last_password_login_at'),
});

export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => accounts.id),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  lastSeenAt: text('last_seen_at').notNull(),
  revokedAt: text('revoked_at'),
  lockedAt: text('locked_at'),
  method: text('method', { enum: ['password', 'pin'] }).notNull().default('password'),
});

export const auditLog = sqliteTable('audit_log', {
  id: text('id').primaryKey(),
  siteId: text('site_id').notNull(),
  at: text('at').notNull(),
  actorId: text('actor_id'),
  actorLogin: text('actor_login'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id'),
  diff: text('diff').notNull(),
});

export const siteSettings = sqliteTable('site_settings', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  value: text('value').notNull(),
  ...syncColumns,
});

export const queueEntries = sqliteTable('queue_entries', {
  id: text('id').primaryKey(),
  day: text('day').notNull(),
  ticket: text('ticket').notNull(),
  ticketNumber: integer('ticket_number').notNull(),
  serviceCode: text('service_code').notNull(),
  originalServiceCode: text('original_service_code').notNull(),
  purpose: text('purpose'),
  firstName: text('first_name'),
  appointmentAt: text('appointment_at'),
  appointmentWithAccountId: text('appointment_with_account_id'),
  priorityReasons: text('priority_reasons').notNull().default('[]'),
  needs: text('needs').notNull().default('[]'),
  state: text('state', { enum: ['waiting', 'called', 'in_progress', 'done', 'handed_over', 'no_show', 'left', 'cancelled', 'closed'] }).notNull(),
  arrivedAt: text('arrived_at').notNull(),
  firstCalledAt: text('first_called_at'),
  lastCalledAt: text('last_called_at'),
  callCount: integer('call_count').notNull().default(0),
  calledTo: text('called_to'),
  calledBy: text('called_by'),
  startedAt: text('started_at'),
  servedBy: text('served_by'),
  finishedAt: text('finished_at'),
  endedAt: text('ended_at'),
  outsideHours: integer('outside_hours', { mode: 'boolean' }).notNull().default(false),
  sortOverride: text('sort_override'),
  registeredBy: text('registered_by'),
  ...syncColumns,
});

export const queueEvents = sqliteTable('queue_events', {
  id: text('id').primaryKey(),
  entryId: text('entry_id').notNull(),
  day: text('day').notNull(),
  at: text('at').notNull(),
  action: text('action').notNull(),
  fromState: text('from_state'),
  toState: text('to_state').notNull(),
  actorId: text('actor_id'),
  serviceFrom: text('service_from'),
  serviceTo: text('service_to'),
  destination: text('destination'),
  reason: text('reason'),
});

export const taxonomyDomains = sqliteTable('taxonomy_domains', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  parent: text('parent'),
  sinceVersion: integer('since_version').notNull(),
  retiredIn: integer('retired_in'),
  updatedAt: text('updated_at').notNull(),
});

export const contacts = sqliteTable('contacts', {
  id: text('id').primaryKey(),
  day: text('day').notNull(),
  at: text('at').notNull(),
  agentId: text('agent_id').notNull(),
  agentInstitution: text('agent_institution'),
  channel: text('channel').notNull(),
  domains: text('domains').notNull(),
  actions: text('actions').notNull().default('[]'),
  orientationKind: text('orientation_kind'),
  orientationTarget: text('orientation_target'),
  flags: text('flags').notNull().default('[]'),
  durationMinutes: integer('duration_minutes'),
  queueEntryId: text('queue_entry_id').unique(),
  ticket: text('ticket'),
  note: text('note'),
  personKey: text('person_key'),
  taxonomyVersion: integer('taxonomy_version').notNull(),
  ...syncColumns,
});

export const contactDomains = sqliteTable('contact_domains', {
  contactId: text('contact_id').notNull(),
  day: text('day').notNull(),
  domainCode: text('domain_code').notNull(),
  /** Set with the contact's own tombstone when the contact is cancelled. */
  deletedAt: text('deleted_at'),
});

export const dayClosings = sqliteTable('day_closings', {
  id: text('id').primaryKey(),
  day: text('day').notNull().unique(),
  state: text('state', { enum: ['closed', 'reopened'] }).notNull(),
  closedAt: text('closed_at').notNull(),
  closedBy: text('closed_by'),
  remark: text('remark'),
  snapshot: text('snapshot'),
  reopenedAt: text('reopened_at'),
  reopenedBy: text('reopened_by'),
  reopenReason: text('reopen_reason'),
  ...syncColumns,
});

export const directoryEntries = sqliteTable('directory_entries', {
  id: text('id').primaryKey(),
  institution: text('institution').notNull(),
  kind: text('kind', { enum: ['team', 'person'] }).notNull(),
  name: text('name').notNull(),
  role: text('role'),
  office: text('office'),
  extension: text('extension'),
  mailbox: text('mailbox'),
  presence: text('presence'),
  permanences: text('permanences'),
  domains: text('domains').notNull().default('[]'),
  accountId: text('account_id'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  ...syncColumns,
});

export const partners = sqliteTable('partners', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  domains: text('domains').notNull().default('[]'),
  address: text('address'),
  phone: text('phone'),
  accessConditions: text('access_conditions'),
  prescriberRequired: integer('prescriber_required', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  ...syncColumns,
});

export const handoffs = sqliteTable('handoffs', {
  id: text('id').primaryKey(),
  day: text('day').notNull(),
  createdAt: text('created_at').notNull(),
  fromAccountId: text('from_account_id').notNull(),
  fromInstitution: text('from_institution'),
  toInstitution: text('to_institution').notNull(),
  toEntryId: text('to_entry_id'),
  toAccountId: text('to_account_id'),
  domains: text('domains').notNull(),
  urgency: text('urgency').notNull(),
  mode: text('mode').notNull(),
  appointmentAt: text('appointment_at'),
  appointmentPlace: text('appointment_place'),
  consent: integer('consent', { mode: 'boolean' }).notNull(),
  consentRecordedBy: text('consent_recorded_by'),
  consentAt: text('consent_at'),
  sharedFields: text('shared_fields').notNull().default('[]'),
  personName: text('person_name'),
  personPhone: text('person_phone'),
  summary: text('summary'),
  documents: text('documents'),
  queueEntryId: text('queue_entry_id'),
  contactId: text('contact_id'),
  state: text('state').notNull(),
  seenAt: text('seen_at'),
  acceptedAt: text('accepted_at'),
  acceptedBy: text('accepted_by'),
  takenBy: text('taken_by'),
  declinedAt: text('declined_at'),
  declineReason: text('decline_reason'),
  declineText: text('decline_text'),
  closedAt: text('closed_at'),
  lateAt: text('late_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  reorientedFromId: text('reoriented_from_id'),
  anonymisedAt: text('anonymised_at'),
  ...syncColumns,
});

export const devices = sqliteTable('devices', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  pairedAt: text('paired_at').notNull(),
  pairedBy: text('paired_by'),
  lastSeenAt: text('last_seen_at'),
  lastAddress: text('last_address'),
  revokedAt: text('revoked_at'),
});

export const pairingCodes = sqliteTable('pairing_codes', {
  codeHash: text('code_hash').primaryKey(),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
  createdBy: text('created_by'),
  usedAt: text('used_at'),
  failedAttempts: integer('failed_attempts').notNull().default(0),
});

/** Per-day aggregates feeding period reports (migration 0007, decision 015). Never synced. */
export const dayAggregates = sqliteTable('day_aggregates', {
  day: text('day').primaryKey(),
  format: integer('format').notNull(),
  data: text('data').notNull(),
  frozen: integer('frozen').notNull().default(0),
  personsFinal: integer('persons_final').notNull().default(0),
  computedAt: text('computed_at').notNull(),
});

/** Days whose aggregate must be recomputed (marked by triggers). */
export const dayAggregatesStale = sqliteTable('day_aggregates_stale', {
  day: text('day').primaryKey(),
});

/** Calendar months and years rolled up from day aggregates (migration 0007). Never synced. */
export const periodAggregates = sqliteTable(
  'period_aggregates',
  {
    kind: text('kind', { enum: ['month', 'year'] }).notNull(),
    firstDay: text('first_day').notNull(),
    lastDay: text('last_day').notNull(),
    format: integer('format').notNull(),
    data: text('data').notNull(),
    computedAt: text('computed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.firstDay] })],
);

/** Month and year rollups to (re)build. */
export const periodAggregatesTodo = sqliteTable(
  'period_aggregates_todo',
  {
    kind: text('kind', { enum: ['month', 'year'] }).notNull(),
    firstDay: text('first_day').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.firstDay] })],
);

/** Tables that carry the sync-ready columns (and will be pushed by the sync, filtered). */
export const SYNCED_TABLES = ['site_settings', 'queue_entries', 'contacts', 'day_closings', 'directory_entries', 'partners', 'handoffs'] as const;
