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

export const CENTRAL_MIGRATIONS: readonly CentralMigration[] = [migration0001];

export const CENTRAL_ROW_TABLES = ROW_TABLES;
export const CENTRAL_REFERENCE_TABLES = ['taxonomy_domains', 'partners'] as const;
export const APRAS_VIEWS = ['apras_daily', 'apras_contacts_by_domain', 'apras_handoff_flows', 'apras_day_closings'] as const;
