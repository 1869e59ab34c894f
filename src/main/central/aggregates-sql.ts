/**
 * The central aggregates, maintained incrementally at sync time (decision 023).
 *
 * Every row table that feeds a figure has two statement-level triggers (AFTER INSERT and AFTER
 * UPDATE, with transition tables). Each one adds the contribution of the new rows and subtracts
 * that of the old rows, so an upsert, a tombstone, a restamped resend or an orphan marked by the
 * restore reconciliation all leave the aggregates equal to what a full recount would give, whatever
 * code path wrote the rows (the batch writer may use INSERT … SELECT or COPY + upsert alike).
 *
 * Closed-day rule (the team's rule, recorded by branch `aggregates`): every figure counts events
 * on the day they happen; a hand-over is counted as created on its creation day and its outcome
 * on the day of the outcome. A later event never changes a closed day.
 *
 * Tables (all keyed by site):
 * - agg_day (per day: counts for completeness and IT; never readable by the APRAS role)
 * - agg_month, agg_month_wait (exact wait distribution in whole seconds: since central migration 5
 *   a view over agg_month_wait_minutes, 60 counts per minute), agg_month_service,
 *   agg_month_channel, agg_month_domain, agg_month_handoff (per month: what reports read).
 */

export type Source = { rows: string; sign: 1 | -1 };

/** The delta rows of a statement: new rows count +1, old rows −1. */
function delta(sources: Source[], select: string, where: string): string {
  return sources.map((s) => `SELECT ${select}, ${s.sign} AS sign FROM ${s.rows} WHERE ${where}`).join('\n  UNION ALL\n  ');
}

const month = "date_trunc('month', day)::date";

/** Upsert of signed sums into an aggregate table, skipping groups whose delta is zero. */
function upsert(table: string, keys: string[], sums: Record<string, string>, from: string): string {
  const cols = [...keys, ...Object.keys(sums)];
  const sumExprs = Object.values(sums);
  const having = sumExprs.map((e) => `${e} <> 0`).join(' OR ');
  const set = Object.keys(sums)
    .map((k) => `${k} = a.${k} + EXCLUDED.${k}`)
    .join(', ');
  return `INSERT INTO esc.${table} AS a (${cols.join(', ')})
SELECT ${[...keys, ...sumExprs].join(', ')} FROM (${from}) d GROUP BY ${keys.map((_, i) => i + 1).join(', ')} HAVING ${having}
ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${set};`;
}

const s = (cond: string | null) => (cond ? `coalesce(sum(sign) FILTER (WHERE ${cond}), 0)::int` : 'sum(sign)::int');

const QUEUE_LIVE = "deleted_at IS NULL AND state <> 'cancelled'";
const RECEIVED = "state IN ('done', 'handed_over')";
const LEFT = "state IN ('left', 'no_show', 'closed')";

/**
 * How the exact wait distribution is kept. `seconds`: one row per (site, month, second) — central
 * migration 1, frozen here because that migration generates its DDL from this file. `minutes`
 * (migration 5): one row per (site, month, minute) holding the 60 counts of its seconds, so that a
 * batch of the catch-up upserts a few hundred rows instead of one per distinct wait; the view
 * `esc.agg_month_wait` shows it as before, one row per second with a count.
 */
export type WaitLayout = 'seconds' | 'minutes';

/** Whole minutes and the second within the minute, for negative waits too (floor, not truncation). */
const SECOND_OF_MINUTE = '(((wait_seconds % 60) + 60) % 60)';
const MINUTE = `((wait_seconds - ${SECOND_OF_MINUTE}) / 60)`;

function waitMinutesUpsert(d: string): string {
  return `INSERT INTO esc.agg_month_wait_minutes AS a (site_id, month, minute, counts)
SELECT site_id, month, minute, esc.wait_counts(array_agg(second), array_agg(n)) FROM (
  SELECT site_id, month, ${MINUTE} AS minute, ${SECOND_OF_MINUTE} AS second, sum(sign)::int AS n
  FROM (${d}) w WHERE wait_seconds IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0
) s GROUP BY 1, 2, 3
ON CONFLICT (site_id, month, minute) DO UPDATE SET counts = esc.add_counts(a.counts, EXCLUDED.counts);`;
}

function queueStatements(src: Source[], waits: WaitLayout = 'minutes'): string[] {
  const d = delta(src, `site_id, day, ${month} AS month, state, wait_seconds, service_seconds, service_code, outside_hours`, QUEUE_LIVE);
  return [
    upsert('agg_day', ['site_id', 'day'], { passages: s(null), received: s(RECEIVED), left_unseen: s(LEFT) }, d),
    upsert(
      'agg_month',
      ['site_id', 'month'],
      { passages: s(null), received: s(RECEIVED), left_unseen: s(LEFT), outside_hours: s('outside_hours'), waits: s('wait_seconds IS NOT NULL') },
      d,
    ),
    waits === 'seconds'
      ? upsert('agg_month_wait', ['site_id', 'month', 'wait_seconds'], { n: s(null) }, `SELECT * FROM (${d}) w WHERE wait_seconds IS NOT NULL`)
      : waitMinutesUpsert(d),
    upsert('agg_month_service', ['site_id', 'month', 'service_code'], { n: s(null) }, d),
  ];
}

