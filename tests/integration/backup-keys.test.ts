/** Backups (encrypted, verified, pruned), restore (verified first, old base kept) and key rotation. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../src/main/store/open';
import { backupNow, listBackups, rekeyDatabase, restoreBackup, verifyBackup } from '../../src/main/store/backup';
import { setupSite } from '../../src/main/core/site/setup';
import { systemClock } from '../../src/main/core/context';
import { formatRecoveryKey, normaliseKey } from '../../src/main/cli/keys';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'esc-bk-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function site() {
  const dir = temp();
  const file = join(dir, 'accueil-esc.db');
  const key = randomBytes(32).toString('hex');
  const store = openStore({ file, keyHex: key, mode: 'create' });
  await setupSite(store, { siteCode: 'IFF', admin: { login: 'admin.iff', displayName: 'Admin', password: 'admin-password-1' } }, systemClock);
  return { dir, file, key, store };
}

describe('backups', () => {
  it('are encrypted copies that pass verification, and only the N most recent are kept', async () => {
    const s = await site();
    const to = temp();
    for (let i = 0; i < 4; i++) backupNow(s.store, s.key, to, 3, new Date(Date.UTC(2026, 10, 20 + i, 18)));
    const list = listBackups(to);
    expect(list.map((b) => b.name)).toEqual(['accueil-esc-20261123-180000.db', 'accueil-esc-20261122-180000.db', 'accueil-esc-20261121-180000.db']);
    const bytes = readFileSync(join(to, list[0]!.name));
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(bytes.includes(Buffer.from('admin.iff'))).toBe(false);
    expect(() => verifyBackup(join(to, list[0]!.name), s.key)).not.toThrow();
    expect(() => verifyBackup(join(to, list[0]!.name), randomBytes(32).toString('hex'))).toThrow(/ne s’ouvre pas avec la clé/);
    s.store.close();
  });

  it('two backups within the same second are two copies: the second never replaces the first', async () => {
    const s = await site();
    const to = temp();
    const at = new Date(Date.UTC(2026, 11, 4, 19, 41, 41));
    // An unfinished copy a crash left two hours ago goes; one being written now is not touched.
    writeFileSync(join(to, 'accueil-esc-20261204-174141-0badc0de.partiel'), 'x');
    utimesSync(join(to, 'accueil-esc-20261204-174141-0badc0de.partiel'), new Date(Date.now() - 7200_000), new Date(Date.now() - 7200_000));
    writeFileSync(join(to, 'accueil-esc-20261204-194141-5eed5eed.partiel'), 'x');
    const first = backupNow(s.store, s.key, to, 5, at);
    s.store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('test.between', 'x')").run();
    const second = backupNow(s.store, s.key, to, 5, at);
    expect([first.name, second.name]).toEqual(['accueil-esc-20261204-194141.db', 'accueil-esc-20261204-194142.db']);
    expect(listBackups(to).map((b) => b.name)).toEqual([second.name, first.name]);
    // Each is the copy of its own moment, and neither left its partial file behind.
    const has = (name: string) => {
      const copy = openStore({ file: join(to, name), keyHex: s.key, mode: 'open', readOnly: true });
      try {
        return copy.sqlite.prepare("SELECT count(*) AS n FROM meta WHERE key = 'test.between'").get() as { n: number };
      } finally {
        copy.close();
      }
    };
    expect(has(first.name).n).toBe(0);
    expect(has(second.name).n).toBe(1);
    expect(readdirSync(to).filter((f) => f.endsWith('.partiel'))).toEqual(['accueil-esc-20261204-194141-5eed5eed.partiel']);
    s.store.close();
  });

  it('restore verifies the backup, replaces the base and keeps the old one aside; a damaged backup changes nothing', async () => {
    const s = await site();
    const to = temp();
    const b = backupNow(s.store, s.key, to, 5);
    s.store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('after_backup', 'yes')").run();
    s.store.close();

    const damaged = join(to, 'abime.db');
    writeFileSync(damaged, randomBytes(8192));
    const before = readFileSync(s.file);
    expect(() => restoreBackup(s.file, damaged, s.key)).toThrow(StoreError);
    expect(readFileSync(s.file).equals(before)).toBe(true);

    const aside = restoreBackup(s.file, join(to, b.name), s.key);
    expect(existsSync(aside)).toBe(true);
    const restored = openStore({ file: s.file, keyHex: s.key, mode: 'open' });
    expect(restored.sqlite.prepare("SELECT value FROM meta WHERE key = 'after_backup'").get()).toBeUndefined();
    expect(restored.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    restored.close();
    const old = openStore({ file: aside, keyHex: s.key, mode: 'open' });
    expect(old.sqlite.prepare("SELECT value FROM meta WHERE key = 'after_backup'").get()).toEqual({ value: 'yes' });
    old.close();
  });
});

describe('keys', () => {
  it('rekey: the old key no longer opens the base, the new one does, data intact', async () => {
    const s = await site();
    s.store.close();
    const next = randomBytes(32).toString('hex');
    rekeyDatabase(s.file, s.key, next);
    expect(() => openStore({ file: s.file, keyHex: s.key, mode: 'open' })).toThrow(/clé de chiffrement ne correspond pas/);
    const reopened = openStore({ file: s.file, keyHex: next, mode: 'open' });
    expect(reopened.sqlite.prepare("SELECT login FROM accounts").get()).toEqual({ login: 'admin.iff' });
    expect(reopened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    reopened.close();
  });

  it('the recovery key shown at setup is the key in readable groups, accepted back as typed', () => {
    const key = randomBytes(32).toString('hex');
    const shown = formatRecoveryKey(key);
    expect(shown).toMatch(/^([0-9A-F]{8}-){7}[0-9A-F]{8}$/);
    expect(normaliseKey(shown)).toBe(key);
    expect(normaliseKey(shown.replace(/-/g, ' ').toLowerCase())).toBe(key);
  });
});
