/**
 * "Annuler ce contact" (docs/decisions/020-contact-cancellation.md): a contact logged by mistake
 * leaves every count (contact list, today's and period figures, the day's figures, distinct
 * persons), is tombstoned (never deleted, so the sync sends it), lets its passage be recorded
 * again, and is traced in the journal without the note. Its author cancels it the same day, the
 * coordination until the day is closed; afterwards the day is LOCKED.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { addDays } from '../../src/shared/time/paris';

let site: TestSite;
let agent: Connection;
let agent2: Connection;
let coord: Connection;
const code = (r: Awaited<ReturnType<typeof rpcRaw>>) => ('error' in r ? r.error.data.code : 'OK');
const DAY = '2026-11-23';

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:45:00Z');
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  agent2 = await signInAs(site, 'agent2', 'agent_accueil', 'CDAS');
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
});
afterEach(() => site.close());

async function servedEntry() {
  const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
  const c = await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
  const s = await rpc(site.app, agent, 'queue.start', { id: c.id, version: c.version });
  site.clock.advance(10 * 60_000);
  return rpc(site.app, agent, 'queue.finish', { id: s.id, version: s.version });
}

/** Every count a user can read about contacts of the day, from the screens' own methods. */
async function counts(conn: Connection) {
  const list = await rpc(site.app, conn, 'contacts.list', {});
  const today = await rpc(site.app, conn, 'stats.today', {});
  const period = await rpc(site.app, conn, 'stats.period', { from: DAY, to: DAY });
  const persons = await rpc(site.app, conn, 'contacts.persons', { from: DAY, to: DAY });
  const domain = (items: { key: string; count: number }[], key: string) => items.find((i) => i.key === key)?.count ?? 0;
  return {
    listed: list.counts.total,
    listedLogement: domain(list.counts.byDomain, 'LOGEMENT'),
    listedPhone: domain(list.counts.byChannel, 'telephone'),
    today: today.figures.contacts,
    todayLogement: domain(today.figures.byDomain, 'LOGEMENT'),
    todayPhone: domain(today.figures.byChannel, 'telephone'),
    todayOriented: domain(today.figures.byOrientation, 'CAF'),
    period: period.figures.contacts,
    periodLogement: domain(period.figures.byDomain, 'LOGEMENT'),
    perDay: period.perDay.find((d) => d.day === DAY)?.contacts ?? 0,
    passages: persons.passages,
    distinct: persons.distinctIdentified,
  };
}

async function dayFigures() {
  const review = await rpc(site.app, coord, 'days.review', { day: DAY });
  return { contacts: review.figures.contacts, logement: review.figures.byDomain.find((d) => d.key === 'LOGEMENT')?.count ?? 0 };
}

describe('cancelling a contact', () => {
  it('removes it from every count, keeps a tombstone that the sync sends, and frees its passage', async () => {
    await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] });
    const wrong = await rpc(site.app, agent, 'contacts.log', {
      channel: 'telephone',
      domains: ['LOGEMENT', 'BUDGET'],
      orientation: { kind: 'institution', target: 'CAF' },
      note: 'Mme Durand rappellera au 06 12 34 56 78',
      person: { lastName: 'Durand', firstName: 'Alice', birthDate: '1980-02-03' },
    });
    const before = await counts(agent);
    const dayBefore = await dayFigures();
    expect(before).toMatchObject({ listed: 2, listedLogement: 2, listedPhone: 2, today: 2, todayLogement: 2, todayPhone: 2, todayOriented: 1, period: 2, periodLogement: 2, perDay: 2, passages: 2, distinct: 1 });
    expect(dayBefore).toEqual({ contacts: 2, logement: 2 });
    const seqBefore = (site.store.sqlite.prepare('SELECT change_seq AS s FROM contacts WHERE id = ?').get(wrong.id) as { s: number }).s;

    const cancelled = await rpc(site.app, agent, 'contacts.cancel', { id: wrong.id, version: wrong.version, reason: 'doublon' });
    expect(cancelled).toMatchObject({ id: wrong.id, day: DAY });

    expect(await counts(agent)).toEqual({
      listed: 1,
      listedLogement: 1,
      listedPhone: 1,
      today: 1,
      todayLogement: 1,
      todayPhone: 1,
      todayOriented: 0,
      period: 1,
      periodLogement: 1,
      perDay: 1,
      passages: 1,
      distinct: 0,
    });
    expect(await dayFigures()).toEqual({ contacts: 1, logement: 1 });
    expect((await rpc(site.app, agent, 'contacts.list', {})).contacts.map((c) => c.id)).not.toContain(wrong.id);
    expect(code(await rpcRaw(site.app, agent, 'contacts.get', { id: wrong.id }))).toBe('NOT_FOUND');

    // A tombstone, not a deletion: the row and its domain rows stay, marked, with a new change
    // sequence so that the next sync sends the tombstone centrally.
    const row = site.store.sqlite.prepare('SELECT deleted_at AS deletedAt, change_seq AS seq FROM contacts WHERE id = ?').get(wrong.id) as { deletedAt: string | null; seq: number };
    expect(row.deletedAt).toBe(cancelled.cancelledAt);
    expect(row.seq).toBeGreaterThan(seqBefore);
    const domains = site.store.sqlite.prepare('SELECT deleted_at AS deletedAt FROM contact_domains WHERE contact_id = ?').all(wrong.id) as { deletedAt: string | null }[];
    expect(domains).toHaveLength(2);
    expect(domains.every((d) => d.deletedAt === cancelled.cancelledAt)).toBe(true);
  });

  it('is written to the journal with who, when and why, never the note', async () => {
    const c = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'], note: 'Mme Durand rappellera au 06 12 34 56 78' });
    await rpc(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version, reason: 'pas_un_contact' });
    const rows = site.store.sqlite.prepare("SELECT actor_login AS who, entity_id AS entityId, diff FROM audit_log WHERE action = 'contact.cancel'").all() as {
      who: string;
      entityId: string;
      diff: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ who: 'agent', entityId: c.id });
    const diff = JSON.parse(rows[0]!.diff) as Record<string, { before: unknown; after: unknown }>;
    expect(diff.cancelReason).toEqual({ before: null, after: 'pas_un_contact' });
    expect(diff.deletedAt!.after).toEqual(expect.any(String));
    expect(JSON.stringify(site.store.sqlite.prepare('SELECT diff FROM audit_log').all())).not.toContain('06 12 34 56 78');
    const journal = await rpc(site.app, coord, 'audit.list', { from: DAY, to: DAY, entity: 'contact' });
    expect(journal.rows.map((r) => r.action)).toContain('contact.cancel');
  });

  it('lets the passage it recorded be recorded again, and the closing review sees it as not recorded meanwhile', async () => {
    const done = await servedEntry();
    const c = await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['ALIMENTATION'] });
    await rpc(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version, reason: 'mauvais_passage' });
    const review = await rpc(site.app, coord, 'days.review', { day: DAY });
    expect(review.items.map((i) => [i.kind, i.ticket])).toContainEqual(['no_contact', done.ticket]);
    const again = await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['LOGEMENT'] });
    expect(again).toMatchObject({ ticket: done.ticket, domains: ['LOGEMENT'] });
    expect((await rpc(site.app, coord, 'days.review', { day: DAY })).items.filter((i) => i.kind === 'no_contact')).toEqual([]);
  });
});

