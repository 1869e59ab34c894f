/**
 * The write of one sync batch to central (decision 005, point 3; `COPY` since issue 16, see
 * docs/performance.md): in ONE central transaction, each table's rows are streamed with `COPY` into a session-private temporary
 * table (emptied at commit), upserted from there with one statement per table and the same
 * version check as before (`change_seq` only grows), then the acknowledgement moves (esc.sync_ack). A cut
 * anywhere before COMMIT leaves nothing; a batch delivered twice changes nothing.
 */
import type pg from 'pg';
import { centralColumns, type PushedTable } from './allow-list';
import { copyFrom } from './copy';

export interface PushBatch {
  upper: number;
  rows: number;
  /** Per table, its rows as a COPY text payload in `centralColumns` order (client.ts `readBatch`). */
  tables: { table: PushedTable; rows: number; payload: Buffer }[];
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

/**
 * The statement that writes a staged table's rows: a plain INSERT first (a catch-up's rows are
 * new to central: no speculative insertion, ≈ 30 % of the write), and if any row is already
 * there (a day's changes, a resend, a batch delivered twice) the whole INSERT is undone (the
 * block's own savepoint) and the rows are upserted with the version check instead. Either way
 * the same rows result, and the aggregate triggers see exactly the rows written. A `DO` block
 * runs with the site role's rights, row-level security included, and needs no central function.
 */
export function writeRowsSql(central: string, names: readonly string[], from: string): string {
  const cols = names.join(', ');
  const updates = names.filter((c) => c !== 'site_id' && c !== 'id').map((c) => `${c} = EXCLUDED.${c}`);
  return `DO $write$ BEGIN
  INSERT INTO esc.${central} (${cols}) SELECT ${cols} FROM ${from};
EXCEPTION WHEN unique_violation THEN
  INSERT INTO esc.${central} (${cols}) SELECT ${cols} FROM ${from}
  ON CONFLICT (site_id, id) DO UPDATE SET ${updates.join(', ')}, received_at = now()
  WHERE esc.${central}.change_seq < EXCLUDED.change_seq;
END $write$`;
}

/**
 * `whileCentralWorks` runs once the upserts and the COMMIT are sent, while central executes them
 * (the client reads the next batch from SQLite meanwhile); it must not touch central.
 */
export async function pushBatchCopy(client: pg.Client, batch: PushBatch, whileCentralWorks?: () => void): Promise<void> {
  let overlapError: unknown = null;
  try {
    // The site's syncs are serialised by central's advisory lock (taken at hello), not by a row lock.
    await client.query('BEGIN');
    const upserts: string[] = [];
    for (const entry of batch.tables) {
      const { table } = entry;
      const columns = centralColumns(table);
      const payload = entry.payload;
      if (payload.length === 0) continue;
      const names = columns.map((c) => c.name);
      await ensureStaging(client, table);
      await copyFrom(client, staging(table), columns, payload);
      upserts.push(writeRowsSql(table.central, names, staging(table)));
    }
    // One round trip for the upserts, the acknowledgement and the commit: an error in any of
    // them aborts the transaction and skips the rest, COMMIT included.
    const finish = client.query(
      [
        ...upserts,
        // The acknowledgement (central's function: it moves exactly this site's row or raises, so
        // nothing commits); the rows received are counted once by central's triggers.
        `SELECT esc.sync_ack(${Math.trunc(batch.upper)})`,
        'COMMIT',
      ].join(';\n'),
    );
    try {
      whileCentralWorks?.();
    } catch (err) {
      overlapError = err;
    }
    await finish;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A temporary table created in the rolled-back transaction is gone with it.
    prepared.delete(client);
    throw err;
  }
  // Committed: a failure of the overlapped local work is the caller's, not this batch's.
  if (overlapError) throw overlapError;
}
