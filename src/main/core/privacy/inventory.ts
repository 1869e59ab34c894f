/**
 * Inventory of the site schema's text columns (issue 13 item 6, decision 012). Every column that
 * may hold free text about a person received is listed in PERSONAL_TEXT with its kind (how it is
 * found and erased on request) and its retention rule; all follow the same four rules: found by
 * `privacy.search`, erased by `privacy.erase`, cleared by retention, never written into the
 * journal (the audit writer masks these fields, `src/main/core/audit/audit.ts`). Every other text
 * column is listed in NOT_PERSONAL_TEXT with the reason; the security suite fails when a column is
 * in neither list, so a new free-text column cannot ship without its rule.
 */
import type { Finding } from '../../../shared/api/methods/privacy';

export type RetentionRule =
  /** Erased the day after (the queue of the day only). */
  | 'arrival_day'
  /** Erased with the hand-over's details, after the hand-over retention (30 days by default). */
  | 'handoff'
  /** Erased after the notes retention (contactNotesDays, 90 days by default). */
  | 'notes';

export interface PersonalText {
  table: string;
  column: string;
  /** Its name in audit diffs (camelCase), masked by the audit writer. */
  field: string;
  kind: Finding['kind'];
  retention: RetentionRule;
  /** The column giving the row's date for the retention rule. */
  dateColumn: string;
}

export const PERSONAL_TEXT: readonly PersonalText[] = [
  { table: 'queue_entries', column: 'first_name', field: 'firstName', kind: 'queue_first_name', retention: 'arrival_day', dateColumn: 'day' },
  { table: 'queue_events', column: 'reason', field: 'reason', kind: 'queue_reason', retention: 'notes', dateColumn: 'at' },
  { table: 'contacts', column: 'note', field: 'note', kind: 'contact_note', retention: 'notes', dateColumn: 'at' },
  { table: 'handoffs', column: 'person_name', field: 'personName', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'handoffs', column: 'person_phone', field: 'personPhone', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'handoffs', column: 'summary', field: 'summary', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'handoffs', column: 'documents', field: 'documents', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'handoffs', column: 'appointment_place', field: 'appointmentPlace', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'handoffs', column: 'decline_text', field: 'declineText', kind: 'handoff_details', retention: 'handoff', dateColumn: 'created_at' },
  { table: 'day_closings', column: 'remark', field: 'remark', kind: 'day_remark', retention: 'notes', dateColumn: 'day' },
  { table: 'day_closings', column: 'reopen_reason', field: 'reopenReason', kind: 'day_remark', retention: 'notes', dateColumn: 'day' },
];

/** The personal text columns of one finding kind. */
export function columnsOf(kind: Finding['kind']): PersonalText[] {
  return PERSONAL_TEXT.filter((c) => c.kind === kind);
}

const ids = 'identifier or reference to another row';
const when = 'date or instant';
const code = 'code from a closed list (state, role, channel, institution…)';
const json = 'JSON of codes (domains, reasons, needs, flags, shared fields)';

