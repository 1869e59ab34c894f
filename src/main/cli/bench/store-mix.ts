/**
 * Encrypted ÷ plain SQLite on the app's own write mix and reads: two copies of the big site
 * database, one opened by `openStore` (SQLCipher, raw key), one decrypted (`PRAGMA rekey = ''`)
 * and opened plain with the very same connection settings and migrations, driven through the
 * real router by the same scripted desk day, alternately, on a new day for each repetition.
 * Both run as the hub runs them: WAL checkpointed by a worker thread of their own (decision 029),
 * so that the time measured is what a desk waits for; the frames each checkpointer copied are
 * reported beside it.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { createApp, type App } from '../../api/app';
import type { Connection } from '../../api/types';
import type { Clock } from '../../core/context';
import { createAccount } from '../../core/accounts/accounts';
import * as schema from '../../store/schema';
import { configureConnection, migrate, openStore, type Store } from '../../store/open';
import { addDays, parisInstant } from '../../../shared/time/paris';
import { median } from './report';

class BenchClock implements Clock {
  private t = Date.now();
  now(): Date {
    return new Date(this.t);
  }
  set(d: Date): void {
    this.t = d.getTime();
  }
  advance(millis: number): void {
    this.t += millis;
  }
}

/** A plain (unencrypted) twin of `openStore`: same settings, same migrations, no cipher. */
function openPlainStore(file: string): Store {
  const sqlite = new Database(file);
  configureConnection(sqlite);
  migrate(sqlite);
  return {
    sqlite,
    db: drizzle(sqlite, { schema }),
    file,
    readOnly: false,
    cipher: 'plain',
    // The mix runs on the main connection only (queue, contacts, stats.today): no worker reads it.
    readerOptions: () => {
      throw new Error('the plain twin has no reader connection');
    },
    close: () => sqlite.close(),
  };
}

interface Side {
  name: 'encrypted' | 'plain';
  store: Store;
  app: App;
  clock: BenchClock;
}

async function call(app: App, conn: Connection, method: string, params: unknown): Promise<Record<string, unknown>> {
  const res = (await app.router.handle({ jsonrpc: '2.0', id: 1, method, params }, conn)) as { result?: Record<string, unknown>; error?: { message: string } };
  if (res.error) throw new Error(`${method}: ${res.error.message}`);
  return res.result!;
}

async function login(app: App, login: string): Promise<Connection> {
  const conn: Connection = { token: null };
  await call(app, conn, 'session.login', { login, password: `${login}-bench-pw-1` });
  return conn;
}

/** One desk day: `passages` arrivals called, received and logged, a hand-over every fifth, phone contacts between. */
async function writeMix(side: Side, day: string, passages: number): Promise<number> {
  side.clock.set(parisInstant(day, '08:00'));
  const agent = await login(side.app, 'bench.agent');
  const pro = await login(side.app, 'bench.pro');
  side.clock.set(parisInstant(day, '08:35'));
  const t0 = performance.now();
  for (let i = 0; i < passages; i++) {
    let e = await call(side.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    side.clock.advance(60_000);
    e = await call(side.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
    e = await call(side.app, agent, 'queue.start', { id: e.id, version: e.version });
    side.clock.advance(120_000);
    e = await call(side.app, agent, 'queue.finish', { id: e.id, version: e.version });
    await call(side.app, agent, 'contacts.log', { queueEntryId: e.id, domains: ['LOGEMENT', 'DROITS'] });
    if (i % 5 === 0) {
      const h = await call(side.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false, queueEntryId: e.id });
      await call(side.app, pro, 'handoffs.accept', { id: h.id, version: h.version });
    }
    if (i % 3 === 0) await call(side.app, agent, 'contacts.log', { channel: 'telephone', domains: ['BUDGET'] });
  }
  return performance.now() - t0;
}

async function readMix(side: Side, day: string, rounds: number): Promise<number> {
  const agent = await login(side.app, 'bench.agent');
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    await call(side.app, agent, 'queue.list', { day });
    await call(side.app, agent, 'stats.today', {});
    await call(side.app, agent, 'contacts.list', { day });
  }
  return performance.now() - t0;
}

export interface StoreMixResult {
  writesEncryptedMs: number;
  writesPlainMs: number;
  readsEncryptedMs: number;
  readsPlainMs: number;
  repeat: number;
  passages: number;
  historyDays: number;
  /** Frames the checkpointer of each side copied into its database (off the measured thread). */
  checkpointFrames: { encrypted: number; plain: number };
}

export async function benchStoreMix(
  dir: string,
  options: { base: { file: string; key: string; days: number }; passages: number; repeat: number; end: string },
): Promise<StoreMixResult> {
  const sides: Side[] = [];
  for (const name of ['encrypted', 'plain'] as const) {
    const file = join(dir, `mix-${name}.db`);
    copyFileSync(options.base.file, file);
    let store: Store;
    if (name === 'encrypted') {
      store = openStore({ file, keyHex: options.base.key, mode: 'open' });
    } else {
      const encrypted = openStore({ file, keyHex: options.base.key, mode: 'open' });
      encrypted.sqlite.pragma('journal_mode = DELETE');
      encrypted.sqlite.pragma("rekey = ''");
      encrypted.close();
      store = openPlainStore(file);
    }
    const clock = new BenchClock();
    clock.set(parisInstant(options.end, '07:00'));
    const app = createApp(store, clock, { walCheckpointer: { target: () => ({ file, keyHex: name === 'encrypted' ? options.base.key : null }) } });
    await app.services.checkpointer!.start();
    await createAccount(app.core, null, { login: 'bench.agent', displayName: 'Agent', role: 'agent_accueil', institution: 'CCAS', password: 'bench.agent-bench-pw-1', mustChangePassword: false });
    await createAccount(app.core, null, { login: 'bench.pro', displayName: 'Pro', role: 'professionnel', institution: 'CDAS', password: 'bench.pro-bench-pw-1', mustChangePassword: false });
    sides.push({ name, store, app, clock });
  }
  const writes = { encrypted: [] as number[], plain: [] as number[] };
  const reads = { encrypted: [] as number[], plain: [] as number[] };
  try {
    for (let r = 0; r < options.repeat; r++) {
      const day = addDays(options.end, r + 1);
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) writes[side.name].push(await writeMix(side, day, options.passages));
      for (const side of order) reads[side.name].push(await readMix(side, day, 10));
    }
  } finally {
    for (const s of sides) {
      await s.app.close();
      s.store.close();
    }
  }
  const frames = (name: Side['name']) => sides.find((s) => s.name === name)!.app.services.checkpointer!.totals.framesCopied;
  return {
    writesEncryptedMs: median(writes.encrypted),
    writesPlainMs: median(writes.plain),
    readsEncryptedMs: median(reads.encrypted),
    readsPlainMs: median(reads.plain),
    repeat: options.repeat,
    passages: options.passages,
    historyDays: options.base.days,
    checkpointFrames: { encrypted: frames('encrypted'), plain: frames('plain') },
  };
}
