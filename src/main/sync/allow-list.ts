/**
 * What leaves the site: the ONLY place that decides which local columns are sent to the central
 * database (docs/decisions/005-sync-allow-list.md). A column not listed here never leaves, so a
 * column added to a local table later stays on the site until someone adds it here, on purpose,
 * in a reviewed change. `tests/integration/sync.test.ts` checks that the central tables have
 * exactly these columns, and scans every central table for the seeded personal data.
 *
 * Never listed, by design: first names, person names and phones, free-text notes, summaries,
 * documents, remarks and reasons typed by hand, the pseudonymous person key, consent details,
 * appointment places, and account ids (who worked is not needed for inter-ESC figures; the
 * institution is).
 */

/** How a local SQLite value is turned into its central PostgreSQL value. */
export type ColumnKind = 'text' | 'int' | 'bool' | 'json' | 'timestamptz' | 'date';

export interface PushedColumn {
  /** Central column name (also the local column, unless `from` derives it). */
  name: string;
  kind: ColumnKind;
  /**
   * A value derived from local columns (decision 022: send what the aggregates need, not the
   * raw value): the local columns read, the pure function computing the sent value, and the same
   * computation as an SQLite expression (the sync encodes its batches in SQLite, copy.ts;
   * tests/unit/sync-copy-encoding.test.ts holds the two to the same results).
   */
  from?: { columns: readonly string[]; compute: (row: Record<string, unknown>) => CentralValue; sql: string };
}

export interface PushedTable {
  /** Local table. */
  local: string;
  /** Central table in the `esc` schema. */
  central: string;
  /** Extra SQL condition on the local rows (centrally owned rows are pulled, not pushed). */
  where?: string;
  columns: readonly PushedColumn[];
}

const c = (name: string, kind: ColumnKind = 'text'): PushedColumn => ({ name, kind });
const derived = (name: string, kind: ColumnKind, columns: readonly string[], compute: (row: Record<string, unknown>) => CentralValue, sql: string): PushedColumn => ({
  name,
  kind,
  from: { columns, compute, sql },
});

const ms = (v: unknown): number | null => (typeof v === 'string' ? Date.parse(v) : null);
/** Whole seconds between two local timestamps (floor), null when either is missing. */
const secondsBetween = (a: string, b: string) => (row: Record<string, unknown>): number | null => {
  const x = ms(row[a]);
  const y = ms(row[b]);
  return x === null || y === null ? null : Math.floor((y - x) / 1000);
};
/** An ISO instant truncated to the minute (Paris and UTC minutes coincide). */
export function toMinute(v: unknown): string | null {
  const t = ms(v);
  return t === null ? null : new Date(Math.floor(t / 60_000) * 60_000).toISOString();
}
const jsonLength = (col: string) => (row: Record<string, unknown>): number => {
  const v = row[col];
  if (typeof v !== 'string') return 0;
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed.length : 0;
};

// The same computations in SQLite. Instants become integer milliseconds (`unixepoch(…, 'subsec')`
// is exact to the millisecond once rounded), so that whole seconds are floored without the
// rounding errors of `julianday`.
const msSql = (col: string) => `CAST(round(unixepoch(${col}, 'subsec') * 1000) AS INTEGER)`;
const secondsBetweenSql = (a: string, b: string) => {
  const d = `(${msSql(b)} - ${msSql(a)})`;
  // Integer division truncates towards zero; Math.floor goes down for negative differences.
  return `(CASE WHEN ${d} >= 0 THEN ${d} / 1000 ELSE (${d} - 999) / 1000 END)`;
};
/** 0 for a missing value or JSON that is not an array; malformed JSON fails, as JSON.parse does. */
const jsonLengthSql = (col: string) => `coalesce(json_array_length(${col}), 0)`;
/** Truncated to the minute, in the form `toMinute` gives (UTC, milliseconds). */
const toMinuteSql = (col: string) => `strftime('%Y-%m-%dT%H:%M:00.000Z', ${col})`;

/** Columns every pushed row carries: identity, version check, tombstone. */
export const SYNC_ENVELOPE: readonly PushedColumn[] = [
  c('id'),
  c('site_id'),
  c('version', 'int'),
  c('change_seq', 'int'),
  c('updated_at', 'timestamptz'),
  c('deleted_at', 'timestamptz'),
];

