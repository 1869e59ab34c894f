/**
 * Central retention (decision 022): the de-identified row tables keep a rolling number of months
 * (36 by default, at least 13 so that a year and its comparison month stay checkable); the
 * aggregates, which are all the reports read, keep everything. Purged days are recorded
 * (`rows_purged_before`), and a row of a purged day sent again (a restored site's full resend) is
 * ignored by a trigger (its WHEN holds the boundary as a constant, re-created here: central
 * migration 3), so that it is never counted twice.
 */
import { localDay } from '../../shared/time/paris';
import { connectCentral, toCentralError, type CentralTarget } from './connect';

export async function purgeRows(target: CentralTarget, months: number, now = new Date()): Promise<{ before: string; deleted: number }> {
  const today = localDay(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 - months, 1));
  const before = `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const client = await connectCentral(target, 'accueil-esc-purge');
  try {
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO esc.settings (key, value) VALUES ('rows_purged_before', $1) ON CONFLICT (key) DO UPDATE SET value = GREATEST(esc.settings.value::date, EXCLUDED.value::date)::text",
      [before],
    );
    // The triggers that ignore rows of purged days sent again hold the boundary as a constant.
    await client.query('SELECT esc.apply_rows_purged_before()');
    let deleted = 0;
    for (const table of ['queue_entries', 'contacts', 'handoffs', 'day_closings']) {
      deleted += (await client.query(`DELETE FROM esc.${table} WHERE day < $1`, [before])).rowCount ?? 0;
    }
    await client.query('COMMIT');
    return { before, deleted };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw toCentralError(err, target.url);
  } finally {
    await client.end().catch(() => undefined);
  }
}
