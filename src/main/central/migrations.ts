/**
 * Migrations of the central PostgreSQL database, owned by the project. Each is applied once, in
 * a transaction, under an advisory lock, and recorded in `esc.__migrations__`; a database holding
 * a migration this list does not know was written by a newer version and is refused.
 *
 * Row tables are keyed on (site_id, id) and carry the sync envelope (version, change_seq,
 * updated_at, deleted_at) plus exactly the columns of `src/main/sync/allow-list.ts`; row-level
 * security lets a site role see and write only its own rows. Roles and grants are not here but
 * in `roles.ts`, because role names are cluster-wide and depend on the configured prefix.
 */
import { EXTERNAL_PARTNERS } from '../../shared/reference/institutions';
import { REQUEST_DOMAINS_V1 } from '../../shared/reference/taxonomy';
import { AGGREGATE_TABLES, AGGREGATED_TABLES, aggregatesDdl, waitMinutesDdl } from './aggregates-sql';

export interface CentralMigration {
  id: number;
  name: string;
  sql: string;
}

const lit = (v: string | number | null): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

const ENVELOPE = `
  site_id text NOT NULL REFERENCES esc.sites(site_id),
  id text NOT NULL,
  version integer NOT NULL,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,`;

const RECEIVED = `
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id)`;

/** Row-level security: a site role reads and writes only the rows of its own site. */
const rls = (table: string): string => `
ALTER TABLE esc.${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${table}_own_site ON esc.${table} USING (site_id = esc.current_site()) WITH CHECK (site_id = esc.current_site());`;

/** Row tables with a `day`, purged after the retention period (decision 022). */
const RETENTION_TABLES = ['queue_entries', 'contacts', 'handoffs', 'day_closings'] as const;

const ROW_TABLES = ['site_settings', 'queue_entries', 'contacts', 'handoffs', 'day_closings', 'directory_entries', 'site_partners'] as const;

