/**
 * The journal speaks French: every action and object written by `recordAudit` anywhere in the
 * code has a label in `src/shared/audit/labels.ts`, and values read as a person expects (Paris
 * time, labels instead of codes). A new audited action without a label fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_LABELS_FR,
  AUDIT_ENTITY_LABELS_FR,
  AUDIT_FIELDS,
  auditObjectLabel,
  describeAuditChanges,
  formatAuditValue,
} from '../../src/shared/audit/labels';
import { HANDOFF_ACTIONS } from '../../src/shared/handoffs/states';
import { QUEUE_ACTIONS } from '../../src/shared/queue/states';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The text of every `recordAudit(...)` call in src/main (up to its closing parenthesis). */
function auditCalls(): { file: string; text: string }[] {
  const calls: { file: string; text: string }[] = [];
  for (const file of sources(join(__dirname, '../../src/main'))) {
    const src = readFileSync(file, 'utf8');
    let i = src.indexOf('recordAudit(');
    while (i >= 0) {
      if (!src.slice(Math.max(0, i - 20), i).endsWith('function ')) {
        let depth = 0;
        let j = i + 'recordAudit'.length;
        for (; j < src.length; j++) {
          if (src[j] === '(') depth++;
          else if (src[j] === ')' && --depth === 0) break;
        }
        calls.push({ file, text: src.slice(i, j + 1) });
      }
      i = src.indexOf('recordAudit(', i + 1);
    }
  }
  return calls;
}

/** Actions of one call: string literals and the two template families of the state machines. */
function actionsOf(text: string): string[] {
  const match = /action:\s*([^,\n]+(?:\?[^,\n]+:[^,\n]+)?)/.exec(text);
  if (!match) throw new Error(`recordAudit call without an action: ${text.slice(0, 120)}`);
  const expr = match[1]!;
  if (expr.includes('`queue.${action}`')) return QUEUE_ACTIONS.map((a) => `queue.${a}`);
  if (expr.includes('`handoff.${action}`')) return HANDOFF_ACTIONS.map((a) => `handoff.${a}`);
  const literals = [...expr.matchAll(/'([a-z_]+\.[a-zA-Z_]+)'/g)].map((m) => m[1]!);
  if (literals.length === 0) throw new Error(`Cannot read the action of: ${text.slice(0, 160)} (use a literal, or add the template here)`);
  return literals;
}

describe('labels of the journal', () => {
  const calls = auditCalls();

  it('finds the audited use cases (the scan works)', () => {
    expect(calls.length).toBeGreaterThan(30);
    const found = new Set(calls.flatMap((c) => actionsOf(c.text)));
    for (const a of ['queue.left', 'day.close', 'contact.cancel', 'handoff.accept', 'sync.failed', 'session.pinLogin']) expect(found).toContain(a);
  });

  it('has a French label for every action written anywhere', () => {
    const missing = [...new Set(calls.flatMap((c) => actionsOf(c.text)))].filter((a) => !AUDIT_ACTION_LABELS_FR[a]);
    expect(missing, `add these actions to AUDIT_ACTION_LABELS_FR in src/shared/audit/labels.ts`).toEqual([]);
  });

  it('has a French label for every object written anywhere', () => {
    const entities = new Set(calls.flatMap((c) => [...c.text.matchAll(/entity:\s*'([a-z_]+)'/g)].map((m) => m[1]!)));
    expect(entities.size).toBeGreaterThan(10);
    expect([...entities].filter((e) => !AUDIT_ENTITY_LABELS_FR[e])).toEqual([]);
  });

  it('has a label for every literal field of a diff written by hand', () => {
    const fields = new Set(calls.flatMap((c) => [...c.text.matchAll(/(?:diff:\s*\{|,)\s*([a-zA-Z]+):\s*\{\s*before:/g)].map((m) => m[1]!)));
    expect(fields.size).toBeGreaterThan(10);
    expect([...fields].filter((f) => !AUDIT_FIELDS[f])).toEqual([]);
  });

  it('labels are French words, not codes', () => {
    for (const label of [...Object.values(AUDIT_ACTION_LABELS_FR), ...Object.values(AUDIT_FIELDS).map((d) => d.label)]) {
      expect(label).not.toMatch(/^[a-z]+[._][a-zA-Z_]+$|[a-z][A-Z]/);
    }
  });
});

describe('values of the journal', () => {
  it('writes instants in Paris time, dd/MM/yyyy HH:mm, winter and summer', () => {
    expect(formatAuditValue('closedAt', '2026-11-23T14:07:00.000Z')).toBe('23/11/2026 15:07');
    expect(formatAuditValue('arrivedAt', '2026-07-01T06:30:00.000Z')).toBe('01/07/2026 08:30');
    expect(formatAuditValue('day', '2026-11-23')).toBe('23/11/2026');
  });

  it('writes labels instead of codes', () => {
    expect(formatAuditValue('channel', 'telephone')).toBe('Téléphone');
    expect(formatAuditValue('domains', '["LOGEMENT","BUDGET"]')).toBe('Logement (accès, maintien, charges), Aides financières / budget');
    expect(formatAuditValue('state', 'left', 'queue_entry')).toBe('Parti·e sans être reçu·e');
    expect(formatAuditValue('state', 'accepted', 'handoff')).toBe('Pris en charge');
    expect(formatAuditValue('state', 'closed', 'day')).toBe('Clôturée');
    expect(formatAuditValue('state', 'closed', 'queue_entry')).toBe('Non reçu·e – fermeture');
    expect(formatAuditValue('outsideHours', 0)).toBe('non');
    expect(formatAuditValue('toInstitution', 'ARCS')).toBe('Centre social');
    expect(formatAuditValue('cancelReason', 'doublon')).toBe('Enregistré deux fois');
    expect(formatAuditValue('note', null)).toBe('—');
  });

  it('leaves technical fields out and says which parts of a setting changed', () => {
    const rows = describeAuditChanges('queue_entry', [
      { field: 'id', before: null, after: 'x' },
      { field: 'ticketNumber', before: null, after: 14 },
      { field: 'closedByName', before: null, after: 'Claire' },
    ]);
    expect(rows.map((r) => r.label)).toEqual(['Numéro de ticket', 'Clôturée par']);
    const setting = describeAuditChanges('setting', [
      { field: 'value', before: JSON.stringify({ thresholds: { warnMinutes: 15 }, destinations: ['Guichet 1'] }), after: JSON.stringify({ thresholds: { warnMinutes: 20 }, destinations: ['Guichet 1'] }) },
    ]);
    expect(setting).toEqual([{ field: 'value', label: 'Parties modifiées', before: '—', after: 'seuils d’attente' }]);
    expect(auditObjectLabel('setting', 'queue.config')).toBe('Réglages de la file');
    expect(auditObjectLabel('day', '2026-11-23')).toBe('Clôtures – 23/11/2026');
  });
});
