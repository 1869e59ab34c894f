/** The encrypted local store: opening, migrations, wrong key, newer versions, sync columns. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import { openStore, StoreError } from '../../src/main/store/open';
import * as schema from '../../src/main/store/schema';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/store/migrations';
import { setupSite } from '../../src/main/core/site/setup';
import { systemClock } from '../../src/main/core/context';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'esc-store-'));
  dirs.push(dir);
  return join(dir, 'site.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const key = () => randomBytes(32).toString('hex');
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('encrypted store', () => {
  it('creates a database whose file has no readable SQLite header and no plaintext login', async () => {
    const file = tempFile();
    const store = openStore({ file, keyHex: key(), mode: 'create' });
    await setupSite(store, { siteCode: 'BLOSNE', admin: { login: 'jeanne.admin', displayName: 'Jeanne', password: 'un-mot-de-passe' } }, systemClock);
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toContain('SQLite format 3');
    expect(bytes.includes(Buffer.from('jeanne.admin'))).toBe(false);
    expect(bytes.includes(Buffer.from('BLOSNE'))).toBe(false);
  });

  it('applies the pragmas of DESIGN.md and every bundled migration', () => {
    const store = openStore({ file: tempFile(), keyHex: key(), mode: 'create' });
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const applied = store.sqlite.prepare('SELECT id FROM __migrations__ ORDER BY id').all() as { id: number }[];
    expect(applied.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    store.close();
  });

  it('reopens with the right key and does not re-apply migrations', () => {
    const file = tempFile();
    const k = key();
    openStore({ file, keyHex: k, mode: 'create' }).close();
    const again = openStore({ file, keyHex: k, mode: 'open' });
    expect((again.sqlite.prepare('SELECT count(*) AS n FROM __migrations__').get() as { n: number }).n).toBe(MIGRATIONS.length);
    again.close();
  });

  it('refuses a wrong key with a French message and leaves the file byte for byte untouched', () => {
    const file = tempFile();
    const s = openStore({ file, keyHex: key(), mode: 'create' });
    s.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    const before = digest(file);
    let error: unknown;
    try {
      openStore({ file, keyHex: key(), mode: 'open' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('WRONG_KEY');
    expect((error as StoreError).message).toMatch(/clé de chiffrement ne correspond pas/);
    expect(digest(file)).toBe(before);
  });

  it('never creates a fresh database over a missing file when asked to open one', () => {
    const file = tempFile();
    expect(() => openStore({ file, keyHex: key(), mode: 'open' })).toThrow(/Aucune base de données/);
  });

  it('refuses a malformed key', () => {
    expect(() => openStore({ file: tempFile(), keyHex: 'abc', mode: 'create' })).toThrow(/64 caractères hexadécimaux/);
  });

  it('refuses a database written by a newer version, without touching it', () => {
    const file = tempFile();
    const k = key();
    const s = openStore({ file, keyHex: k, mode: 'create' });
    s.sqlite.prepare("INSERT INTO __migrations__ (id, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01')").run();
    s.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    s.close();
    const before = digest(file);
    expect(() => openStore({ file, keyHex: k, mode: 'open' })).toThrow(/version plus récente/);
    expect(digest(file)).toBe(before);
  });

  it('declares in drizzle exactly the columns the migrations create', () => {
    const store = openStore({ file: tempFile(), keyHex: key(), mode: 'create' });
    const tables = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));
    const inDb = (store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__migrations__'").all() as { name: string }[]).map((t) => t.name);
    expect(tables.map((t) => getTableConfig(t).name).sort()).toEqual(inDb.sort());
    for (const table of tables) {
      const config = getTableConfig(table);
      const actual = (store.sqlite.prepare(`PRAGMA table_info("${config.name}")`).all() as { name: string }[]).map((c) => c.name).sort();
      expect(config.columns.map((c) => c.name).sort(), config.name).toEqual(actual);
    }
    store.close();
  });

  it('stamps a growing change sequence on synced rows and turns deletes into errors', () => {
    const store = openStore({ file: tempFile(), keyHex: key(), mode: 'create' });
    const insert = store.sqlite.prepare(
      "INSERT INTO site_settings (id, key, value, site_id, updated_at) VALUES (?, ?, ?, 'BLOSNE', '2026-11-22T10:00:00Z')",
    );
    insert.run('a', 'queue.thresholds', '{}');
    insert.run('b', 'queue.policy', '{}');
    const seq = () => store.sqlite.prepare('SELECT id, change_seq AS s FROM site_settings ORDER BY id').all() as { id: string; s: number }[];
    const [a1, b1] = seq();
    expect(a1!.s).toBeGreaterThan(0);
    expect(b1!.s).toBeGreaterThan(a1!.s);
    store.sqlite.prepare("UPDATE site_settings SET value = '{\"x\":1}' WHERE id = 'a'").run();
    const [a2] = seq();
    expect(a2!.s).toBeGreaterThan(b1!.s);
    expect(() => store.sqlite.prepare("DELETE FROM site_settings WHERE id = 'a'").run()).toThrow(/tombstoned/);
    store.close();
  });

  it('keeps the audit log append-only', async () => {
    const store = openStore({ file: tempFile(), keyHex: key(), mode: 'create' });
    await setupSite(store, { siteCode: 'CLEUNAY', admin: { login: 'admin', displayName: 'A', password: 'un-mot-de-passe' } }, systemClock);
    expect((store.sqlite.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(1);
    expect(() => store.sqlite.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => store.sqlite.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    store.close();
  });
});
