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
  revokedAt: tz('revoked_at'),
});

/** Written only by the sync functions and triggers (a site cannot rewrite its counters). */
export const syncState = esc.table('sync_state', {
  siteId: text('site_id').primaryKey(),
  ackedSeq: bigint('acked_seq', { mode: 'number' }).notNull().default(0),
  batches: bigint('batches', { mode: 'number' }).notNull().default(0),
  rowsReceived: bigint('rows_received', { mode: 'number' }).notNull().default(0),
  /** Last rows actually received. */
  lastPushAt: tz('last_push_at'),
  lastPullAt: tz('last_pull_at'),
  incarnation: text('incarnation'),
  resendFrom: tz('resend_from'),
  lastContactAt: tz('last_contact_at'),
  lastSuccessAt: tz('last_success_at'),
  siteSchema: integer('site_schema'),
  appVersion: text('app_version'),
  orphanedRows: bigint('orphaned_rows', { mode: 'number' }).notNull().default(0),
  lastReconciledAt: tz('last_reconciled_at'),
  restores: integer('restores').notNull().default(0),
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
    serviceCode: text('service_code').notNull(),
    originalServiceCode: text('original_service_code').notNull(),
    purpose: text('purpose'),
    hasAppointment: boolean('has_appointment').notNull().default(false),
    priorityCount: integer('priority_count').notNull().default(0),
    needsCount: integer('needs_count').notNull().default(0),
    state: text('state').notNull(),
    /** Arrival, truncated to the minute. */
    arrivedMinute: tz('arrived_minute').notNull(),
    /** Whole seconds from arrival to first call. */
    waitSeconds: integer('wait_seconds'),
    serviceSeconds: integer('service_seconds'),
    callCount: integer('call_count').notNull(),
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

const siteIdRef = () => text('site_id').notNull();
const count = (name: string) => integer(name).notNull().default(0);

/** Aggregates maintained by triggers at sync time (decision 023). Per day: never for the APRAS. */
export const aggDay = esc.table(
  'agg_day',
  {
    siteId: siteIdRef(),
    day: date('day').notNull(),
    passages: count('passages'),
    received: count('received'),
    leftUnseen: count('left_unseen'),
    contacts: count('contacts'),
    handoffs: count('handoffs'),
    closings: count('closings'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);

export const aggMonth = esc.table(
  'agg_month',
  {
    siteId: siteIdRef(),
    month: date('month').notNull(),
    passages: count('passages'),
    received: count('received'),
    leftUnseen: count('left_unseen'),
    outsideHours: count('outside_hours'),
    waits: count('waits'),
    contacts: count('contacts'),
    contactsOriented: count('contacts_oriented'),
    handoffs: count('handoffs'),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month] })],
);

/**
 * The exact wait distribution per month, one row per minute: `counts[s + 1]` passages waited
 * `minute × 60 + s` seconds (central migration 5). Read through the view `esc.agg_month_wait`
 * (site_id, month, wait_seconds, n), one row per second whose count is not zero.
 */
export const aggMonthWaitMinutes = esc.table(
  'agg_month_wait_minutes',
  { siteId: siteIdRef(), month: date('month').notNull(), minute: integer('minute').notNull(), counts: integer('counts').array().notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.minute] })],
);
export const aggMonthService = esc.table(
  'agg_month_service',
  { siteId: siteIdRef(), month: date('month').notNull(), serviceCode: text('service_code').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.serviceCode] })],
);
export const aggMonthChannel = esc.table(
  'agg_month_channel',
  { siteId: siteIdRef(), month: date('month').notNull(), channel: text('channel').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.channel] })],
);
export const aggMonthDomain = esc.table(
  'agg_month_domain',
  { siteId: siteIdRef(), month: date('month').notNull(), domain: text('domain').notNull(), n: integer('n').notNull() },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.domain] })],
);
export const aggMonthHandoff = esc.table(
  'agg_month_handoff',
  {
    siteId: siteIdRef(),
    month: date('month').notNull(),
    fromInstitution: text('from_institution').notNull(),
    toInstitution: text('to_institution').notNull(),
    /** 'created' (on the creation month) or the outcome state (on the outcome's month). */
    event: text('event').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.month, t.fromInstitution, t.toInstitution, t.event] })],
);

/** The portal's own accounts (decision 024) and its journal. */
export const portalAccounts = esc.table('portal_accounts', {
  id: text('id').primaryKey(),
  login: text('login').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  failedAttempts: integer('failed_attempts').notNull().default(0),
  lockedUntil: tz('locked_until'),
  active: boolean('active').notNull().default(true),
  createdAt: tz('created_at').notNull().defaultNow(),
  passwordChangedAt: tz('password_changed_at').notNull().defaultNow(),
});

export const portalAudit = esc.table('portal_audit', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  at: tz('at').notNull().defaultNow(),
  login: text('login'),
  action: text('action').notNull(),
  ok: boolean('ok').notNull(),
  detail: text('detail'),
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
  agg_day: aggDay,
  agg_month: aggMonth,
  agg_month_wait_minutes: aggMonthWaitMinutes,
  agg_month_service: aggMonthService,
  agg_month_channel: aggMonthChannel,
  agg_month_domain: aggMonthDomain,
  agg_month_handoff: aggMonthHandoff,
  portal_accounts: portalAccounts,
  portal_audit: portalAudit,
} as const;