const migration0001: CentralMigration = {
  id: 1,
  name: 'central_foundation',
  sql: `
CREATE TABLE esc.settings (
  key text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE esc.sites (
  site_id text PRIMARY KEY,
  role_name text NOT NULL UNIQUE,
  enrolled_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE esc.sites ENABLE ROW LEVEL SECURITY;
CREATE POLICY sites_own ON esc.sites USING (role_name = current_user);

-- The site of the connected role (NULL for the owner and the APRAS).
CREATE FUNCTION esc.current_site() RETURNS text LANGUAGE sql STABLE
  AS $$ SELECT site_id FROM esc.sites WHERE role_name = current_user $$;

-- Per-site sync acknowledgement: the highest change sequence committed centrally.
CREATE TABLE esc.sync_state (
  site_id text PRIMARY KEY REFERENCES esc.sites(site_id),
  acked_seq bigint NOT NULL DEFAULT 0,
  batches bigint NOT NULL DEFAULT 0,
  rows_received bigint NOT NULL DEFAULT 0,
  last_push_at timestamptz,
  last_pull_at timestamptz
);
ALTER TABLE esc.sync_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_state_own_site ON esc.sync_state USING (site_id = esc.current_site()) WITH CHECK (site_id = esc.current_site());

CREATE TABLE esc.site_settings (${ENVELOPE}
  key text NOT NULL,
  value jsonb NOT NULL,${RECEIVED}
);

CREATE TABLE esc.queue_entries (${ENVELOPE}
  day date NOT NULL,
  ticket text NOT NULL,
  service_code text NOT NULL,
  original_service_code text NOT NULL,
  purpose text,
  appointment_at timestamptz,
  priority_reasons jsonb NOT NULL,
  needs jsonb NOT NULL,
  state text NOT NULL,
  arrived_at timestamptz NOT NULL,
  first_called_at timestamptz,
  last_called_at timestamptz,
  call_count integer NOT NULL,
  called_to text,
  started_at timestamptz,
  finished_at timestamptz,
  ended_at timestamptz,
  outside_hours boolean NOT NULL,${RECEIVED}
);
CREATE INDEX queue_entries_site_day ON esc.queue_entries(site_id, day);

CREATE TABLE esc.contacts (${ENVELOPE}
  day date NOT NULL,
  at timestamptz NOT NULL,
  agent_institution text,
  channel text NOT NULL,
  domains jsonb NOT NULL,
  actions jsonb NOT NULL,
  orientation_kind text,
  orientation_target text,
  flags jsonb NOT NULL,
  duration_minutes integer,
  queue_entry_id text,
  taxonomy_version integer NOT NULL,${RECEIVED}
);
CREATE INDEX contacts_site_day ON esc.contacts(site_id, day);

CREATE TABLE esc.handoffs (${ENVELOPE}
  day date NOT NULL,
  created_at timestamptz NOT NULL,
  from_institution text,
  to_institution text NOT NULL,
  domains jsonb NOT NULL,
  urgency text NOT NULL,
  mode text NOT NULL,
  appointment_at timestamptz,
  queue_entry_id text,
  contact_id text,
  state text NOT NULL,
  seen_at timestamptz,
  accepted_at timestamptz,
  declined_at timestamptz,
  decline_reason text,
  closed_at timestamptz,
  late_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  reoriented_from_id text,${RECEIVED}
);
CREATE INDEX handoffs_site_day ON esc.handoffs(site_id, day);

CREATE TABLE esc.day_closings (${ENVELOPE}
  day date NOT NULL,
  state text NOT NULL,
  closed_at timestamptz NOT NULL,
  reopened_at timestamptz,
  snapshot jsonb,${RECEIVED}
);
CREATE INDEX day_closings_site_day ON esc.day_closings(site_id, day);

CREATE TABLE esc.directory_entries (${ENVELOPE}
  institution text NOT NULL,
  kind text NOT NULL,
  domains jsonb NOT NULL,
  active boolean NOT NULL,${RECEIVED}
);

CREATE TABLE esc.site_partners (${ENVELOPE}
  code text NOT NULL,
  name text NOT NULL,
  domains jsonb NOT NULL,
  prescriber_required boolean NOT NULL,
  active boolean NOT NULL,${RECEIVED}
);
${ROW_TABLES.map(rls).join('\n')}

-- Centrally owned reference data, pulled by the sites (central wins by version).
CREATE TABLE esc.taxonomy_domains (
  code text PRIMARY KEY,
  label text NOT NULL,
  parent text,
  since_version integer NOT NULL,
  retired_in integer,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE esc.partners (
  id text PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  domains jsonb NOT NULL DEFAULT '[]',
  address text,
  phone text,
  access_conditions text,
  prescriber_required boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every central edit of reference data bumps its version, so that sites take it.
CREATE FUNCTION esc.bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER taxonomy_domains_version BEFORE UPDATE ON esc.taxonomy_domains FOR EACH ROW EXECUTE FUNCTION esc.bump_reference_version();
CREATE TRIGGER partners_version BEFORE UPDATE ON esc.partners FOR EACH ROW EXECUTE FUNCTION esc.bump_reference_version();

${REQUEST_DOMAINS_V1.map(
  (d) =>
    `INSERT INTO esc.taxonomy_domains (code, label, parent, since_version, retired_in) VALUES (${lit(d.code)}, ${lit(d.label)}, ${lit(d.parent)}, ${d.since}, ${lit(d.retiredIn)});`,
).join('\n')}
${EXTERNAL_PARTNERS.map(
  (p, i) =>
    `INSERT INTO esc.partners (id, code, name) VALUES (${lit(`00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`)}, ${lit(p.code)}, ${lit(p.name)});`,
).join('\n')}

-- Aggregate views: the only thing the APRAS role reads. They run with the owner's rights (the
-- owner is not subject to row-level security) and never expose a row-level identifier.
CREATE VIEW esc.apras_daily AS
SELECT s.site_id,
       d.day,
       (SELECT count(*) FROM esc.queue_entries q WHERE q.site_id = s.site_id AND q.day = d.day AND q.deleted_at IS NULL AND q.state <> 'cancelled') AS passages,
       (SELECT count(*) FROM esc.queue_entries q WHERE q.site_id = s.site_id AND q.day = d.day AND q.deleted_at IS NULL AND q.state = 'done') AS passages_received,
       (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.first_called_at - q.arrived_at) / 60)::numeric, 1)
          FROM esc.queue_entries q WHERE q.site_id = s.site_id AND q.day = d.day AND q.deleted_at IS NULL AND q.first_called_at IS NOT NULL) AS median_wait_minutes,
       (SELECT count(*) FROM esc.contacts c WHERE c.site_id = s.site_id AND c.day = d.day AND c.deleted_at IS NULL) AS contacts,
       (SELECT count(*) FROM esc.handoffs h WHERE h.site_id = s.site_id AND h.day = d.day AND h.deleted_at IS NULL) AS handoffs,
       (SELECT count(*) FROM esc.handoffs h WHERE h.site_id = s.site_id AND h.day = d.day AND h.deleted_at IS NULL AND h.accepted_at IS NOT NULL) AS handoffs_taken,
       EXISTS (SELECT 1 FROM esc.day_closings k WHERE k.site_id = s.site_id AND k.day = d.day AND k.deleted_at IS NULL AND k.state = 'closed') AS closed
FROM esc.sites s
JOIN (SELECT DISTINCT site_id, day FROM esc.queue_entries WHERE deleted_at IS NULL
      UNION SELECT DISTINCT site_id, day FROM esc.contacts WHERE deleted_at IS NULL) d ON d.site_id = s.site_id;

CREATE VIEW esc.apras_contacts_by_domain AS
SELECT c.site_id, date_trunc('month', c.day)::date AS month, dom.code AS domain_code, count(*) AS contacts
FROM esc.contacts c CROSS JOIN LATERAL jsonb_array_elements_text(c.domains) AS dom(code)
WHERE c.deleted_at IS NULL
GROUP BY c.site_id, date_trunc('month', c.day), dom.code;

CREATE VIEW esc.apras_handoff_flows AS
SELECT h.site_id, date_trunc('month', h.day)::date AS month, h.from_institution, h.to_institution, h.mode, h.state, count(*) AS handoffs
FROM esc.handoffs h
WHERE h.deleted_at IS NULL
GROUP BY h.site_id, date_trunc('month', h.day), h.from_institution, h.to_institution, h.mode, h.state;

CREATE VIEW esc.apras_day_closings AS
SELECT k.site_id, k.day, k.closed_at, k.snapshot -> 'figures' AS figures
FROM esc.day_closings k
WHERE k.deleted_at IS NULL AND k.state = 'closed';
`,
};

