/**
 * The write of one sync batch to central (decision 005, point 3; `COPY` since issue 16, see
 * docs/performance.md): in ONE central transaction, the site's acknowledgement
 * row is locked, each table's rows are streamed with `COPY` into a session-private temporary
 * table (emptied at commit), upserted from there with one statement per table and the same
 * version check as before (`change_seq` only grows), then the acknowledgement moves. A cut
 * anywhere before COMMIT leaves nothing; a batch delivered twice changes nothing.
 */
import type pg from 'pg';
import { centralColumns, type CentralValue, type PushedTable } from './allow-list';
import { copyFrom, copyText } from './copy';

export interface PushBatch {
  upper: number;
  rows: number;
  tables: { table: PushedTable; rows: Record<string, CentralValue>[] }[];
}

const staging = (t: PushedTable) => `sync_in_${t.central}`;

/** Temporary tables already created on this connection (they live as long as the session). */
const prepared = new WeakMap<pg.Client, Set<string>>();

async function ensureStaging(client: pg.Client, t: PushedTable): Promise<void> {
  let done = prepared.get(client);
  if (!done) prepared.set(client, (done = new Set()));
  if (done.has(t.central)) return;
  const cols = centralColumns(t);
  // Same column types as the central table, no constraint: COPY only buffers the batch.
  await client.query(
    `CREATE TEMPORARY TABLE IF NOT EXISTS ${staging(t)} ON COMMIT DELETE ROWS AS SELECT ${cols.map((c) => c.name).join(', ')} FROM esc.${t.central} WITH NO DATA`,
  );
  done.add(t.central);
}

export async function pushBatchCopy(client: pg.Client, site: string, batch: PushBatch): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT acked_seq FROM esc.sync_state WHERE site_id = $1 FOR UPDATE', [site]);
    for (const { table, rows } of batch.tables) {
      if (rows.length === 0) continue;
      const columns = centralColumns(table);
      const names = columns.map((c) => c.name);
      await ensureStaging(client, table);
      await copyFrom(client, staging(table), columns, copyText(columns, rows));
      const updates = names.filter((c) => c !== 'site_id' && c !== 'id').map((c) => `${c} = EXCLUDED.${c}`);
      await client.query(
        `INSERT INTO esc.${table.central} (${names.join(', ')})
         SELECT ${names.join(', ')} FROM ${staging(table)}
         ON CONFLICT (site_id, id) DO UPDATE SET ${updates.join(', ')}, received_at = now()
         WHERE esc.${table.central}.change_seq < EXCLUDED.change_seq`,
      );
    }
    const ack = await client.query(
      `UPDATE esc.sync_state SET acked_seq = GREATEST(acked_seq, $2), batches = batches + 1, rows_received = rows_received + $3, last_push_at = now()
       WHERE site_id = $1`,
      [site, batch.upper, batch.rows],
    );
    if (ack.rowCount !== 1) throw new Error('sync_state row missing');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A temporary table created in the rolled-back transaction is gone with it.
    prepared.delete(client);
    throw err;
  }
}
