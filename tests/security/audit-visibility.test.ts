/**
 * Issue 13 item 7: the journal must not give administrators what their role hides. IT
 * administrators (no queue, contact or hand-over rights) read who did what, when, on which kind of
 * object, but not the content of changes to queue, contact, hand-over, day or privacy entries;
 * the coordination reads everything. One rule in the permission module says it (decision 010).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, signIn, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { canReadAuditContent } from '../../src/shared/permissions';

let site: TestSite;
let admin: Connection;
let coord: Connection;
let agent: Connection;

beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z');
  admin = await signIn(site.app, ADMIN.login, ADMIN.password);
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
  agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL', priorityReasons: ['mobilite_reduite'] });
  await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
  await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['SANTE'], flags: ['situation_complexe'] });
  await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CDAS', domains: ['SANTE'], mode: 'rappel', consent: false, urgency: 'urgente' });
});
afterEach(() => site.close());

const day = '2026-11-23';

/** The journal's CSV as the desktop fetches it: built in the job worker, then downloaded once. */
async function exportedJournal(conn: Connection): Promise<string> {
  const file = await rpc(site.app, conn, 'exports.audit', { from: day, to: day });
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const part = await rpc(site.app, conn, 'exports.download', { downloadId: file.downloadId, offset });
    const bytes = Buffer.from(part.base64, 'base64');
    parts.push(bytes);
    offset += bytes.length;
    if (part.done) break;
  }
  return Buffer.concat(parts).toString('utf8');
}
const HIDDEN = ['queue_entry', 'contact', 'handoff'];

describe('audit.list', () => {
  it('shows an administrator who, what and when for queue, contact and hand-over entries, without their content', async () => {
    const { rows } = await rpc(site.app, admin, 'audit.list', { from: day, to: day });
    const hidden = rows.filter((r) => HIDDEN.includes(r.entity));
    expect(hidden.map((r) => r.action).sort()).toEqual(['contact.log', 'handoff.create', 'queue.add', 'queue.call']);
    for (const r of hidden) {
      expect(r.actorLogin).toBe('agent');
      expect(r.changes).toEqual([]);
      expect(r.contentHidden).toBe(true);
    }
    const text = JSON.stringify(rows);
    for (const secret of ['SANTE', 'situation_complexe', 'mobilite', 'Guichet 1', 'urgente']) expect(text).not.toContain(secret);
    // What is theirs to see stays complete: accounts.
    const accounts = rows.filter((r) => r.entity === 'account');
    expect(accounts.length).toBeGreaterThan(0);
    expect(accounts.every((r) => !r.contentHidden && r.changes.length > 0)).toBe(true);
  });

  it('shows the coordination the content', async () => {
    const { rows } = await rpc(site.app, coord, 'audit.list', { from: day, to: day });
    const contact = rows.find((r) => r.action === 'contact.log')!;
    expect(contact.contentHidden).toBe(false);
    expect(JSON.stringify(contact.changes)).toContain('SANTE');
  });

  it('applies the same rule to the CSV export', async () => {
    const csv = await exportedJournal(admin);
    expect(csv).toContain('Contact enregistré');
    for (const secret of ['SANTE', 'Santé', 'situation_complexe', 'mobilite', 'Guichet 1']) expect(csv).not.toContain(secret);
    const coordCsv = await exportedJournal(coord);
    expect(coordCsv).toContain('Santé');
  });

  it('is one rule of the permission module', () => {
    expect(canReadAuditContent({ role: 'admin', institution: null }, 'contact')).toBe(false);
    expect(canReadAuditContent({ role: 'admin', institution: null }, 'account')).toBe(true);
    expect(canReadAuditContent({ role: 'coordinateur', institution: 'CCAS' }, 'contact')).toBe(true);
    expect(canReadAuditContent({ role: 'agent_accueil', institution: null }, 'account')).toBe(false);
  });
});