/** Tables a restored site's reconciliation walks (every pushed row table). */
const RECONCILED = ROW_TABLES.map((t) => `'${t}'`).join(', ');

/**
 * Schema 2 (decisions 022–024): the restore-safe sync protocol (incarnation, resend and
 * reconciliation, counters only the server writes, version negotiation), less data per row, the
 * incrementally maintained aggregates and the APRAS's monthly-only access, retention, revocation
 * and the portal's own accounts.
 */
const migration0002: CentralMigration = {
  id: 2,
  name: 'restore_safe_sync_aggregates_portal',
  sql: `
-- The per-day and row-scanning views are replaced by monthly aggregates (section 4).
DROP VIEW esc.apras_daily;
DROP VIEW esc.apras_contacts_by_domain;
DROP VIEW esc.apras_handoff_flows;
DROP VIEW esc.apras_day_closings;

-- 1. Less data per row (decision 022): what the aggregates need, nothing more.
ALTER TABLE esc.queue_entries
  ADD COLUMN has_appointment boolean NOT NULL DEFAULT false,
  ADD COLUMN priority_count integer NOT NULL DEFAULT 0,
  ADD COLUMN needs_count integer NOT NULL DEFAULT 0,
  ADD COLUMN arrived_minute timestamptz,
  ADD COLUMN wait_seconds integer,
  ADD COLUMN service_seconds integer;
UPDATE esc.queue_entries SET
  has_appointment = appointment_at IS NOT NULL,
  priority_count = jsonb_array_length(priority_reasons),
  needs_count = jsonb_array_length(needs),
  arrived_minute = date_trunc('minute', arrived_at),
  wait_seconds = floor(extract(epoch FROM first_called_at - arrived_at))::integer,
  service_seconds = floor(extract(epoch FROM finished_at - started_at))::integer;
ALTER TABLE esc.queue_entries ALTER COLUMN arrived_minute SET NOT NULL,
  DROP COLUMN ticket, DROP COLUMN appointment_at, DROP COLUMN priority_reasons, DROP COLUMN needs, DROP COLUMN arrived_at,
  DROP COLUMN first_called_at, DROP COLUMN last_called_at, DROP COLUMN called_to, DROP COLUMN started_at, DROP COLUMN finished_at, DROP COLUMN ended_at;
ALTER TABLE esc.contacts DROP COLUMN at;
ALTER TABLE esc.handoffs DROP COLUMN appointment_at;

-- 2. The sync protocol. Sites no longer write esc.sync_state: these functions do, and the row
--    counters are kept by triggers on what was actually written.
ALTER TABLE esc.sites ADD COLUMN revoked_at timestamptz;
ALTER TABLE esc.sync_state
  ADD COLUMN incarnation text,
  ADD COLUMN resend_from timestamptz,
  ADD COLUMN last_contact_at timestamptz,
  ADD COLUMN last_success_at timestamptz,
  ADD COLUMN site_schema integer,
  ADD COLUMN app_version text,
  ADD COLUMN orphaned_rows bigint NOT NULL DEFAULT 0,
  ADD COLUMN last_reconciled_at timestamptz,
  ADD COLUMN restores integer NOT NULL DEFAULT 0;
INSERT INTO esc.settings (key, value) VALUES ('min_site_schema', '2') ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;

CREATE FUNCTION esc.session_site() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, esc
  AS $$ SELECT site_id FROM esc.sites WHERE role_name = session_user AND revoked_at IS NULL $$;

CREATE FUNCTION esc.sync_hello(p_incarnation text, p_site_schema integer, p_app_version text,
  OUT out_site text, OUT out_acked bigint, OUT out_incarnation text, OUT out_resend boolean, OUT out_central_schema integer, OUT out_min_site_schema integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
BEGIN
  out_site := esc.session_site();
  out_central_schema := (SELECT max(id) FROM esc.__migrations__);
  out_min_site_schema := coalesce((SELECT value::integer FROM esc.settings WHERE key = 'min_site_schema'), 1);
  IF out_site IS NULL THEN RETURN; END IF;
  UPDATE esc.sync_state st
     SET last_contact_at = now(), site_schema = p_site_schema, app_version = left(p_app_version, 40),
         incarnation = CASE WHEN p_site_schema >= out_min_site_schema THEN coalesce(st.incarnation, p_incarnation) ELSE st.incarnation END
   WHERE st.site_id = out_site
   RETURNING st.acked_seq, st.incarnation, st.resend_from IS NOT NULL INTO out_acked, out_incarnation, out_resend;
END $fn$;

-- A restored site database: adopt its incarnation and open a resend; rows not received again
-- before the resend completes are reconciled by sync_finish.
CREATE FUNCTION esc.sync_restart(p_incarnation text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
BEGIN
  UPDATE esc.sync_state SET incarnation = p_incarnation, resend_from = coalesce(resend_from, now()), restores = restores + 1
   WHERE site_id = esc.session_site();
  IF NOT FOUND THEN RAISE EXCEPTION 'site not enrolled' USING ERRCODE = '42501'; END IF;
END $fn$;

CREATE FUNCTION esc.sync_ack(p_upper bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
BEGIN
  UPDATE esc.sync_state SET acked_seq = GREATEST(acked_seq, p_upper), batches = batches + 1 WHERE site_id = esc.session_site();
  IF NOT FOUND THEN RAISE EXCEPTION 'sync_state row missing' USING ERRCODE = '42501'; END IF;
END $fn$;

-- End of a successful cycle. With p_complete (nothing left to send) an open resend is closed:
-- the site's central rows not received since it opened are rows the restored site no longer
-- has; they are tombstoned (decision 022), so no figure counts them, and counted for IT.
CREATE FUNCTION esc.sync_finish(p_complete boolean) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
DECLARE
  s text := esc.session_site();
  since timestamptz;
  t text;
  n bigint;
  total bigint := 0;
BEGIN
  SELECT resend_from INTO since FROM esc.sync_state WHERE site_id = s FOR UPDATE;
  IF p_complete AND since IS NOT NULL THEN
    PERFORM set_config('esc.reconciling', 'on', true);
    FOREACH t IN ARRAY ARRAY[${RECONCILED}] LOOP
      EXECUTE format('UPDATE esc.%I SET deleted_at = now() WHERE site_id = $1 AND received_at < $2 AND deleted_at IS NULL', t) USING s, since;
      GET DIAGNOSTICS n = ROW_COUNT;
      total := total + n;
    END LOOP;
    PERFORM set_config('esc.reconciling', 'off', true);
    UPDATE esc.sync_state SET resend_from = NULL, orphaned_rows = orphaned_rows + total, last_reconciled_at = now() WHERE site_id = s;
  END IF;
  UPDATE esc.sync_state SET last_success_at = now(), last_contact_at = now(), last_pull_at = now() WHERE site_id = s;
  RETURN total;
END $fn$;

-- Rows actually written (inserted, or updated by a newer version), counted once by the server.
CREATE FUNCTION esc.count_received() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
BEGIN
  IF coalesce(current_setting('esc.reconciling', true), '') = 'on' THEN RETURN NULL; END IF;
  UPDATE esc.sync_state st SET rows_received = st.rows_received + c.n, last_push_at = now()
    FROM (SELECT site_id, count(*) AS n FROM new_rows GROUP BY site_id) c WHERE st.site_id = c.site_id;
  RETURN NULL;
END $fn$;
${ROW_TABLES.map(
  (t) => `CREATE TRIGGER ${t}_count_insert AFTER INSERT ON esc.${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esc.count_received();
CREATE TRIGGER ${t}_count_update AFTER UPDATE ON esc.${t} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esc.count_received();`,
).join('\n')}

-- 3. Retention (decision 022): row tables keep 36 months by default (central purge); the
--    aggregates keep everything. A row of a purged period sent again is ignored, so that it is
--    never counted twice.
CREATE FUNCTION esc.purged_before() RETURNS date LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, esc
  AS $$ SELECT coalesce((SELECT value::date FROM esc.settings WHERE key = 'rows_purged_before'), '-infinity'::date) $$;
CREATE FUNCTION esc.skip_purged() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc AS $fn$
BEGIN
  IF NEW.day < esc.purged_before() THEN RETURN NULL; END IF;
  RETURN NEW;
END $fn$;
${RETENTION_TABLES.map((t) => `CREATE TRIGGER ${t}_retention BEFORE INSERT ON esc.${t} FOR EACH ROW EXECUTE FUNCTION esc.skip_purged();`).join('\n')}

-- 4. Aggregates, maintained at sync time (decision 023).
${aggregatesDdl()}

-- The APRAS role reads months only: activity and closed days per month (from agg_day, with the
-- owner's rights), and which sites are covered.
CREATE VIEW esc.apras_month_days AS
SELECT site_id, date_trunc('month', day)::date AS month,
       count(*) FILTER (WHERE passages + contacts + handoffs > 0 OR closings > 0)::integer AS days_received,
       count(*) FILTER (WHERE closings > 0)::integer AS days_closed
FROM esc.agg_day GROUP BY site_id, date_trunc('month', day);

CREATE VIEW esc.apras_coverage AS
SELECT s.site_id, s.enrolled_at, s.revoked_at, st.last_success_at, st.last_push_at AS last_rows_at,
       (SELECT max(day) FROM esc.agg_day a WHERE a.site_id = s.site_id AND a.passages + a.contacts + a.handoffs > 0) AS last_activity_day
FROM esc.sites s JOIN esc.sync_state st USING (site_id);

-- IT's view of every site's sync (owner's rights: row-level security lets a role see only its
-- own site's state otherwise).
CREATE VIEW esc.site_status AS
SELECT s.site_id, s.role_name, s.enrolled_at, s.revoked_at, st.acked_seq, st.batches, st.rows_received, st.last_success_at, st.last_contact_at,
       st.last_push_at, st.site_schema, st.app_version, st.orphaned_rows, st.restores, st.resend_from
FROM esc.sites s JOIN esc.sync_state st USING (site_id);

-- 5. The portal's own accounts and its sign-in journal (decision 024).
CREATE TABLE esc.portal_accounts (
  id text PRIMARY KEY,
  login text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('apras', 'gtesc', 'it')),
  password_hash text NOT NULL,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE esc.portal_audit (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  login text,
  action text NOT NULL,
  ok boolean NOT NULL,
  detail text
);
`,
};

/**
 * Migration 3 — the sync's catch-up closer to `COPY` (issue 16, docs/performance.md), same rules:
 * - row-level security asks `esc.current_site()` once per statement (an InitPlan) instead of once
 *   per row: `(SELECT esc.current_site())`, the same value within a statement;
 * - the retention rule (a row of a purged day sent again is ignored) is a trigger whose WHEN
 *   holds the purge boundary as a constant, re-created by the purge
 *   (`esc.apply_rows_purged_before()`), instead of a PL/pgSQL call and a settings lookup per row;
 *   no trigger at all while nothing was ever purged.
 * The sync protocol is unchanged: sites keep speaking schema 2 (`CENTRAL_SCHEMA_VERSION`).
 */
const migration0003: CentralMigration = {
  id: 3,
  name: 'sync_fast_paths',
  sql: `
DO $do$
DECLARE p record;
  wrap constant text := '(SELECT esc.current_site())';
BEGIN
  FOR p IN SELECT tablename, policyname, qual, with_check FROM pg_policies
           WHERE schemaname = 'esc' AND (qual ~ 'current_site\\(\\)' OR with_check ~ 'current_site\\(\\)') LOOP
    IF p.qual IS NOT NULL THEN
      EXECUTE format('ALTER POLICY %I ON esc.%I USING (%s)', p.policyname, p.tablename, regexp_replace(p.qual, '(esc\\.)?current_site\\(\\)', wrap, 'g'));
    END IF;
    IF p.with_check IS NOT NULL THEN
      EXECUTE format('ALTER POLICY %I ON esc.%I WITH CHECK (%s)', p.policyname, p.tablename, regexp_replace(p.with_check, '(esc\\.)?current_site\\(\\)', wrap, 'g'));
    END IF;
  END LOOP;
END $do$;

${RETENTION_TABLES.map((t) => `DROP TRIGGER ${t}_retention ON esc.${t};`).join('\n')}
DROP FUNCTION esc.skip_purged();
CREATE FUNCTION esc.skip_row() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN NULL; END $fn$;
CREATE FUNCTION esc.apply_rows_purged_before() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, esc AS $fn$
DECLARE
  boundary constant date := esc.purged_before();
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[${RETENTION_TABLES.map((t) => `'${t}'`).join(', ')}] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON esc.%I', t || '_retention', t);
    IF boundary > '-infinity'::date THEN
      EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON esc.%I FOR EACH ROW WHEN (NEW.day < %L::date) EXECUTE FUNCTION esc.skip_row()', t || '_retention', t, boundary);
    END IF;
  END LOOP;
END $fn$;
REVOKE ALL ON FUNCTION esc.apply_rows_purged_before() FROM PUBLIC;
SELECT esc.apply_rows_purged_before();
`,
};

/**
 * Migration 4 — central's per-row work during a catch-up (issue 16, decision 030):
 * - the row tables and the aggregate tables no longer carry a foreign key to `esc.sites`: it cost
 *   a referential check (a query and a row lock) for every row received, while what it guarded
 *   is held otherwise — a site role writes only rows whose `site_id` is its own enrolled site
 *   (row-level security `WITH CHECK`), the aggregates are written only by the owner's triggers
 *   from those rows, and no code path deletes a site (enrolment is revoked, never removed);
 *   `esc.sync_state` keeps its key to `esc.sites`;
 * - the aggregate triggers group their transition tables by hashing rather than by sorting on
 *   text keys (`enable_sort = off` for these functions only: their planner estimates for
 *   transition tables are blind, and chose sorts).
 */
const migration0004: CentralMigration = {
  id: 4,
  name: 'sync_lean_writes',
  sql: `
DO $do$
DECLARE c record;
BEGIN
  FOR c IN SELECT con.conname, rel.relname FROM pg_constraint con
           JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace n ON n.oid = rel.relnamespace
           WHERE n.nspname = 'esc' AND con.contype = 'f' AND con.confrelid = 'esc.sites'::regclass
             AND rel.relname = ANY (ARRAY[${[...ROW_TABLES, ...AGGREGATE_TABLES].map((t) => `'${t}'`).join(', ')}]) LOOP
    EXECUTE format('ALTER TABLE esc.%I DROP CONSTRAINT %I', c.relname, c.conname);
  END LOOP;
END $do$;
${Object.keys(AGGREGATED_TABLES).map((t) => `ALTER FUNCTION esc.agg_${t}() SET enable_sort = off;`).join('\n')}
`,
};

/**
 * Migration 5 — the wait distribution kept per minute (60 counts per row) instead of one row per
 * distinct second: a catch-up batch of 10 000 passages upserted about 5 000 rows of
 * `agg_month_wait`, now about 100 (issue 16, decision 030). Exact as before; `esc.agg_month_wait`
 * is a view with the same columns, what the summaries and the APRAS role read.
 */
const migration0005: CentralMigration = {
  id: 5,
  name: 'wait_distribution_per_minute',
  sql: waitMinutesDdl(),
};

export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];
/**
 * The central schema this build's sync speaks (negotiated at hello, decision 022): the last
 * migration that changed what a site sends or calls. Migrations 3 to 5 only made central faster,
 * so a site of this build still syncs with a central at schema 2.
 */
export const CENTRAL_SCHEMA_VERSION = 2;

export const CENTRAL_ROW_TABLES = ROW_TABLES;
export const CENTRAL_REFERENCE_TABLES = ['taxonomy_domains', 'partners'] as const;
/** Views the APRAS role reads besides the monthly aggregate tables: per month, never per day. */
export const APRAS_VIEWS = ['apras_month_days', 'apras_coverage'] as const;
export const SYNC_FUNCTIONS = ['session_site()', 'sync_hello(text, integer, text)', 'sync_restart(text)', 'sync_ack(bigint)', 'sync_finish(boolean)'] as const;
