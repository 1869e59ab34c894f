/**
 * Partial indexes that make the periodic jobs (src/main/api/housekeeping.ts) cost the same on
 * ten years as on one day: each holds only the rows a job still has to act on (first names not
 * yet purged, entries still open, hand-overs still proposed or not yet anonymised, notes and
 * pseudonymous keys not yet cleared), so a job reads what it changes and nothing else.
 * Created once at the upgrade (one pass over each table); every later run is bounded.
 * `handoffs_reoriented_from` serves the "re-oriented to" sub-query of every hand-over read,
 * which otherwise scans all hand-overs once per row shown.
 */
export const migration0007 = {
  id: 7,
  name: 'housekeeping_indexes',
  sql: `
CREATE INDEX queue_entries_first_name_day ON queue_entries(day) WHERE first_name IS NOT NULL;
CREATE INDEX queue_entries_open_day ON queue_entries(day) WHERE state IN ('waiting', 'called');
CREATE INDEX handoffs_proposed_expiry ON handoffs(expires_at) WHERE state = 'proposed';
CREATE INDEX handoffs_not_anonymised ON handoffs(created_at) WHERE anonymised_at IS NULL;
CREATE INDEX contacts_note_at ON contacts(at) WHERE note IS NOT NULL;
CREATE INDEX contacts_person_key_at ON contacts(at) WHERE person_key IS NOT NULL;
CREATE INDEX handoffs_reoriented_from ON handoffs(reoriented_from_id) WHERE reoriented_from_id IS NOT NULL;
`,
};