/** Text columns that hold no free text about a person received, and why. */
export const NOT_PERSONAL_TEXT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  meta: { key: 'setting name', value: 'site code, schema data, hub certificate (no personal data)' },
  accounts: {
    id: ids, site_id: code, login: 'staff login', display_name: 'staff name (the account holder, not a person received)', role: code, institution: code,
    password_hash: 'scrypt hash (never in the journal)', created_at: when, updated_at: when, last_login_at: when, pin_hash: 'scrypt hash (never in the journal)',
    locked_until: when, last_password_login_at: when,
  },
  sessions: { token_hash: 'SHA-256 of a token', account_id: ids, created_at: when, expires_at: when, last_seen_at: when, revoked_at: when, locked_at: when, method: code },
  audit_log: { id: ids, site_id: code, at: when, actor_id: ids, actor_login: 'staff login', action: code, entity: code, entity_id: ids, diff: 'the journal itself: personal text fields are masked before writing' },
  site_settings: { id: ids, key: 'setting name', value: 'site configuration (services, desks, delays, retention)', site_id: code, updated_at: when, deleted_at: when },
  queue_entries: {
    id: ids, day: when, ticket: 'ticket number', service_code: code, original_service_code: code, purpose: code, appointment_at: when, appointment_with_account_id: ids,
    priority_reasons: json, needs: json, state: code, arrived_at: when, first_called_at: when, last_called_at: when,
    called_to: 'a configured desk or office (issue 13 item 9 restricts it to the configured list)', called_by: ids, started_at: when, served_by: ids,
    finished_at: when, ended_at: when, sort_override: when, registered_by: ids, site_id: code, updated_at: when, deleted_at: when,
  },
  queue_events: {
    id: ids, entry_id: ids, day: when, at: when, action: code, from_state: code, to_state: code, actor_id: ids, service_from: code, service_to: code,
    destination: 'a configured desk or office (issue 13 item 9)',
  },
  taxonomy_domains: { code: code, label: 'reference label', parent: code, updated_at: when },
  contacts: {
    id: ids, day: when, at: when, agent_id: ids, agent_institution: code, channel: code, domains: json, actions: json, orientation_kind: code, orientation_target: code,
    flags: json, queue_entry_id: ids, ticket: 'ticket number', person_key: 'pseudonymous key, not text: own retention (personKeysDays), found by identity, never in the journal',
    site_id: code, updated_at: when, deleted_at: when,
  },
  contact_domains: { contact_id: ids, day: when, domain_code: code, deleted_at: when },
  day_closings: {
    id: ids, day: when, state: code, closed_at: when, closed_by: ids, snapshot: 'frozen figures (counts only)', reopened_at: when, reopened_by: ids,
    site_id: code, updated_at: when, deleted_at: when,
  },
  // Day aggregates and rollups (decision 015): counts and duration histograms, no person.
  day_aggregates: { day: when, data: 'counts and histograms of the day (numbers only)', computed_at: when },
  day_aggregates_stale: { day: when },
  period_aggregates: { kind: code, first_day: when, last_day: when, data: 'counts and histograms of a month or year (numbers only)', computed_at: when },
  period_aggregates_todo: { kind: code, first_day: when },
  directory_entries: {
    id: ids, institution: code, kind: code, name: 'staff or team name (professionals on site, not persons received)', role: 'staff job title', office: 'office',
    extension: 'phone extension', mailbox: 'work mailbox', presence: 'working days', permanences: 'office hours', domains: json, account_id: ids,
    site_id: code, updated_at: when, deleted_at: when,
  },
  partners: {
    id: ids, code: code, name: 'organisation name', domains: json, address: 'organisation address', phone: 'organisation phone', access_conditions: 'organisation conditions',
    site_id: code, updated_at: when, deleted_at: when,
  },
  handoffs: {
    id: ids, day: when, created_at: when, from_account_id: ids, from_institution: code, to_institution: code, to_entry_id: ids, to_account_id: ids, domains: json,
    urgency: code, mode: code, appointment_at: when, consent_recorded_by: ids, consent_at: when, shared_fields: json, queue_entry_id: ids, contact_id: ids, state: code,
    seen_at: when, accepted_at: when, accepted_by: ids, taken_by: ids, declined_at: when, decline_reason: code, closed_at: when, late_at: when, expires_at: when,
    reoriented_from_id: ids, anonymised_at: when, site_id: code, updated_at: when, deleted_at: when,
  },
  devices: { id: ids, name: 'device name chosen by IT', token_hash: 'SHA-256 of a token', paired_at: when, paired_by: ids, last_seen_at: when, last_address: 'IP address of a desk', revoked_at: when },
  pairing_codes: { code_hash: 'SHA-256 of a code', created_at: when, expires_at: when, created_by: ids, used_at: when },
};
