/**
 * Issue 13 item 15: what the hub writes to disk is readable by its own account only, whatever the
 * umask: the database and its -wal/-shm, backups, the copies set aside at restore, key files and
 * the folders created for them. The copies set aside at restore are rotated: they hold data the
 * live base may have erased since.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { backupNow, restoreBackup } from '../../src/main/store/backup';
import { openStore } from '../../src/main/store/open';
import { setupSite } from '../../src/main/core/site/setup';
import { systemClock } from '../../src/main/core/context';
import { createApp } from '../../src/main/api/app';
import { runHousekeeping } from '../../src/main/api/housekeeping';

const root = mkdtempSync(join(tmpdir(), 'esc-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

/** `node --import tsx src/main/cli/index.ts hub …` in a child whose umask is 000. */
const UMASK_000 = ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, '--import', 'tsx', 'src/main/cli/index.ts', 'hub'];
function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('sh', [...UMASK_000, ...args], { encoding: 'utf8', env: { ...process.env, ESC_LOG: 'silent', ...env } });
  if (r.status !== 0) throw new Error(`hub ${args[0]} failed: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('file modes under umask 000', () => {
  const dataDir = join(root, 'srv', 'data');
  const keyFile = join(root, 'etc', 'accueil-esc', 'site.key');
  const backupDir = join(root, 'partage', 'sauvegardes');
  const db = join(dataDir, 'accueil-esc.db');

  it('the umask of the child really is 000 (a file it creates without a mode is 0666)', () => {
    const probe = join(root, 'probe.txt');
    const r = spawnSync('sh', ['-c', 'umask 000 && exec "$0" -e "require(\'fs\').writeFileSync(process.argv[1], \'x\')" "$1"', process.execPath, probe]);
    expect(r.status).toBe(0);
    expect(mode(probe)).toBe('0666');
  });

  it('hub init: data folder, key folder and key file, database', () => {
    cli(['init', '--data-dir', dataDir, '--site', 'BLOSNE', '--admin', 'admin', '--key-file', keyFile], { ESC_ADMIN_PASSWORD: 'admin-password-1' });
    expect(mode(db)).toBe('0600');
    expect(mode(dataDir)).toBe('0700');
    expect(mode(join(root, 'srv'))).toBe('0700');
    expect(mode(keyFile)).toBe('0600');
    expect(mode(join(root, 'etc', 'accueil-esc'))).toBe('0700');
    expect(mode(join(root, 'etc'))).toBe('0700');
  }, 120_000);

  it('hub serve: the live database with its -wal and -shm, the backup folder and backups', async () => {
    const child = spawn('sh', [...UMASK_000, 'serve', '--data-dir', dataDir, '--key-file', keyFile, '--port', '0', '--backup-dir', backupDir], {
      env: { ...process.env, ESC_LOG: 'silent', ESC_STATIC_DIR: join(root, 'no-ui') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Hub à l’écoute')) resolve();
        });
        child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', () => reject(new Error(out)));
      });
      for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(mode(f), f).toBe('0600');
      // The first backup is made by the job worker a few seconds after the hub listens (decision 013).
      for (let waited = 0; !(existsSync(backupDir) && readdirSync(backupDir).some((f) => f.endsWith('.db'))) && waited < 90_000; waited += 250) {
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(mode(backupDir)).toBe('0700');
      expect(mode(join(root, 'partage'))).toBe('0700');
      const backups = readdirSync(backupDir);
      expect(backups).toHaveLength(1);
      expect(mode(join(backupDir, backups[0]!))).toBe('0600');
    } finally {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
  }, 120_000);

  it('hub backup and hub restore: the copy, the restored base and the base set aside', () => {
    const more = join(root, 'autres-sauvegardes');
    cli(['backup', '--data-dir', dataDir, '--key-file', keyFile, '--to', more]);
    expect(mode(more)).toBe('0700');
    const copy = readdirSync(more)[0]!;
    expect(mode(join(more, copy))).toBe('0600');
    // A backup copied by hand with loose modes is restored tight.
    const loose = join(root, 'copie-manuelle.db');
    writeFileSync(loose, '');
    spawnSync('cp', [join(more, copy), loose]);
    spawnSync('chmod', ['0644', loose]);
    cli(['restore', '--data-dir', dataDir, '--key-file', keyFile, '--from', loose]);
    expect(mode(db)).toBe('0600');
    const aside = readdirSync(dataDir).filter((f) => f.includes('avant-restauration'));
    expect(aside).toHaveLength(1);
    expect(mode(join(dataDir, aside[0]!))).toBe('0600');
  }, 120_000);

  it('a database created loose by an earlier version is tightened when opened', () => {
    spawnSync('chmod', ['0644', db]);
    const key = cliKey(keyFile);
    const store = openStore({ file: db, keyHex: key, mode: 'open' });
    try {
      expect(mode(db)).toBe('0600');
    } finally {
      store.close();
    }
  });
});

function cliKey(file: string): string {
  return spawnSync('cat', [file], { encoding: 'utf8' }).stdout.trim();
}

describe('copies set aside at restore', () => {
  it('only the last three are kept, and none older than the personal-data retention period', async () => {
    const dir = join(root, 'rotation');
    mkdirSync(dir);
    const file = join(dir, 'accueil-esc.db');
    const key = randomBytes(32).toString('hex');
    const store = openStore({ file, keyHex: key, mode: 'create' });
    await setupSite(store, { siteCode: 'IFF', admin: { login: 'admin', displayName: 'Admin', password: 'admin-password-1' } }, systemClock);
    const backups = join(dir, 'sauvegardes');
    const backup = backupNow(store, key, backups, 5);
    store.close();
    const setAside = () => readdirSync(dir).filter((f) => f.includes('avant-restauration')).sort();

    // Five restores over a week (an unlucky week): only the last three copies remain.
    for (let day = 1; day <= 5; day++) restoreBackup(file, join(backups, backup.name), key, new Date(Date.UTC(2026, 10, day, 9)));
    expect(setAside()).toEqual([
      'accueil-esc.db.avant-restauration-20261103-090000',
      'accueil-esc.db.avant-restauration-20261104-090000',
      'accueil-esc.db.avant-restauration-20261105-090000',
    ]);

    // A month later, the hub's housekeeping erases them: past the retention of hand-over details
    // (30 days by default), a copy would keep what the live base has erased.
    const live = openStore({ file, keyHex: key, mode: 'open' });
    const clock = { now: () => new Date(Date.UTC(2026, 11, 4, 12)) };
    try {
      await runHousekeeping(createApp(live, clock));
      expect(setAside()).toEqual(['accueil-esc.db.avant-restauration-20261105-090000']);
      clock.now = () => new Date(Date.UTC(2026, 11, 5, 12));
      await runHousekeeping(createApp(live, clock));
      expect(setAside()).toEqual([]);
    } finally {
      live.close();
    }
  });
});
