/**
 * Report files speak French: labels everywhere, never internal codes (`telephone`, `sur_place`,
 * `accepted`, `ARCS`…), and Paris time everywhere (the XLSX "Généré le" cell was UTC, an hour
 * early in winter). Read back as a user would: the XLSX with exceljs, the PDF with pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, downloadExport, rpc, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';
import { writePdf } from '../../src/main/export/pdf';
import { buildReportModel } from '../../src/main/export/report-model';
import { getQueueConfig } from '../../src/main/core/queue/config';
import { periodReport } from '../../src/main/core/stats/period';
import { CHANNELS } from '../../src/shared/contacts/vocabulary';
import { HANDOFF_STATES } from '../../src/shared/handoffs/states';
import { REQUEST_DOMAINS_V1 } from '../../src/shared/reference/taxonomy';
import { parisInstant } from '../../src/shared/time/paris';

let site: TestSite;
let coord: Connection;
const DAY = '2026-12-01';

/**
 * Codes that must never be shown: channels, hand-over states, domain codes, ARCS/WEKER (whose
 * names differ). `courrier` is also the French word, whose label is "Courrier": left out.
 */
const CODES = [...CHANNELS.filter((c) => c !== 'courrier'), ...HANDOFF_STATES, ...REQUEST_DOMAINS_V1.map((d) => d.code), 'ARCS', 'WEKER', 'FRANCE_TRAVAIL', 'ACCUEIL'];
const codePattern = new RegExp(`(^|[^\\p{L}_])(${CODES.join('|')})(?![\\p{L}_])`, 'u');

beforeAll(async () => {
  site = await createTestSite();
  site.clock.set(parisInstant(DAY, '09:00'));
  const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
  const pro = await signInAs(site, 'caf', 'professionnel', 'CAF');
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
  const e = await rpc(site.app, agent, 'queue.add', { serviceCode: 'ACCUEIL' });
  const c = await rpc(site.app, agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
  const s = await rpc(site.app, agent, 'queue.start', { id: c.id, version: c.version });
  site.clock.advance(10 * 60_000);
  const done = await rpc(site.app, agent, 'queue.finish', { id: s.id, version: s.version });
  await rpc(site.app, agent, 'contacts.log', { queueEntryId: done.id, domains: ['LOISIRS'], orientation: { kind: 'institution', target: 'ARCS' } });
  await rpc(site.app, agent, 'contacts.log', { channel: 'telephone', domains: ['EMPLOI'], orientation: { kind: 'partner', target: 'FRANCE_TRAVAIL' } });
  await rpc(site.app, agent, 'contacts.log', { channel: 'email', domains: ['DROITS_RSA'], orientation: { kind: 'institution', target: 'WEKER' } });
  const h = await rpc(site.app, agent, 'handoffs.create', { toInstitution: 'CAF', domains: ['DROITS'], mode: 'accompagne', consent: false });
  await rpc(site.app, pro, 'handoffs.accept', { id: h.id, version: h.version });
  // 10:47 in Paris on a winter day is 09:47 UTC.
  site.clock.set('2026-12-01T09:47:00.000Z');
}, 60_000);

afterAll(() => site.close());

function cellsOf(wb: ExcelJS.Workbook): { sheet: string; text: string }[] {
  const out: { sheet: string; text: string }[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (typeof cell.value === 'string') out.push({ sheet: ws.name, text: cell.value });
      }),
    ),
  );
  return out;
}

describe('report files', () => {
  it('XLSX: labels instead of codes, and "Généré le" in Paris time', async () => {
    const content = await downloadExport(site.app, coord, { from: DAY, to: DAY, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(content as unknown as ArrayBuffer);
    const texts = cellsOf(wb);
    const codes = texts.filter((c) => codePattern.test(c.text));
    expect(codes, 'cells showing an internal code').toEqual([]);
    const all = texts.map((c) => c.text);
    for (const label of ['Téléphone', 'Courriel', 'Sur place sans rendez-vous', 'Pris en charge', 'Centre social', 'We Ker', 'France Travail', 'Accueil commun', 'Emploi / formation']) {
      expect(all, label).toContain(label);
    }
    const about = wb.getWorksheet('À propos')!;
    let generated: unknown = null;
    about.eachRow((row) => {
      if (String(row.getCell(1).value).startsWith('Généré le')) generated = row.getCell(2).value;
    });
    expect(generated).toBeInstanceOf(Date);
    // Excel shows the cell's wall clock: it must read 10:47 (Paris), not 09:47 (UTC).
    expect((generated as Date).toISOString().slice(0, 16)).toBe('2026-12-01T10:47');
  });

  it('PDF: the text has labels, Paris time and French number formats, and no code', async () => {
    const content = await downloadExport(site.app, coord, { from: DAY, to: DAY, format: 'pdf' });
    const dir = mkdtempSync(join(tmpdir(), 'esc-pdf-labels-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), content);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString();
      const lines = text.split('\n').filter((l) => codePattern.test(l));
      expect(lines, 'PDF lines showing an internal code').toEqual([]);
      for (const label of ['Téléphone', 'Pris en charge', 'Centre social', 'France Travail', 'Accueil commun']) expect(text, label).toContain(label);
      expect(text).toContain('généré le 01/12/2026 10:47');
      expect(text).toContain('10 h');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PDF: large numbers keep the French thousands separator the standard fonts can print', async () => {
    const report = periodReport(site.app.core, DAY, DAY);
    report.figures.arrivals = 4528;
    const dir = mkdtempSync(join(tmpdir(), 'esc-pdf-numbers-'));
    try {
      await writePdf(buildReportModel(site.app.core.site, getQueueConfig(site.app.core), report, site.clock.now()), join(dir, 'r.pdf'));
      const text = execFileSync('pdftotext', [join(dir, 'r.pdf'), '-']).toString();
      expect(text).toMatch(/\b4[ \u00a0]528\b/);
      expect(text).not.toMatch(/4\/528|4528/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CSV: labels instead of codes', async () => {
    const content = await downloadExport(site.app, coord, { from: DAY, to: DAY, format: 'csv' });
    const rows: string[] = content.toString('utf8').slice(1).trimEnd().split('\r\n');
    const bad = rows.filter((r) => codePattern.test(r.split(';').slice(3, 6).join(';')));
    expect(bad).toEqual([]);
    expect(rows.some((r) => r.includes(';Contacts par canal;Téléphone;Contacts;1;'))).toBe(true);
  });
});