describe('who may cancel', () => {
  it('not another agent, nor the author the next day, nor the administration; nothing changes when refused', async () => {
    const c = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] });
    const admin = await signIn(site.app, 'admin', 'admin-password-1');
    const pro = await signInAs(site, 'pro', 'professionnel', 'CAF');
    const untouched = snapshot(site.store);
    const byOther = await rpcRaw(site.app, agent2, 'contacts.cancel', { id: c.id, version: c.version, reason: 'doublon' });
    expect(code(byOther)).toBe('FORBIDDEN');
    expect('error' in byOther && byOther.error.message).toMatch(/auteur·rice de ce contact ou la coordination/);
    expect(code(await rpcRaw(site.app, admin, 'contacts.cancel', { id: c.id, version: c.version, reason: 'doublon' }))).toBe('FORBIDDEN');
    expect(code(await rpcRaw(site.app, pro, 'contacts.cancel', { id: c.id, version: c.version, reason: 'doublon' }))).toBe('NOT_FOUND');
    expect(code(await rpcRaw(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version + 1, reason: 'doublon' }))).toBe('CONFLICT');
    const noReason = await rpcRaw(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version });
    expect(code(noReason)).toBe('VALIDATION');
    expect('error' in noReason && noReason.error.data.issues?.[0]?.path).toBe('reason');
    expect(code(await rpcRaw(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version, reason: 'parce que' }))).toBe('VALIDATION');
    expect(snapshot(site.store)).toBe(untouched);

    site.clock.set(`${addDays(DAY, 1)}T08:00:00Z`);
    agent = await signIn(site.app, 'agent', 'agent-password-1');
    const nextDay = await rpcRaw(site.app, agent, 'contacts.cancel', { id: c.id, version: c.version, reason: 'doublon' });
    expect(code(nextDay)).toBe('FORBIDDEN');
    expect('error' in nextDay && nextDay.error.message).toMatch(/jour même/);
    expect((await rpc(site.app, agent, 'contacts.list', { day: DAY })).contacts[0]).toMatchObject({ id: c.id, editable: false });
  });

  it('the coordination, until the day is closed; then the day is LOCKED', async () => {
    const kept = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] });
    const wrong = await rpc(site.app, agent, 'contacts.log', { channel: 'email', domains: ['BUDGET'] });
    site.clock.set(`${addDays(DAY, 1)}T08:00:00Z`);
    coord = await signIn(site.app, 'coord', 'coord-password-1');
    expect((await rpc(site.app, coord, 'contacts.list', { day: DAY })).contacts.find((c) => c.id === wrong.id)).toMatchObject({ editable: true });
    await rpc(site.app, coord, 'contacts.cancel', { id: wrong.id, version: wrong.version, reason: 'essai' });
    expect((await rpc(site.app, coord, 'contacts.list', { day: DAY })).counts.total).toBe(1);
    const closing = await rpc(site.app, coord, 'days.close', { day: DAY });
    expect(closing.state).toBe('closed');
    const frozen = snapshot(site.store);
    const locked = await rpcRaw(site.app, coord, 'contacts.cancel', { id: kept.id, version: kept.version, reason: 'doublon' });
    expect(code(locked)).toBe('LOCKED');
    expect(snapshot(site.store)).toBe(frozen);
    // The closed day's frozen figures do not count the cancelled contact.
    const review = await rpc(site.app, coord, 'days.review', { day: DAY });
    expect(review.figures.contacts).toBe(1);
  });
});
