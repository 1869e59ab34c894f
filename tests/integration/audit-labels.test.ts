/**
 * The journal in French, end to end: a day of work touching most audited use cases is played
 * through the router; then every action and every field the journal holds must have a French
 * label, and the journal's CSV export must show labels and Paris time, never codes or UTC.
 * A new audited field without a label (src/shared/audit/labels.ts) fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, rpc, signIn, signInAs, type TestSite } from '../fixtures/site';
import { AUDIT_ACTION_LABELS_FR, AUDIT_ENTITY_LABELS_FR, AUDIT_FIELDS } from '../../src/shared/audit/labels';
import { DEFAULT_HANDOFF_CONFIG } from '../../src/shared/handoffs/config';
import { DEFAULT_QUEUE_CONFIG } from '../../src/shared/queue/config';
import { parisInstant } from '../../src/shared/time/paris';

let site: TestSite;
const DAY = '2026-11-23';

beforeAll(async () => {
  site = await createTestSite();
  site.clock.set(parisInstant(DAY, '08:40'));
  const admin = await signIn(site.app, 'admin', 'admin-password-1');
  const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  const coord = await signInAs(site, 'coord', 'coordinateur', null);
  const created = await rpc(site.app, admin, 'accounts.create', { login: 'cdas', displayName: 'Claire CDAS', role: 'professionnel', institution: 'CDAS', password: 'Lavoir-Tramway-piano-7' });
  const updated = await rpc(site.app, admin, 'accounts.update', { id: created.id, version: created.version, displayName: 'Claire Martin' });
  await rpc(site.app, admin, 'accounts.resetPassword', { id: updated.id, password: 'Kleber-Gouache-violon-9' });
  const pro = await signInAs(site, 'caf', 'professionnel', 'CAF');
  await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '482913' });

  const step = (minutes: number) => site.clock.advance(minutes * 60_000);
  // The queue: served, left, cancelled, moved, reordered, no-show, closed at the end of the day.
  const served = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', firstName: 'Zoé', purpose: 'LOGEMENT', priorityReasons: ['enfant'], needs: ['interprete'] });
  step(3);
  let e = await rpc(site.app, agent, 'queue.call', { id: served.id, version: served.version, destination: 'Guichet 1' });
  e = await rpc(site.app, agent, 'queue.recall', { id: e.id, version: e.version, destination: 'Guichet 1' });
  e = await rpc(site.app, agent, 'queue.start', { id: e.id, version: e.version });
  step(12);
  e = await rpc(site.app, agent, 'queue.finish', { id: e.id, version: e.version });
  const contact = await rpc(site.app, agent, 'contacts.log', {
    queueEntryId: e.id,
    domains: ['LOGEMENT'],
    orientation: { kind: 'institution', target: 'CAF' },
    flags: ['non_recours'],
    note: 'Rappeler Mme Z.',
  });
  const fixed = await rpc(site.app, agent, 'contacts.update', { id: contact.id, version: contact.version, domains: ['LOGEMENT', 'ENERGIE'], durationMinutes: 15 });
  const phone = await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['BUDGET'] });
  await rpc(site.app, agent, 'contacts.cancel', { id: phone.id, version: phone.version, reason: 'doublon' });
  const left = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CCAS' });
  await rpc(site.app, agent, 'queue.left', { id: left.id, version: left.version });
  const wrong = await rpc(site.app, agent, 'queue.add', { serviceCode: 'CAF' });
  await rpc(site.app, agent, 'queue.cancel', { id: wrong.id, version: wrong.version, reason: 'erreur de service' });
  const a = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
  const b = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
  await rpc(site.app, agent, 'queue.reorder', { id: b.id, version: b.version, beforeId: a.id, reason: 'personne âgée fatiguée' });
  const moved = await rpc(site.app, agent, 'queue.move', { id: a.id, version: a.version, serviceCode: 'CDAS', reason: 'demande de protection' });
  let absent = await rpc(site.app, agent, 'queue.call', { id: moved.id, version: moved.version, destination: 'Bureau 1' });
  absent = await rpc(site.app, agent, 'queue.recall', { id: absent.id, version: absent.version, destination: 'Bureau 1' });
  await rpc(site.app, agent, 'queue.noShow', { id: absent.id, version: absent.version });

  // Hand-overs: accepted then completed (details read), declined, cancelled, person left, expired.
  const h1 = await rpc(site.app, agent, 'handoffs.create', {
    toInstitution: 'CAF',
    domains: ['DROITS'],
    mode: 'accompagne',
    consent: true,
    sharedFields: ['name', 'summary'],
    personName: 'Zoé',
    summary: 'Dossier bloqué',
    contactId: fixed.id,
  });
  const seen = await rpc(site.app, pro, 'handoffs.seen', { id: h1.id, version: h1.version });
  await rpc(site.app, pro, 'handoffs.details', { id: h1.id });
  const accepted = await rpc(site.app, pro, 'handoffs.accept', { id: seen.id, version: seen.version });
  await rpc(site.app, pro, 'handoffs.complete', { id: accepted.id, version: accepted.version });
  const h2 = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CAF', domains: ['DROITS'], mode: 'rappel', consent: false, urgency: 'urgente' });
  await rpc(site.app, pro, 'handoffs.decline', { id: h2.id, version: h2.version, reason: 'deja_suivi', text: 'suivi à Villejean' });
  const h3 = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'appel_commun', consent: false });
  await rpc(site.app, agent, 'handoffs.cancel', { id: h3.id, version: h3.version });
  const h4 = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'ARCS', domains: ['LOISIRS'], mode: 'accompagne', consent: false });
  await rpc(site.app, agent, 'handoffs.personLeft', { id: h4.id, version: h4.version });
  await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['SANTE'], mode: 'accompagne', consent: false });
  step(45);
  await rpc(site.app, coord, 'handoffs.inbox', {});

  // Directory, settings, personal data, devices; the day closed, reopened, closed; logout.
  const entry = await rpc(site.app, coord, 'directory.saveEntry', { institution: 'CDAS', kind: 'team', name: 'Équipe logement', domains: ['LOGEMENT'], office: 'Bureau 4' });
  await rpc(site.app, coord, 'directory.saveEntry', { id: entry.id, version: entry.version, institution: 'CDAS', kind: 'team', name: 'Équipe logement', extension: '412', active: false });
  const partner = await rpc(site.app, coord, 'directory.savePartner', { code: 'SECOURS', name: 'Secours populaire', domains: ['ALIMENTATION'], phone: '02 99 00 00 00' });
  await rpc(site.app, coord, 'directory.savePartner', { id: partner.id, version: partner.version, code: 'SECOURS', name: 'Secours populaire', prescriberRequired: true });
  await rpc(site.app, admin, 'queue.updateConfig', { config: { ...DEFAULT_QUEUE_CONFIG, thresholds: { warnMinutes: 20, alertMinutes: 40 } } });
  await rpc(site.app, coord, 'handoffs.updateConfig', { config: { ...DEFAULT_HANDOFF_CONFIG, retentionDays: 45 } });
  await rpc(site.app, coord, 'privacy.updateRetention', { retention: { contactNotesDays: 60, personKeysDays: 365 } });
  const found = await rpc(site.app, coord, 'privacy.search', { firstName: 'Zoé' });
  await rpc(site.app, coord, 'privacy.erase', { items: found.findings.map((f) => ({ kind: f.kind, id: f.id })), reason: 'demande_personne' });
  await rpc(site.app, admin, 'devices.pairingCode', {});
  step(8 * 60);
  await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
  await rpc(site.app, agent, 'queue.closeDay', {});
  const day = (await rpc(site.app, coord, 'days.review', { day: DAY })).items;
  for (const i of day.filter((x) => x.kind === 'handoff_open')) await rpc(site.app, coord, 'handoffs.personLeft', { id: i.id, version: i.version });
  await rpc(site.app, coord, 'days.close', { day: DAY, remark: 'journée calme' });
  await rpc(site.app, coord, 'days.reopen', { day: DAY, reason: 'contact à reclasser' });
  await rpc(site.app, coord, 'days.close', { day: DAY });
  await rpc(site.app, agent, 'session.logout', {});
}, 60_000);

afterAll(() => site.close());

describe('the journal of a full day', () => {
  const rows = () =>
    site.store.sqlite.prepare('SELECT action, entity, diff FROM audit_log').all() as { action: string; entity: string; diff: string }[];

  it('covers the day (the scenario reached the use cases it means to)', () => {
    const actions = new Set(rows().map((r) => r.action));
    for (const a of ['contact.cancel', 'queue.noShow', 'queue.close', 'handoff.expire', 'handoff.readDetails', 'day.reopen', 'privacy.erase', 'partner.update', 'device.pairing_code', 'account.setPin']) {
      expect(actions, a).toContain(a);
    }
    expect(actions.size).toBeGreaterThan(35);
  });

  it('has a French label for every action, object and field written', () => {
    const missing = new Set<string>();
    for (const r of rows()) {
      if (!AUDIT_ACTION_LABELS_FR[r.action]) missing.add(`action ${r.action}`);
      if (!AUDIT_ENTITY_LABELS_FR[r.entity]) missing.add(`object ${r.entity}`);
      for (const field of Object.keys(JSON.parse(r.diff) as object)) if (!AUDIT_FIELDS[field]) missing.add(`field ${field} (${r.action})`);
    }
    expect([...missing], 'add these to src/shared/audit/labels.ts').toEqual([]);
  });

  it('exports a CSV in French words and Paris time: no action codes, field names or UTC instants', async () => {
    const coord = await signIn(site.app, 'coord', 'coord-password-1');
    const file = await rpc(site.app, coord, 'exports.audit', { from: DAY, to: DAY });
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const part = await rpc(site.app, coord, 'exports.download', { downloadId: file.downloadId, offset });
      const bytes = Buffer.from(part.base64, 'base64');
      parts.push(bytes);
      offset += bytes.length;
      if (part.done) break;
    }
    const csv = Buffer.concat(parts).toString('utf8');
    expect(csv).toContain('Parti·e sans être reçu·e');
    expect(csv).toContain('Journée clôturée');
    expect(csv).toContain('Clôturée par : — → coord');
    expect(csv).toContain('Appelé par : — → agent');
    expect(csv).toMatch(/23\/11\/2026 08:4\d;agent;Arrivée enregistrée/);
    expect(csv).not.toMatch(/\bqueue\.left\b|\bday\.close\b|closedByName|ticketNumber|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    const journal = await rpc(site.app, coord, 'audit.list', { from: DAY, to: DAY, entity: 'queue_entry' });
    const call = journal.rows.find((r) => r.action === 'queue.call')!;
    // Account ids are replaced by names before they leave the hub.
    expect(call.changes.find((c) => c.field === 'calledBy')?.after).toBe('agent');
  });
});