export const PUSHED_TABLES: readonly PushedTable[] = [
  {
    local: 'site_settings',
    central: 'site_settings',
    // Settings are configuration (queue services, hand-over delays, retention periods): no person.
    columns: [c('key'), c('value', 'json')],
  },
  {
    local: 'queue_entries',
    central: 'queue_entries',
    // What the aggregates need (decision 022): day, arrival to the minute, durations in whole
    // seconds, codes and counts. Not sent: ticket, first_name, the priority reasons and needs
    // themselves (counts only), appointment time (only whether there was one), the call, start,
    // finish and end instants (the wait and service durations instead), the desk called to,
    // appointment_with_account_id, called_by, served_by, registered_by, sort_override.
    columns: [
      c('day', 'date'),
      c('service_code'),
      c('original_service_code'),
      c('purpose'),
      derived('has_appointment', 'bool', ['appointment_at'], (r) => r.appointment_at !== null && r.appointment_at !== undefined, '(appointment_at IS NOT NULL)'),
      derived('priority_count', 'int', ['priority_reasons'], jsonLength('priority_reasons'), jsonLengthSql('priority_reasons')),
      derived('needs_count', 'int', ['needs'], jsonLength('needs'), jsonLengthSql('needs')),
      c('state'),
      derived('arrived_minute', 'timestamptz', ['arrived_at'], (r) => toMinute(r.arrived_at), toMinuteSql('arrived_at')),
      derived('wait_seconds', 'int', ['arrived_at', 'first_called_at'], secondsBetween('arrived_at', 'first_called_at'), secondsBetweenSql('arrived_at', 'first_called_at')),
      derived('service_seconds', 'int', ['started_at', 'finished_at'], secondsBetween('started_at', 'finished_at'), secondsBetweenSql('started_at', 'finished_at')),
      c('call_count', 'int'),
      c('outside_hours', 'bool'),
    ],
  },
  {
    local: 'contacts',
    central: 'contacts',
    // Not sent: agent_id, ticket, note (free text), person_key (pseudonymous key), the instant
    // (`at`: the day is enough for every figure).
    columns: [
      c('day', 'date'),
      c('agent_institution'),
      c('channel'),
      c('domains', 'json'),
      c('actions', 'json'),
      c('orientation_kind'),
      c('orientation_target'),
      c('flags', 'json'),
      c('duration_minutes', 'int'),
      c('queue_entry_id'),
      c('taxonomy_version', 'int'),
    ],
  },
  {
    local: 'handoffs',
    central: 'handoffs',
    // Origin, target, mode, timestamps, outcome. Not sent: person_name, person_phone, summary,
    // documents, appointment_place, appointment_at, consent, consent_recorded_by, consent_at,
    // shared_fields, decline_text, to_entry_id and every account id.
    columns: [
      c('day', 'date'),
      c('created_at', 'timestamptz'),
      c('from_institution'),
      c('to_institution'),
      c('domains', 'json'),
      c('urgency'),
      c('mode'),
      c('queue_entry_id'),
      c('contact_id'),
      c('state'),
      c('seen_at', 'timestamptz'),
      c('accepted_at', 'timestamptz'),
      c('declined_at', 'timestamptz'),
      c('decline_reason'),
      c('closed_at', 'timestamptz'),
      c('late_at', 'timestamptz'),
      c('expires_at', 'timestamptz'),
      c('reoriented_from_id'),
    ],
  },
  {
    local: 'day_closings',
    central: 'day_closings',
    // The frozen figures of the day. Not sent: remark and reopen_reason (free text), closed_by,
    // reopened_by.
    columns: [c('day', 'date'), c('state'), c('closed_at', 'timestamptz'), c('reopened_at', 'timestamptz'), c('snapshot', 'json')],
  },
  {
    local: 'directory_entries',
    central: 'directory_entries',
    // Which teams and professionals exist, by institution and domain. Not sent: name, role,
    // office, extension, mailbox, presence, permanences, account_id.
    columns: [c('institution'), c('kind'), c('domains', 'json'), c('active', 'bool')],
  },
  {
    local: 'partners',
    central: 'site_partners',
    // Partners a site added itself (central partners are pulled). Not sent: address, phone,
    // access_conditions.
    where: "site_id <> 'CENTRAL'",
    columns: [c('code'), c('name'), c('domains', 'json'), c('prescriber_required', 'bool'), c('active', 'bool')],
  },
];

/** Every column of a central row table, in order: envelope first. */
export function centralColumns(t: PushedTable): PushedColumn[] {
  return [...SYNC_ENVELOPE, ...t.columns];
}

export type CentralValue = string | number | boolean | null | unknown[] | Record<string, unknown>;

/** The local columns to SELECT for a table (derived columns read their sources). */
export function localColumns(t: PushedTable): string[] {
  const out = new Set<string>();
  for (const col of centralColumns(t)) for (const name of col.from ? col.from.columns : [col.name]) out.add(name);
  return [...out];
}

/** Turns one local row (as read by `SELECT <localColumns>`) into the JSON object sent centrally. */
export function toCentralRow(t: PushedTable, local: Record<string, unknown>): Record<string, CentralValue> {
  const out: Record<string, CentralValue> = {};
  for (const col of centralColumns(t)) out[col.name] = col.from ? col.from.compute(local) : convert(col, local[col.name]);
  return out;
}

function convert(col: PushedColumn, v: unknown): CentralValue {
  if (v === null || v === undefined) return null;
  switch (col.kind) {
    case 'json':
      return typeof v === 'string' ? (JSON.parse(v) as CentralValue) : null;
    case 'bool':
      return v === 1 || v === true;
    case 'int':
      return Number(v);
    default:
      return String(v);
  }
}
