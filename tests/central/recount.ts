/**
 * An independent recount of the central aggregates from the row tables (plain GROUP BY queries,
 * no trigger code), to prove that the incrementally maintained aggregates equal a full recount.
 */
import type { TestCentral } from './database';

const OUTCOME_DAY = `coalesce((CASE state WHEN 'accepted' THEN accepted_at WHEN 'declined' THEN declined_at ELSE coalesce(closed_at, declined_at, accepted_at) END AT TIME ZONE 'Europe/Paris')::date, day)`;

/** Pairs of [maintained, recounted] queries; each returns rows of text for exact comparison. */
export const RECOUNTS: { name: string; maintained: string; recount: string }[] = [
  {
    name: 'agg_month',
    maintained: `SELECT site_id, month::text, passages, received, left_unseen, outside_hours, waits, contacts, contacts_oriented, handoffs FROM esc.agg_month
                 WHERE passages <> 0 OR received <> 0 OR left_unseen <> 0 OR outside_hours <> 0 OR waits <> 0 OR contacts <> 0 OR contacts_oriented <> 0 OR handoffs <> 0 ORDER BY 1, 2`,
    recount: `WITH q AS (SELECT site_id, date_trunc('month', day)::date AS month, count(*)::int AS passages, count(*) FILTER (WHERE state IN ('done','handed_over'))::int AS received,
                count(*) FILTER (WHERE state IN ('left','no_show','closed'))::int AS left_unseen, count(*) FILTER (WHERE outside_hours)::int AS outside_hours,
                count(wait_seconds)::int AS waits FROM esc.queue_entries WHERE deleted_at IS NULL AND state <> 'cancelled' GROUP BY 1, 2),
              c AS (SELECT site_id, date_trunc('month', day)::date AS month, count(*)::int AS contacts, count(orientation_target)::int AS oriented FROM esc.contacts WHERE deleted_at IS NULL GROUP BY 1, 2),
              h AS (SELECT site_id, date_trunc('month', day)::date AS month, count(*)::int AS handoffs FROM esc.handoffs WHERE deleted_at IS NULL GROUP BY 1, 2),
              k AS (SELECT site_id, month FROM q UNION SELECT site_id, month FROM c UNION SELECT site_id, month FROM h)
              SELECT k.site_id, k.month::text AS month, coalesce(q.passages, 0) AS c1, coalesce(q.received, 0) AS c2, coalesce(q.left_unseen, 0) AS c3, coalesce(q.outside_hours, 0) AS c4, coalesce(q.waits, 0) AS c5,
                     coalesce(c.contacts, 0) AS c6, coalesce(c.oriented, 0) AS c7, coalesce(h.handoffs, 0) AS c8
              FROM k LEFT JOIN q USING (site_id, month) LEFT JOIN c USING (site_id, month) LEFT JOIN h USING (site_id, month) ORDER BY 1, 2`,
  },
  {
    name: 'agg_day',
    maintained: `SELECT site_id, day::text, passages, contacts, handoffs, closings FROM esc.agg_day WHERE passages <> 0 OR contacts <> 0 OR handoffs <> 0 OR closings <> 0 ORDER BY 1, 2`,
    recount: `WITH q AS (SELECT site_id, day, count(*)::int AS n FROM esc.queue_entries WHERE deleted_at IS NULL AND state <> 'cancelled' GROUP BY 1, 2),
              c AS (SELECT site_id, day, count(*)::int AS n FROM esc.contacts WHERE deleted_at IS NULL GROUP BY 1, 2),
              h AS (SELECT site_id, day, count(*)::int AS n FROM esc.handoffs WHERE deleted_at IS NULL GROUP BY 1, 2),
              k AS (SELECT site_id, day, count(*)::int AS n FROM esc.day_closings WHERE deleted_at IS NULL AND state = 'closed' GROUP BY 1, 2),
              d AS (SELECT site_id, day FROM q UNION SELECT site_id, day FROM c UNION SELECT site_id, day FROM h UNION SELECT site_id, day FROM k)
              SELECT d.site_id, d.day::text AS day, coalesce(q.n, 0) AS c9, coalesce(c.n, 0) AS c10, coalesce(h.n, 0) AS c11, coalesce(k.n, 0) AS c12
              FROM d LEFT JOIN q USING (site_id, day) LEFT JOIN c USING (site_id, day) LEFT JOIN h USING (site_id, day) LEFT JOIN k USING (site_id, day) ORDER BY 1, 2`,
  },
  {
    name: 'agg_month_wait',
    maintained: 'SELECT site_id, month::text, wait_seconds, n FROM esc.agg_month_wait WHERE n <> 0 ORDER BY 1, 2, 3',
    recount: `SELECT site_id, date_trunc('month', day)::date::text, wait_seconds, count(*)::int AS n FROM esc.queue_entries
              WHERE deleted_at IS NULL AND state <> 'cancelled' AND wait_seconds IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  },
  {
    name: 'agg_month_domain',
    maintained: 'SELECT site_id, month::text, domain, n FROM esc.agg_month_domain WHERE n <> 0 ORDER BY 1, 2, 3',
    recount: `SELECT site_id, date_trunc('month', day)::date::text AS month, d, count(*)::int AS n FROM esc.contacts CROSS JOIN LATERAL jsonb_array_elements_text(domains) AS d
              WHERE deleted_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  },
  {
    name: 'agg_month_channel',
    maintained: 'SELECT site_id, month::text, channel, n FROM esc.agg_month_channel WHERE n <> 0 ORDER BY 1, 2, 3',
    recount: `SELECT site_id, date_trunc('month', day)::date::text AS month, channel, count(*)::int AS n FROM esc.contacts WHERE deleted_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  },
  {
    name: 'agg_month_handoff',
    maintained: 'SELECT site_id, month::text, from_institution, to_institution, event, n FROM esc.agg_month_handoff WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5',
    recount: `SELECT site_id, month::text AS month, f, to_institution, event, count(*)::int AS n FROM (
                SELECT site_id, date_trunc('month', day)::date AS month, coalesce(from_institution, '') AS f, to_institution, 'created' AS event FROM esc.handoffs WHERE deleted_at IS NULL
                UNION ALL
                SELECT site_id, date_trunc('month', ${OUTCOME_DAY})::date, coalesce(from_institution, ''), to_institution, state FROM esc.handoffs WHERE deleted_at IS NULL AND state <> 'proposed'
              ) x GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  },
];

/** Every maintained aggregate, next to its recount (for `toEqual`). */
export async function aggregatesVsRecount(central: TestCentral): Promise<{ maintained: Record<string, unknown[]>; recount: Record<string, unknown[]> }> {
  const maintained: Record<string, unknown[]> = {};
  const recount: Record<string, unknown[]> = {};
  for (const r of RECOUNTS) {
    maintained[r.name] = (await central.query(r.maintained)).map((row) => Object.values(row).map(String));
    recount[r.name] = (await central.query(r.recount)).map((row) => Object.values(row).map(String));
  }
  return { maintained, recount };
}