function contactStatements(src: Source[]): string[] {
  const d = delta(src, `site_id, day, ${month} AS month, channel, domains, orientation_target`, 'deleted_at IS NULL');
  return [
    upsert('agg_day', ['site_id', 'day'], { contacts: s(null) }, d),
    upsert('agg_month', ['site_id', 'month'], { contacts: s(null), contacts_oriented: s('orientation_target IS NOT NULL') }, d),
    upsert('agg_month_channel', ['site_id', 'month', 'channel'], { n: s(null) }, d),
    upsert(
      'agg_month_domain',
      ['site_id', 'month', 'domain'],
      { n: s(null) },
      `SELECT site_id, month, dom.domain, sign FROM (${d}) c CROSS JOIN LATERAL jsonb_array_elements_text(c.domains) AS dom(domain)`,
    ),
  ];
}

/** The Paris day of a hand-over's outcome (the instant of its current state). */
const OUTCOME_DAY = `coalesce((CASE state WHEN 'accepted' THEN accepted_at WHEN 'declined' THEN declined_at ELSE coalesce(closed_at, declined_at, accepted_at) END AT TIME ZONE 'Europe/Paris')::date, day)`;

function handoffStatements(src: Source[]): string[] {
  const created = delta(src, `site_id, day, ${month} AS month, coalesce(from_institution, '') AS from_institution, to_institution, 'created'::text AS event`, 'deleted_at IS NULL');
  const outcome = delta(
    src,
    `site_id, ${OUTCOME_DAY} AS day, date_trunc('month', ${OUTCOME_DAY})::date AS month, coalesce(from_institution, '') AS from_institution, to_institution, state AS event`,
    "deleted_at IS NULL AND state <> 'proposed'",
  );
  return [
    upsert('agg_day', ['site_id', 'day'], { handoffs: s(null) }, created),
    upsert('agg_month', ['site_id', 'month'], { handoffs: s(null) }, created),
    upsert('agg_month_handoff', ['site_id', 'month', 'from_institution', 'to_institution', 'event'], { n: s(null) }, `${created}\n  UNION ALL\n  ${outcome}`),
  ];
}

function closingStatements(src: Source[]): string[] {
  const d = delta(src, 'site_id, day', "deleted_at IS NULL AND state = 'closed'");
  return [upsert('agg_day', ['site_id', 'day'], { closings: s(null) }, d)];
}

export const AGGREGATED_TABLES = {
  queue_entries: queueStatements,
  contacts: contactStatements,
  handoffs: handoffStatements,
  day_closings: closingStatements,
} as const;

type AggregatedTable = keyof typeof AGGREGATED_TABLES;

/**
 * The trigger function of one row table (INSERT: new rows; UPDATE: new minus old). `replace`:
 * `CREATE OR REPLACE` with the settings migration 4 gave it (hash grouping), for later migrations.
 */
function functionDdl(table: AggregatedTable, waits: WaitLayout, replace: boolean): string {
  const build = (src: Source[]) => (table === 'queue_entries' ? queueStatements(src, waits) : AGGREGATED_TABLES[table](src));
  const onInsert = build([{ rows: 'new_rows', sign: 1 }]).join('\n');
  const onUpdate = build([
    { rows: 'new_rows', sign: 1 },
    { rows: 'old_rows', sign: -1 },
  ]).join('\n');
  return `
CREATE ${replace ? 'OR REPLACE ' : ''}FUNCTION esc.agg_${table}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, esc${replace ? ' SET enable_sort = off' : ''} AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
${onInsert}
  ELSE
${onUpdate}
  END IF;
  RETURN NULL;
END $fn$;`;
}

function triggerFunction(table: AggregatedTable): string {
  return `${functionDdl(table, 'seconds', false)}
CREATE TRIGGER ${table}_agg_insert AFTER INSERT ON esc.${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esc.agg_${table}();
CREATE TRIGGER ${table}_agg_update AFTER UPDATE ON esc.${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION esc.agg_${table}();`;
}

/**
 * Central migration 5: the wait distribution per minute (`WaitLayout`). The rows kept so far are
 * regrouped exactly; `esc.agg_month_wait` becomes a view with the same columns and rows (seconds
 * whose count is zero are not shown, as before they were ignored by every reader).
 */
