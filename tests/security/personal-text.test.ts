/**
 * Issue 13 item 6: every free text that may name a person follows the same four rules: found by
 * `privacy.search`, erased by `privacy.erase`, cleared by retention, never written into the
 * append-only journal. The inventory (src/main/core/privacy/inventory.ts) must classify every
 * text column of the site schema; each personal column is then tested against the four rules,
 * through the real router, with a marker name typed where a person would type it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/api/types';
import { runHousekeeping } from '../../src/main/api/housekeeping';
import { NOT_PERSONAL_TEXT, PERSONAL_TEXT, type PersonalText } from '../../src/main/core/privacy/inventory';
import { createTestSite, rpc, signInAs, snapshot, type TestSite } from '../fixtures/site';

let site: TestSite;
let agent: Connection;
let cdas: Connection;
let coord: Connection;

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z'); // Monday 10:00 in Paris
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  cdas = await signInAs(site, 'cdas', 'professionnel', 'CDAS');
  coord = await signInAs(site, 'coord', 'coordinateur', null);
});
afterEach(() => site.close());

const MARKER = 'Quatretemps';
const typed = `Mme Zébulone ${MARKER}`;
const PHONE = '06 12 34 56 78';
/** What the column holds once written (a phone number cannot hold the marker name). */
const needle = (c: PersonalText) => (c.column === 'person_phone' ? PHONE : MARKER);

/** Writes the marker into one personal column the way a person at the desk would; returns the row id. */
const WRITERS: Record<string, () => Promise<string>> = {
  'queue_entries.first_name': async () => (await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: MARKER })).id,
  'queue_events.reason': async () => {
    const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
    await rpc(site.app, agent, 'queue.cancel', { id: e.id, version: e.version, reason: `Doublon de ${typed}` });
    return (site.store.sqlite.prepare("SELECT id FROM queue_events WHERE entry_id = ? AND action = 'cancel'").get(e.id) as { id: string }).id;
  },
  'contacts.note': async () => (await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: `Rappeler ${typed}` })).id,
  'handoffs.person_name': async () =>
    (await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['name'], personName: typed })).id,
  'handoffs.person_phone': async () =>
    (
      await rpc(site.app, agent, 'handoffs.create', {
        toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['name', 'phone'], personName: typed, personPhone: PHONE,
      })
    ).id,
  'handoffs.summary': async () =>
    (await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['summary'], summary: `${typed} : loyer impayé` })).id,
  'handoffs.documents': async () =>
    (await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['documents'], documents: `Bail de ${typed}` })).id,
  'handoffs.appointment_place': async () =>
    (
      await rpc(site.app, agent, 'handoffs.create', {
        toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rdv', consent: false, appointmentAt: '2026-11-25T09:00:00.000Z', appointmentPlace: `Chez ${typed}, 3e étage`,
      })
    ).id,
  'handoffs.decline_text': async () => {
    const h = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false });
    await rpc(site.app, cdas, 'handoffs.decline', { id: h.id, version: h.version, reason: 'deja_suivi', text: `${typed} est déjà suivie par Mme Riou` });
    return h.id;
  },
  'day_closings.remark': async () => (await closeDay('2026-11-20', `Incident avec ${typed}`), closingId('2026-11-20')),
  'day_closings.reopen_reason': async () => {
    await closeDay('2026-11-19');
    await rpc(site.app, coord, 'days.reopen', { day: '2026-11-19', reason: `Contact de ${typed} oublié` });
    return closingId('2026-11-19');
  },
};

async function closeDay(day: string, remark?: string): Promise<void> {
  await rpc(site.app, coord, 'days.close', { day, ...(remark ? { remark } : {}) });
}
const closingId = (day: string) => (site.store.sqlite.prepare('SELECT id FROM day_closings WHERE day = ?').get(day) as { id: string }).id;
const valueOf = (c: PersonalText, id: string) => (site.store.sqlite.prepare(`SELECT ${c.column} AS v FROM ${c.table} WHERE id = ?`).get(id) as { v: string | null }).v;
const journal = () => JSON.stringify(site.store.sqlite.prepare('SELECT * FROM audit_log').all());
const label = (c: PersonalText) => `${c.table}.${c.column}`;
const search = () => rpc(site.app, coord, 'privacy.search', { lastName: MARKER });

describe('the inventory', () => {
  it('classifies every text column of the site schema: personal (with its rules) or not (with why)', () => {
    const tables = (site.store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__migrations__'").all() as { name: string }[]).map((t) => t.name);
    const unclassified: string[] = [];
    for (const table of tables) {
      for (const col of site.store.sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[]) {
        if (col.type.toUpperCase() !== 'TEXT') continue;
        const personal = PERSONAL_TEXT.some((c) => c.table === table && c.column === col.name);
        const other = NOT_PERSONAL_TEXT[table]?.[col.name] !== undefined;
        if (personal === other) unclassified.push(`${table}.${col.name}`);
      }
    }
    expect(unclassified).toEqual([]);
  });

  it('has a writer in this suite for every personal column', () => {
    expect(PERSONAL_TEXT.map(label).sort()).toEqual(Object.keys(WRITERS).sort());
  });
});

describe.each(PERSONAL_TEXT.map((c) => [label(c), c] as const))('%s', { timeout: 120_000 }, (_name, column) => {
  it('is never written into the journal, is found by privacy.search and erased by privacy.erase', async () => {
    const id = await WRITERS[label(column)]!();
    expect(valueOf(column, id)).toContain(needle(column));
    expect(journal()).not.toContain(needle(column));
    // Reads are journaled too (details of a hand-over): still without the text.
    const handoffId = column.table === 'handoffs' ? id : null;
    if (handoffId) await rpc(site.app, cdas, 'handoffs.details', { id: handoffId });
    expect(journal()).not.toContain(needle(column));

    const { findings } = await search();
    const found = findings.filter((f) => f.kind === column.kind && f.id === id);
    expect(found, 'privacy.search finds it').toHaveLength(1);
    expect(found[0]!.value).toContain(needle(column));

    await rpc(site.app, coord, 'privacy.erase', { items: found.map((f) => ({ kind: f.kind, id: f.id })), reason: 'demande_personne' });
    expect(valueOf(column, id)).toBeNull();
    expect((await search()).findings.filter((f) => f.id === id)).toEqual([]);
    expect(snapshot(site.store)).not.toContain(MARKER);
    expect(snapshot(site.store)).not.toContain(PHONE);
    expect(journal()).not.toContain(needle(column));
  });

  it('is cleared by retention, and the counted row stays', async () => {
    const id = await WRITERS[label(column)]!();
    // Default periods: the day of arrival, 30 days for hand-over details, 90 days for notes.
    if (column.retention !== 'arrival_day') {
      site.clock.advance(((column.retention === 'handoff' ? 30 : 90) - 5) * 86_400_000);
      await runHousekeeping(site.app);
      expect(valueOf(column, id), 'kept until its retention ends').toContain(needle(column));
    }
    site.clock.advance(10 * 86_400_000);
    await runHousekeeping(site.app);
    expect(valueOf(column, id)).toBeNull();
    expect(site.store.sqlite.prepare(`SELECT count(*) AS n FROM ${column.table} WHERE id = ?`).get(id)).toEqual({ n: 1 });
  });
});
