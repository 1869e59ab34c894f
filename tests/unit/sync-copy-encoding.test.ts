/**
 * The sync encodes its batches in SQLite (`copyLinesSql`: one COPY line per row, derived columns
 * computed, text escaped) instead of building a JavaScript row per record. These lines must be
 * exactly what the readable definition gives (`toCentralRow` then `copyText`), on the awkward
 * values real data and damaged data hold: tabs, line breaks and backslashes in text, instants with
 * and without milliseconds, durations that are whole seconds or end before they start, JSON that
 * is not an array, missing values.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { centralColumns, localColumns, PUSHED_TABLES, toCentralRow, type PushedTable } from '../../src/main/sync/allow-list';
import { copyLinesSql, copyPayload, copyText } from '../../src/main/sync/copy';

const AWKWARD_TEXT = ['plain', 'tab\there', 'line\nbreak', 'cr\rreturn', 'back\\slash', 'à l’accueil « ESC »', '\\N', '', null];
const INSTANTS = ['2026-11-30T07:35:12.345Z', '2026-11-30T07:35:00Z', '2026-11-30T07:36:12.999Z', '2026-11-30T07:35:13.345Z', '2026-11-30T06:59:59.001Z', '2026-12-01T00:00:00.000Z', null];
const JSON_TEXT = ['[]', '["LOGEMENT","DROITS"]', '{"a":1}', '["back\\\\slash","tab\\t"]', '"text"', null];

/** Value `i` of a local column: cycles through the awkward values of its kind. */
function valueFor(t: PushedTable, column: string, i: number): unknown {
  if (column === 'change_seq') return i + 1;
  if (['version', 'call_count', 'duration_minutes', 'taxonomy_version'].includes(column)) return i % 3 === 2 ? null : i * 7 - 3;
  if (['outside_hours', 'active', 'prescriber_required'].includes(column)) return i % 3 === 2 ? null : i % 2;
  if (column === 'day') return i % 5 === 4 ? null : `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`;
  if (column.endsWith('_at')) return INSTANTS[(i * 3 + column.length) % INSTANTS.length];
  const json = centralColumns(t).find((c) => c.name === column)?.kind === 'json' || ['priority_reasons', 'needs'].includes(column);
  if (json) return JSON_TEXT[(i + column.length) % JSON_TEXT.length];
  return AWKWARD_TEXT[(i + column.length) % AWKWARD_TEXT.length];
}

describe('COPY lines encoded by SQLite', () => {
  for (const t of PUSHED_TABLES) {
    it(`${t.local}: the same lines as toCentralRow + copyText`, () => {
      const db = new Database(':memory:');
      try {
        const local = localColumns(t);
        db.exec(`CREATE TABLE ${t.local} (${local.join(', ')})`);
        const insert = db.prepare(`INSERT INTO ${t.local} (${local.join(', ')}) VALUES (${local.map(() => '?').join(', ')})`);
        const n = 120;
        for (let i = 0; i < n; i++) insert.run(...local.map((c) => valueFor(t, c, i)));
        const cols = centralColumns(t);
        const sqlLines = db.prepare(copyLinesSql(cols, t.local, 'change_seq > ? AND change_seq <= ?')).pluck().all(0, n) as string[];
        const rows = db.prepare(`SELECT ${local.join(', ')} FROM ${t.local} ORDER BY change_seq`).all() as Record<string, unknown>[];
        // JSON is sent as stored; the reference re-serialises it: compare stored canonical JSON only.
        const reference = copyText(cols, rows.map((r) => toCentralRow(t, r))).toString('utf8');
        expect(copyPayload(sqlLines).toString('utf8')).toBe(reference);
      } finally {
        db.close();
      }
    });
  }

  it('floors durations to whole seconds exactly, also when the end comes first', () => {
    const t = PUSHED_TABLES.find((x) => x.local === 'queue_entries')!;
    const wait = centralColumns(t).find((c) => c.name === 'wait_seconds')!;
    const db = new Database(':memory:');
    try {
      const cases: [string, string, number][] = [
        ['2026-11-30T07:35:12.345Z', '2026-11-30T07:36:12.345Z', 60],
        ['2026-11-30T07:35:12.345Z', '2026-11-30T07:36:12.344Z', 59],
        ['2026-11-30T07:35:00Z', '2026-11-30T09:35:00.000Z', 7200],
        ['2026-11-30T07:35:12.345Z', '2026-11-30T07:35:12.344Z', -1],
        ['2026-11-30T07:35:12.345Z', '2026-11-30T07:35:11.345Z', -1],
        ['2026-11-30T07:35:12.345Z', '2026-11-30T07:35:11.344Z', -2],
      ];
      for (const [a, b, expected] of cases) {
        const sql = db.prepare(`SELECT ${wait.from!.sql} AS v FROM (SELECT ? AS arrived_at, ? AS first_called_at)`).pluck().get(a, b);
        expect(sql, `${a} → ${b}`).toBe(expected);
        expect(wait.from!.compute({ arrived_at: a, first_called_at: b }), `${a} → ${b}`).toBe(expected);
      }
    } finally {
      db.close();
    }
  });
});
