/**
 * Drizzle view of the local store. The DDL lives in the bundled migrations (drizzle-kit cannot
 * open encrypted files); `tests/integration/store.test.ts` checks that both agree column by column.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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

/** Tables that carry the sync-ready columns (and will be pushed by the sync, filtered). */
export const SYNCED_TABLES = ['site_settings'] as const;