export function waitMinutesDdl(): string {
  return `
CREATE FUNCTION esc.wait_counts(seconds integer[], ns integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_agg(coalesce(m.n, 0) ORDER BY g.s) FROM generate_series(0, 59) AS g(s) LEFT JOIN unnest(seconds, ns) AS m(s, n) ON m.s = g.s $$;
CREATE FUNCTION esc.add_counts(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i) $$;
CREATE TABLE esc.agg_month_wait_minutes (
  site_id text NOT NULL,
  month date NOT NULL,
  minute integer NOT NULL,
  counts integer[] NOT NULL CHECK (cardinality(counts) = 60),
  PRIMARY KEY (site_id, month, minute)
);
INSERT INTO esc.agg_month_wait_minutes (site_id, month, minute, counts)
SELECT site_id, month, minute, esc.wait_counts(array_agg(second), array_agg(n)) FROM (
  SELECT site_id, month, ${MINUTE} AS minute, ${SECOND_OF_MINUTE} AS second, n FROM esc.agg_month_wait WHERE n <> 0
) s GROUP BY 1, 2, 3;
DROP TABLE esc.agg_month_wait;
CREATE VIEW esc.agg_month_wait AS
  SELECT m.site_id, m.month, (m.minute * 60 + u.i - 1)::integer AS wait_seconds, u.n
  FROM esc.agg_month_wait_minutes m CROSS JOIN LATERAL unnest(m.counts) WITH ORDINALITY AS u(n, i) WHERE u.n <> 0;
${functionDdl('queue_entries', 'minutes', true)}`;
}

/** A monthly count table: (site, month, one key) → n. */
function countTable(name: string, key: string): string {
  const column = key.split(' ')[0]!;
  return `CREATE TABLE esc.${name} (
  site_id text NOT NULL REFERENCES esc.sites(site_id),
  month date NOT NULL,
  ${key} NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (site_id, month, ${column})
);`;
}

/** DDL of the aggregate tables, their triggers, and a backfill from the rows already held. */
export function aggregatesDdl(): string {
  const tables = `
CREATE TABLE esc.agg_day (
  site_id text NOT NULL REFERENCES esc.sites(site_id),
  day date NOT NULL,
  passages integer NOT NULL DEFAULT 0,
  received integer NOT NULL DEFAULT 0,
  left_unseen integer NOT NULL DEFAULT 0,
  contacts integer NOT NULL DEFAULT 0,
  handoffs integer NOT NULL DEFAULT 0,
  closings integer NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, day)
);
CREATE TABLE esc.agg_month (
  site_id text NOT NULL REFERENCES esc.sites(site_id),
  month date NOT NULL,
  passages integer NOT NULL DEFAULT 0,
  received integer NOT NULL DEFAULT 0,
  left_unseen integer NOT NULL DEFAULT 0,
  outside_hours integer NOT NULL DEFAULT 0,
  waits integer NOT NULL DEFAULT 0,
  contacts integer NOT NULL DEFAULT 0,
  contacts_oriented integer NOT NULL DEFAULT 0,
  handoffs integer NOT NULL DEFAULT 0,
  PRIMARY KEY (site_id, month)
);
${countTable('agg_month_wait', 'wait_seconds integer')}
${countTable('agg_month_service', 'service_code text')}
${countTable('agg_month_channel', 'channel text')}
${countTable('agg_month_domain', 'domain text')}
CREATE TABLE esc.agg_month_handoff (
  site_id text NOT NULL REFERENCES esc.sites(site_id),
  month date NOT NULL,
  from_institution text NOT NULL,
  to_institution text NOT NULL,
  event text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (site_id, month, from_institution, to_institution, event)
);`;
  const triggers = (Object.keys(AGGREGATED_TABLES) as AggregatedTable[]).map(triggerFunction).join('\n');
  const backfill = (Object.keys(AGGREGATED_TABLES) as AggregatedTable[])
    .map((t) => (t === 'queue_entries' ? queueStatements([{ rows: `esc.${t}`, sign: 1 }], 'seconds') : AGGREGATED_TABLES[t]([{ rows: `esc.${t}`, sign: 1 }])).join('\n'))
    .join('\n');
  return `${tables}\n${triggers}\n${backfill}`;
}

/** The aggregate tables of migration 1 (`agg_month_wait` is a view over `agg_month_wait_minutes` since migration 5). */
export const AGGREGATE_TABLES = ['agg_day', 'agg_month', 'agg_month_wait', 'agg_month_service', 'agg_month_channel', 'agg_month_domain', 'agg_month_handoff'] as const;
/** What the APRAS role may read: monthly tables only (never agg_day, never a row table). */
export const APRAS_MONTHLY_TABLES = ['agg_month', 'agg_month_wait', 'agg_month_service', 'agg_month_channel', 'agg_month_domain', 'agg_month_handoff'] as const;
