/**
 * Migration 7 rebuilds `queue_entries` to accept the `handed_over` state (decision 018): a site
 * database written by the previous version keeps every row, its change sequence, the history
 * rows that reference it and its triggers, and foreign keys are enforced again afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { openStore } from '../../src/main/store/open';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** A database as version 6 of the app left it, with two tickets and their history. */
function databaseAtSchema6(file: string, keyHex: string): number[] {
  const db = new Database(file);
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${keyHex}'"`);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE __migrations__ (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
  for (const m of MIGRATIONS.filter((x) => x.id <= 6)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO __migrations__ (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, '2026-11-01T00:00:00Z');
  }
  const entry = db.prepare(
    `INSERT INTO queue_entries (id, day, ticket, ticket_number, service_code, original_service_code, state, arrived_at, site_id, updated_at)
     VALUES (?, '2026-11-23', ?, ?, 'ACCUEIL', 'ACCUEIL', ?, '2026-11-23T08:00:00Z', 'BLOSNE', '2026-11-23T08:00:00Z')`,
  );
  entry.run('e1', 'A-001', 1, 'waiting');
  entry.run('e2', 'A-002', 2, 'done');
  db.prepare("INSERT INTO queue_events (id, entry_id, day, at, action, to_state) VALUES ('v1', 'e1', '2026-11-23', '2026-11-23T08:00:00Z', 'add', 'waiting')").run();
  expect(() => db.prepare("UPDATE queue_entries SET state = 'handed_over' WHERE id = 'e1'").run()).toThrow(/CHECK/);
  const seqs = (db.prepare('SELECT change_seq AS seq FROM queue_entries ORDER BY id').all() as { seq: number }[]).map((r) => r.seq);
  db.close();
  return seqs;
}

it('keeps rows, change sequences, references and triggers, and accepts handed_over', () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-migration-'));
  const file = join(dir, 'site.db');
  const keyHex = randomBytes(32).toString('hex');
  const seqs = databaseAtSchema6(file, keyHex);

  const store = openStore({ file, keyHex, mode: 'open' });
  // Written in SQLCipher 4 as that version did: rewritten in the current cipher (decision 031).
  expect(store.cipher).toBe('aegis-256');
  const db = store.sqlite;
  expect((db.prepare('SELECT max(id) AS v FROM __migrations__').get() as { v: number }).v).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.id);
  const rows = db.prepare('SELECT id, ticket, state, change_seq AS seq FROM queue_entries ORDER BY id').all() as { id: string; ticket: string; state: string; seq: number }[];
  expect(rows.map((r) => [r.id, r.ticket, r.state])).toEqual([
    ['e1', 'A-001', 'waiting'],
    ['e2', 'A-002', 'done'],
  ]);
  // Copied as they were: nothing is sent to the central database again because of the rebuild.
  expect(rows.map((r) => r.seq)).toEqual(seqs);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.pragma('foreign_key_check')).toEqual([]);

  db.prepare("UPDATE queue_entries SET state = 'handed_over' WHERE id = 'e1'").run();
  expect((db.prepare("SELECT change_seq AS seq FROM queue_entries WHERE id = 'e1'").get() as { seq: number }).seq).toBeGreaterThan(Math.max(...seqs));
  expect(() => db.prepare("UPDATE queue_entries SET state = 'relaye' WHERE id = 'e1'").run()).toThrow(/CHECK/);
  expect(() => db.prepare("DELETE FROM queue_entries WHERE id = 'e2'").run()).toThrow(/tombstoned/);
  // The history still points at its ticket, and a history row for a ticket that does not exist is refused.
  expect(() => db.prepare("INSERT INTO queue_events (id, entry_id, day, at, action, to_state) VALUES ('v2', 'nope', '2026-11-23', '2026-11-23T09:00:00Z', 'add', 'waiting')").run()).toThrow(/FOREIGN KEY/);
  store.close();
});
