/**
 * Drizzle pg-core view of the central database (schema `esc`). The DDL lives in the migrations
 * (`migrations.ts`, applied by `central migrate`); `tests/integration/sync.test.ts` checks that this
 * view, the migrations and the sync allow-list agree column by column.
 */
import { bigint, boolean, date, integer, jsonb, pgSchema, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const esc = pgSchema('esc');

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Identity, version check and tombstone of every row a site pushes. */
const envelope = {
  siteId: text('site_id').notNull(),
  id: text('id').notNull(),
  version: integer('version').notNull(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
  updatedAt: tz('updated_at').notNull(),
  deletedAt: tz('deleted_at'),
};
const receivedAt = tz('received_at').notNull().defaultNow();

export const sites = esc.table('sites', {
  siteId: text('site_id').primaryKey(),
  roleName: text('role_name').notNull().unique(),
  enrolledAt: tz('enrolled_at').notNull().defaultNow(),
});

export const syncState = esc.table('sync_state', {
  siteId: text('site_id').primaryKey(),
  ackedSeq: bigint('acked_seq', { mode: 'number' }).notNull().default(0),
  batches: bigint('batches', { mode: 'number' }).notNull().default(0),
  rowsReceived: bigint('rows_received', { mode: 'number' }).notNull().default(0),
  lastPushAt: tz('last_push_at'),
  lastPullAt: tz('last_pull_at'),
});

export const settings = esc.table('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const siteSettings = esc.table(
  'site_settings',
  { ...envelope, key: text('key').notNull(), value: jsonb('value').notNull(), receivedAt },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const queueEntries = esc.table(
  'queue_entries',
  {
    ...envelope,
    day: date('day').notNull(),
    ticket: text('ticket').notNull(),
    serviceCode: text('service_code').notNull(),
    originalServiceCode: text('original_service_code').notNull(),
    purpose: text('purpose'),
    appointmentAt: tz('appointment_at'),
    priorityReasons: jsonb('priority_reasons').notNull(),
    needs: jsonb('needs').notNull(),
    state: text('state').notNull(),
    arrivedAt: tz('arrived_at').notNull(),
    firstCalledAt: tz('first_called_at'),
    lastCalledAt: tz('last_called_at'),
    callCount: integer('call_count').notNull(),
    calledTo: text('called_to'),
    startedAt: tz('started_at'),
    finishedAt: tz('finished_at'),
    endedAt: tz('ended_at'),
    outsideHours: boolean('outside_hours').notNull(),
    receivedAt,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const contacts = esc.table(
  'contacts',
  {
    ...envelope,
    day: date('day').notNull(),
    at: tz('at').notNull(),
    agentInstitution: text('agent_institution'),
    channel: text('channel').notNull(),
    domains: jsonb('domains').notNull(),
    actions: jsonb('actions').notNull(),
    orientationKind: text('orientation_kind'),
    orientationTarget: text('orientation_target'),
    flags: jsonb('flags').notNull(),
    durationMinutes: integer('duration_minutes'),
    queueEntryId: text('queue_entry_id'),
    taxonomyVersion: integer('taxonomy_version').notNull(),
    receivedAt,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const handoffs = esc.table(
  'handoffs',
  {
    ...envelope,
    day: date('day').notNull(),
    createdAt: tz('created_at').notNull(),
    fromInstitution: text('from_institution'),
    toInstitution: text('to_institution').notNull(),
    domains: jsonb('domains').notNull(),
    urgency: text('urgency').notNull(),
    mode: text('mode').notNull(),
    appointmentAt: tz('appointment_at'),
    queueEntryId: text('queue_entry_id'),
    contactId: text('contact_id'),
    state: text('state').notNull(),
    seenAt: tz('seen_at'),
    acceptedAt: tz('accepted_at'),
    declinedAt: tz('declined_at'),
    declineReason: text('decline_reason'),
    closedAt: tz('closed_at'),
    lateAt: tz('late_at').notNull(),
    expiresAt: tz('expires_at').notNull(),
    reorientedFromId: text('reoriented_from_id'),
    receivedAt,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const dayClosings = esc.table(
  'day_closings',
  {
    ...envelope,
    day: date('day').notNull(),
    state: text('state').notNull(),
    closedAt: tz('closed_at').notNull(),
    reopenedAt: tz('reopened_at'),
    snapshot: jsonb('snapshot'),
    receivedAt,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const directoryEntries = esc.table(
  'directory_entries',
  { ...envelope, institution: text('institution').notNull(), kind: text('kind').notNull(), domains: jsonb('domains').notNull(), active: boolean('active').notNull(), receivedAt },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const sitePartners = esc.table(
  'site_partners',
  {
    ...envelope,
    code: text('code').notNull(),
    name: text('name').notNull(),
    domains: jsonb('domains').notNull(),
    prescriberRequired: boolean('prescriber_required').notNull(),
    active: boolean('active').notNull(),
    receivedAt,
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

export const taxonomyDomains = esc.table('taxonomy_domains', {
  code: text('code').primaryKey(),
  label: text('label').notNull(),
  parent: text('parent'),
  sinceVersion: integer('since_version').notNull(),
  retiredIn: integer('retired_in'),
  version: integer('version').notNull().default(1),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

export const partners = esc.table('partners', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  domains: jsonb('domains').notNull().default([]),
  address: text('address'),
  phone: text('phone'),
  accessConditions: text('access_conditions'),
  prescriberRequired: boolean('prescriber_required').notNull().default(false),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/** Row tables by central name, for checks against the allow-list. */
export const CENTRAL_TABLES = {
  site_settings: siteSettings,
  queue_entries: queueEntries,
  contacts,
  handoffs,
  day_closings: dayClosings,
  directory_entries: directoryEntries,
  site_partners: sitePartners,
  sites,
  sync_state: syncState,
  settings,
  taxonomy_domains: taxonomyDomains,
  partners,
} as const;
