/** Site directory, external partners, and warm hand-overs. */
import { EXTERNAL_PARTNERS } from '../../../shared/reference/institutions';
import { SYNC_COLUMNS_SQL, syncTriggersSql } from './sync-columns';

const q = (v: string) => `'${v.replace(/'/g, "''")}'`;

export const migration0004 = {
  id: 4,
  name: 'handoffs',
  sql: `
CREATE TABLE directory_entries (
  id TEXT PRIMARY KEY,
  institution TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('team', 'person')),
  name TEXT NOT NULL,
  role TEXT,
  office TEXT,
  extension TEXT,
  mailbox TEXT,
  presence TEXT,
  permanences TEXT,
  domains TEXT NOT NULL DEFAULT '[]',
  account_id TEXT REFERENCES accounts(id),
  active INTEGER NOT NULL DEFAULT 1,${SYNC_COLUMNS_SQL}
) STRICT;
${syncTriggersSql('directory_entries')}

-- Partners are central reference data: site_id 'CENTRAL' until the sync pulls the central directory.
CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  domains TEXT NOT NULL DEFAULT '[]',
  address TEXT,
  phone TEXT,
  access_conditions TEXT,
  prescriber_required INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,${SYNC_COLUMNS_SQL}
) STRICT;
${syncTriggersSql('partners')}
${EXTERNAL_PARTNERS.map(
  (p, i) =>
    `INSERT INTO partners (id, code, name, site_id, updated_at) VALUES (${q(`00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`)}, ${q(p.code)}, ${q(p.name)}, 'CENTRAL', '2026-01-01T00:00:00.000Z');`,
).join('\n')}

CREATE TABLE handoffs (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  created_at TEXT NOT NULL,
  from_account_id TEXT NOT NULL REFERENCES accounts(id),
  from_institution TEXT,
  to_institution TEXT NOT NULL,
  to_entry_id TEXT REFERENCES directory_entries(id),
  to_account_id TEXT REFERENCES accounts(id),
  domains TEXT NOT NULL,
  urgency TEXT NOT NULL CHECK (urgency IN ('normale', 'urgente')),
  mode TEXT NOT NULL CHECK (mode IN ('accompagne', 'appel_commun', 'rdv', 'rappel')),
  appointment_at TEXT,
  appointment_place TEXT,
  consent INTEGER NOT NULL,
  consent_recorded_by TEXT REFERENCES accounts(id),
  consent_at TEXT,
  shared_fields TEXT NOT NULL DEFAULT '[]',
  person_name TEXT,
  person_phone TEXT,
  summary TEXT,
  documents TEXT,
  queue_entry_id TEXT REFERENCES queue_entries(id),
  contact_id TEXT REFERENCES contacts(id),
  state TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'completed', 'declined', 'expired', 'cancelled', 'person_left')),
  seen_at TEXT,
  accepted_at TEXT,
  accepted_by TEXT REFERENCES accounts(id),
  taken_by TEXT REFERENCES accounts(id),
  declined_at TEXT,
  decline_reason TEXT,
  decline_text TEXT,
  closed_at TEXT,
  late_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  reoriented_from_id TEXT REFERENCES handoffs(id),
  anonymised_at TEXT,${SYNC_COLUMNS_SQL}
) STRICT;
CREATE INDEX handoffs_to_state ON handoffs(to_institution, state);
CREATE INDEX handoffs_from_day ON handoffs(from_account_id, day);
CREATE INDEX handoffs_day ON handoffs(day);
${syncTriggersSql('handoffs')}
`,
};
