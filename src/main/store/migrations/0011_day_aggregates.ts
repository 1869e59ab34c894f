/**
 * Day aggregates (decision 015): one row per local day holding everything a period report
 * needs, so that a report reads one row per day whatever the period.
 *
 * - `day_aggregates`: the aggregate of a day (JSON, format versioned), `frozen` when written at
 *   the day's closing (never recomputed until the day is reopened), `persons_final` when the
 *   person keys it was computed from have since been erased (its person counts are kept).
 * - `day_aggregates_stale`: days whose aggregate must be recomputed. Triggers mark them, so no
 *   code path can forget: a passage or contact on its day, a hand-over on the days its creation
 *   and outcomes may count on (UTC date and the next two dates cover Paris and the "after
 *   closing" shift), the next visit of a recognised person, the day after a closing changes.
 *   Erasing a person key (retention or right to erasure) marks nothing: it never changes a count.
 * - \`period_aggregates\`: calendar months and years rolled up from their days, so that a long
 *   period reads a few rows; \`period_aggregates_todo\` the ones to (re)build. A rollup is used only
 *   when none of its days is stale; rewriting a day deletes the rollups containing it.
 * - Partial indexes so that a day's hand-over outcomes, the keys due for erasure, the
 *   hand-overs due to expire and the re-orientation of a hand-over are found without scanning.
 *
 * Existing databases: every day holding data is marked stale; aggregates are then computed in
 * small slices by housekeeping, and reports compute stale days on the fly meanwhile.
 */
const STALE = 'INSERT OR IGNORE INTO day_aggregates_stale (day)';

/** Days on which an event at instant `t` (ISO, UTC) may count: its Paris day or the next. */
const eventDays = (t: string) => `${STALE} SELECT d FROM (SELECT date(${t}) AS d UNION SELECT date(${t}, '+1 day') UNION SELECT date(${t}, '+2 hours', '+1 day')) WHERE ${t} IS NOT NULL;`;

/** The next day on which a recognised person came back after `day` (their "previous visit" changes). */
const nextVisit = (key: string, day: string) =>
  `${STALE} SELECT d FROM (SELECT min(day) AS d FROM contacts WHERE person_key = ${key} AND day > ${day} AND deleted_at IS NULL) WHERE d IS NOT NULL;`;

export const migration0011 = {
  id: 11,
  name: 'day_aggregates',
  sql: `
CREATE TABLE day_aggregates (
  day TEXT PRIMARY KEY,
  format INTEGER NOT NULL,
  data TEXT NOT NULL,
  frozen INTEGER NOT NULL DEFAULT 0,
  persons_final INTEGER NOT NULL DEFAULT 0,
  computed_at TEXT NOT NULL
) STRICT;

CREATE TABLE day_aggregates_stale (
  day TEXT PRIMARY KEY
) STRICT;

CREATE TABLE period_aggregates (
  kind TEXT NOT NULL CHECK (kind IN ('month', 'year')),
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL,
  format INTEGER NOT NULL,
  data TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (kind, first_day)
) STRICT;

CREATE TABLE period_aggregates_todo (
  kind TEXT NOT NULL CHECK (kind IN ('month', 'year')),
  first_day TEXT NOT NULL,
  PRIMARY KEY (kind, first_day)
) STRICT;

CREATE INDEX handoffs_accepted_at ON handoffs(accepted_at) WHERE accepted_at IS NOT NULL;
CREATE INDEX handoffs_closed_at ON handoffs(closed_at) WHERE closed_at IS NOT NULL;
-- Person keys (contacts_person_key_at), unanswered hand-overs by expiry and re-orientations
-- (handoffs_proposed_expiry, handoffs_reoriented_from) are indexed by migration 7.

CREATE TRIGGER queue_entries_agg_insert AFTER INSERT ON queue_entries
BEGIN
  ${STALE} VALUES (NEW.day);
END;
CREATE TRIGGER queue_entries_agg_update
AFTER UPDATE OF day, state, service_code, arrived_at, first_called_at, started_at, finished_at, outside_hours, deleted_at ON queue_entries
BEGIN
  ${STALE} VALUES (OLD.day), (NEW.day);
END;

CREATE TRIGGER contacts_agg_insert AFTER INSERT ON contacts
BEGIN
  ${STALE} VALUES (NEW.day);
  ${nextVisit('NEW.person_key', 'NEW.day')}
END;
CREATE TRIGGER contacts_agg_update AFTER UPDATE OF day, channel, domains, orientation_target, person_key, deleted_at ON contacts
WHEN OLD.day IS NOT NEW.day OR OLD.channel IS NOT NEW.channel OR OLD.domains IS NOT NEW.domains
  OR OLD.orientation_target IS NOT NEW.orientation_target OR OLD.deleted_at IS NOT NEW.deleted_at
  OR (NEW.person_key IS NOT NULL AND OLD.person_key IS NOT NEW.person_key)
BEGIN
  ${STALE} VALUES (OLD.day), (NEW.day);
  ${nextVisit('OLD.person_key', 'OLD.day')}
  ${nextVisit('NEW.person_key', 'NEW.day')}
END;

CREATE TRIGGER handoffs_agg_insert AFTER INSERT ON handoffs
BEGIN
  ${STALE} VALUES (NEW.day);
  ${eventDays('NEW.created_at')}
  ${eventDays('NEW.accepted_at')}
  ${eventDays('NEW.closed_at')}
END;
CREATE TRIGGER handoffs_agg_update AFTER UPDATE OF day, created_at, state, accepted_at, closed_at, deleted_at ON handoffs
BEGIN
  ${STALE} VALUES (OLD.day), (NEW.day);
  ${eventDays('OLD.created_at')}
  ${eventDays('OLD.accepted_at')}
  ${eventDays('OLD.closed_at')}
  ${eventDays('NEW.accepted_at')}
  ${eventDays('NEW.closed_at')}
END;

CREATE TRIGGER day_closings_agg_insert AFTER INSERT ON day_closings
BEGIN
  ${STALE} VALUES (NEW.day), (date(NEW.day, '+1 day'));
END;
CREATE TRIGGER day_closings_agg_update AFTER UPDATE OF state, closed_at, deleted_at ON day_closings
BEGIN
  ${STALE} VALUES (NEW.day), (date(NEW.day, '+1 day'));
END;

${STALE} SELECT DISTINCT day FROM queue_entries;
${STALE} SELECT DISTINCT day FROM contacts;
${STALE} SELECT DISTINCT day FROM handoffs;
${STALE} SELECT date(accepted_at, '+2 hours') FROM handoffs WHERE accepted_at IS NOT NULL;
${STALE} SELECT date(closed_at, '+2 hours') FROM handoffs WHERE closed_at IS NOT NULL;
${STALE} SELECT date(accepted_at) FROM handoffs WHERE accepted_at IS NOT NULL;
${STALE} SELECT date(closed_at) FROM handoffs WHERE closed_at IS NOT NULL;
${STALE} SELECT day FROM day_closings UNION SELECT date(day, '+1 day') FROM day_closings;
`,
};
