/**
 * Entry of the WAL checkpointer's worker thread (decision 029). It opens its own connection to
 * the site database and, every `everyMs`, if another connection committed since its last look
 * (`PRAGMA data_version`) or its last checkpoint could not copy everything (a reader still used
 * older frames), runs `PRAGMA wal_checkpoint(PASSIVE)`: frames are copied from the WAL into the
 * database (decrypted then encrypted again, page by page) and both files synced, without
 * blocking the writer nor any reader. The main connection's own automatic checkpoint stays as a
 * safety net and never fires while this keeps the WAL short (the WAL restarts from its start at
 * the first commit after a complete checkpoint).
 *
 * Light on purpose: the driver and the cipher helper only (no app code, no ORM): its memory
 * counts in the hub's. An entry of its own (`wal-checkpointer.js`, src/main/runtime/entries.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { useSiteKey } from '../cipher';
import type { CheckpointerBoot, CheckpointResult, FromCheckpointer, ToCheckpointer } from './protocol';

const port = parentPort;
if (!port) throw new Error('store/wal/worker.ts runs as a worker thread only.');
const boot = workerData as CheckpointerBoot;
const send = (m: FromCheckpointer) => port.postMessage(m);

const db = new Database(boot.file, { fileMustExist: true });
// A wrong key fails here (SQLITE_NOTADB: useSiteKey reads the schema), before any checkpoint.
if (boot.keyHex !== null) useSiteKey(db, boot.keyHex);
else db.prepare('SELECT count(*) FROM sqlite_master').get();
// The checkpoint syncs the WAL before copying and the database after (as the automatic one does).
db.pragma('synchronous = FULL');
// This connection never writes; it reads through no page cache worth keeping.
db.pragma('wal_autocheckpoint = 0');
db.pragma('cache_size = -256');

const dataVersion = db.prepare('PRAGMA data_version').pluck();
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

let seen = -1;
let incomplete = false;

function run(): CheckpointResult {
  const t0 = performance.now();
  const row = checkpoint.get() as { busy: number; log: number; checkpointed: number };
  incomplete = row.checkpointed < row.log;
  return { log: row.log, checkpointed: row.checkpointed, ms: performance.now() - t0 };
}

function tick(): void {
  const version = dataVersion.get() as number;
  if (version === seen && !incomplete) return;
  seen = version;
  const r = run();
  if (r.log > 0) send({ type: 'checkpoint', id: null, ...r });
}

function guarded(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
    send({ type: 'failed', error: typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown' });
    stop();
  }
}

const timer = setInterval(() => guarded(tick), boot.everyMs);

function stop(): void {
  clearInterval(timer);
  if (db.open) db.close();
  port!.close();
}

port.on('message', (m: ToCheckpointer) => {
  if (m.type === 'stop') stop();
  else
    guarded(() => {
      seen = dataVersion.get() as number;
      send({ type: 'checkpoint', id: m.id, ...run() });
    });
});
send({ type: 'ready' });
