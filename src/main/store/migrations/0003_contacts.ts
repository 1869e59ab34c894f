/** ASIP contact log, the versioned request-domain taxonomy, and day closings (locks). */
import { REQUEST_DOMAINS_V1 } from '../../../shared/reference/taxonomy';
import { SYNC_COLUMNS_SQL, syncTriggersSql } from './sync-columns';

const quote = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

export const migration0003 = {
  id: 3,
  name: 'contacts',
  sql: `
CREATE TABLE taxonomy_domains (
  code TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  parent TEXT,
  since_version INTEGER NOT NULL,
  retired_in INTEGER,
  updated_at TEXT NOT NULL
) STRICT;
${REQUEST_DOMAINS_V1.map(
  (d) =>
    `INSERT INTO taxonomy_domains (code, label, parent, since_version, retired_in, updated_at) VALUES (${quote(d.code)}, ${quote(d.label)}, ${quote(d.parent)}, ${d.since}, ${quote(d.retiredIn)}, '2026-01-01T00:00:00.000Z');`,
).join('\n')}

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  at TEXT NOT NULL,
  agent_id TEXT NOT NULL REFERENCES accounts(id),
  agent_institution TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('sur_place', 'sur_place_rdv', 'telephone', 'email', 'courrier', 'aller_vers')),
  domains TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '[]',
  orientation_kind TEXT CHECK (orientation_kind IN ('institution', 'partner')),
  orientation_target TEXT,
  flags TEXT NOT NULL DEFAULT '[]',
  duration_minutes INTEGER,
  queue_entry_id TEXT UNIQUE REFERENCES queue_entries(id),
  ticket TEXT,
  note TEXT,
  person_key TEXT,
  taxonomy_version INTEGER NOT NULL,${SYNC_COLUMNS_SQL}
) STRICT;
CREATE INDEX contacts_day ON contacts(day);
CREATE INDEX contacts_person ON contacts(person_key, day) WHERE person_key IS NOT NULL;
${syncTriggersSql('contacts')}

-- One row per (contact, domain), kept in step with contacts.domains, for grouping by domain.
CREATE TABLE contact_domains (
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  day TEXT NOT NULL,
  domain_code TEXT NOT NULL,
  PRIMARY KEY (contact_id, domain_code)
) STRICT;
CREATE INDEX contact_domains_day ON contact_domains(day, domain_code);

CREATE TABLE day_closings (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('closed', 'reopened')),
  closed_at TEXT NOT NULL,
  closed_by TEXT REFERENCES accounts(id),
  remark TEXT,
  snapshot TEXT,
  reopened_at TEXT,
  reopened_by TEXT REFERENCES accounts(id),
  reopen_reason TEXT,${SYNC_COLUMNS_SQL}
) STRICT;
${syncTriggersSql('day_closings')}
`,
};
