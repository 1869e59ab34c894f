/**
 * The WAL checkpointer (decision 029): committed pages reach the database file from a worker
 * thread, never inside a desk's commit. What a user would notice: the WAL stays short whatever
 * is written (the main connection's own checkpoint, which paused every desk, never comes due),
 * what was committed is in the database file itself, a restore under the running app goes on
 * being checkpointed on the restored file, and a checkpointer that cannot work is journalled
 * while the desks go on unharmed.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, createTestSite, rpc, signIn, type TestSite } from '../fixtures/site';
import { createApp, type App } from '../../src/main/api/app';
import { createAccount } from '../../src/main/core/accounts/accounts';
import { openStore } from '../../src/main/store/open';
import { recentProblems } from '../../src/main/api/log';

const sites: TestSite[] = [];
const apps: App[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'esc-wal-'));
afterAll(async () => {
  for (const a of apps) await a.close();
  for (const s of sites) s.close();
  rmSync(scratch, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const walSize = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

async function site(withCheckpointer: boolean, options: { everyMs?: number; keyHex?: string } = {}): Promise<{ site: TestSite; app: App }> {
  const s = await createTestSite();
  sites.push(s);
  const target = options.keyHex ? { target: () => ({ file: s.file, keyHex: options.keyHex! }) } : {};
  const app = createApp(s.store, s.clock, {
    backups: { dir: join(s.dir, 'sauvegardes'), keep: 5, keyHex: s.keyHex },
    ...(withCheckpointer ? { walCheckpointer: { everyMs: options.everyMs ?? 20, ...target } } : {}),
  });
  apps.push(app);
  await app.services.checkpointer?.start();
  return { site: s, app };
}

/** About 40 MB of commits (10 240 pages), one megabyte each, with pauses as between desk actions: the largest WAL seen. */
async function writeFortyMegabytes(s: TestSite): Promise<number> {
  s.store.sqlite.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)');
  const insert = s.store.sqlite.prepare('INSERT INTO filler (x) VALUES (randomblob(4000))');
  const commit = s.store.sqlite.transaction(() => {
    for (let i = 0; i < 256; i++) insert.run();
  });
  let largest = 0;
  for (let i = 0; i < 40; i++) {
    commit();
    largest = Math.max(largest, walSize(s.file));
    await sleep(40);
  }
  return largest;
}

/** Logins found in a copy of the database file alone (without its WAL): what the checkpoints put there. */
function loginsInFileAlone(s: TestSite, name: string): string[] {
  const copy = join(scratch, name);
  copyFileSync(s.file, copy);
  const store = openStore({ file: copy, keyHex: s.keyHex, mode: 'open' });
  try {
    return (store.sqlite.prepare('SELECT login FROM accounts ORDER BY login').pluck().all() as string[]);
  } finally {
    store.close();
  }
}

const person = (app: App, login: string) =>
  createAccount(app.core, null, { login, displayName: login, role: 'agent_accueil', institution: null, password: `${login}-password-1`, mustChangePassword: false });

describe('WAL checkpointer', () => {
  it('keeps the WAL short under 40 MB of commits, where the main connection alone lets it grow to 40 MB', async () => {
    const alone = await site(false);
    const withWorker = await site(true);
    const largestAlone = await writeFortyMegabytes(alone.site);
    const largestWithWorker = await writeFortyMegabytes(withWorker.site);
    // Alone, the main connection checkpoints (inside a commit) only once 10 000 frames are in the WAL.
    expect(largestAlone).toBeGreaterThan(35 * 1024 * 1024);
    // With the worker, the WAL restarts after each of its checkpoints: the main connection's own
    // never came due (a loaded machine's slow fsyncs may let a few commits pile up, not 40).
    expect(largestWithWorker).toBeLessThan(16 * 1024 * 1024);
    const totals = withWorker.app.services.checkpointer!.totals;
    expect(totals.framesCopied).toBeGreaterThan(10_000);
    expect(totals.failures).toBe(0);
    expect(withWorker.site.store.sqlite.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(40 * 256);
  });

  it('puts what the desks committed into the database file itself, from the worker', async () => {
    const { site: s, app } = await site(true, { everyMs: 60_000 });
    await app.services.checkpointer!.checkpointNow();
    expect(loginsInFileAlone(s, 'setup.db')).toEqual(['admin']);
    await person(app, 'camille');
    // A few pages committed, far below the main connection's own threshold: only the worker folds them.
    expect(loginsInFileAlone(s, 'before.db')).toEqual(['admin']);
    const r = await app.services.checkpointer!.checkpointNow();
    expect(r.log).toBeGreaterThan(0);
    expect(r.checkpointed).toBe(r.log);
    expect(loginsInFileAlone(s, 'after.db')).toEqual(['admin', 'camille']);
  });

  it('goes on with the restored file after a restore under the running app', async () => {
    const { site: s, app } = await site(true, { everyMs: 60_000 });
    await person(app, 'avant');
    let admin = await signIn(app, ADMIN.login, ADMIN.password);
    const backup = await rpc(app, admin, 'backups.run', {});
    await person(app, 'apres');
    const done = await rpc(app, admin, 'backups.restore', { name: backup.name });
    expect(done.restored).toBe(backup.name);
    // Stopped before the swap, started again by the restore itself on the restored file.
    await vi.waitUntil(() => app.services.checkpointer!.active);
    await person(app, 'ensuite');
    const r = await app.services.checkpointer!.checkpointNow();
    expect(r.checkpointed).toBe(r.log);
    // The restored file holds the backup's accounts and what came after, without its WAL.
    expect(loginsInFileAlone(s, 'restored.db')).toEqual(['admin', 'avant', 'ensuite']);
    admin = await signIn(app, ADMIN.login, ADMIN.password);
    expect(s.store.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(app.services.checkpointer!.totals.failures).toBe(0);
  });

  it('journals a checkpointer that cannot open the base (code only), and the desks go on', async () => {
    const wrongKey = 'ab'.repeat(32);
    const { site: s, app } = await site(true, { keyHex: wrongKey });
    const checkpointer = app.services.checkpointer!;
    expect(checkpointer.active).toBe(false);
    expect(checkpointer.totals.failures).toBe(1);
    const logged = recentProblems().filter((p) => p.event === 'wal.checkpointer_failure');
    expect(logged.at(-1)).toMatchObject({ level: 'error', error: 'SQLITE_NOTADB' });
    expect(JSON.stringify(logged)).not.toContain(wrongKey);
    expect(JSON.stringify(logged)).not.toContain(s.keyHex);
    await person(app, 'camille');
    const admin = await signIn(app, ADMIN.login, ADMIN.password);
    expect((await rpc(app, admin, 'accounts.list', {})).accounts.map((a) => a.login).sort()).toEqual(['admin', 'camille']);
  });
});
