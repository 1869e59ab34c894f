/**
 * Retention as code and the right of access. Each kind of personal data has a rule (the inventory,
 * `inventory.ts`): first names typed at arrival are erased after their day, hand-over details
 * after the hand-over retention, free-text notes (contact notes, queue reasons, day-closing
 * remarks) and pseudonymous keys after their configurable periods; counted rows always stay.
 * A coordinator can find what the site holds about a named person and erase it; both are audited.
 */
import { AppError } from '../../../shared/api/errors';
import { ERASE_REASON_LABELS_FR, zRetention, type EraseReason, type Finding, type Retention } from '../../../shared/api/methods/privacy';
import { institutionLabel } from '../../../shared/reference/institutions';
import { formatDateTimeFr, formatDayFr, localDay } from '../../../shared/time/paris';
import { SYNCED_TABLES } from '../../store/schema';
import { columnsOf, PERSONAL_TEXT } from './inventory';
import { recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { personKey } from '../contacts/person-key';
import { getHandoffConfig } from '../handoffs/handoffs';
import { readSetting, writeSetting } from '../settings/settings';

const KEY = 'privacy.retention';
export const DEFAULT_RETENTION: Retention = { contactNotesDays: 90, personKeysDays: 730 };

export function getRetention(ctx: CoreContext): Retention {
  return readSetting(ctx, KEY, zRetention, DEFAULT_RETENTION);
}

export function updateRetention(ctx: CoreContext, actor: Actor, retention: Retention): Retention {
  ctx.store.sqlite.transaction(() => writeSetting(ctx, actor, KEY, retention))();
  return retention;
}

export function fixedRules(ctx: CoreContext): { kind: string; rule: string }[] {
  return [
    { kind: 'Prénoms ou initiales saisis à l’arrivée', rule: 'effacés le lendemain (la file du jour seulement)' },
    { kind: 'Informations transmises dans un passage de relais (nom, téléphone, résumé, documents, lieu du rendez-vous, précision d’un refus)', rule: `effacées après ${getHandoffConfig(ctx).retentionDays} jours (réglage des passages de relais)` },
    { kind: 'Notes des contacts, motifs saisis dans la file, remarques et motifs de réouverture des clôtures', rule: `effacés après ${getRetention(ctx).contactNotesDays} jours (réglage ci-dessous)` },
    { kind: 'Journal (audit)', rule: 'conservé, non modifiable ; il ne contient ni texte libre, ni nom de personne accueillie, ni clé pseudonyme (seulement « renseigné » ou « modifié »)' },
  ];
}

/** The instant before which a row's date column is past the given number of days. */
function cutoff(ctx: CoreContext, days: number): string {
  return new Date(ctx.clock.now().getTime() - days * 86_400_000).toISOString();
}

/**
 * Daily job: clears the free-text notes (inventory rule `notes`) and the pseudonymous keys past
 * their retention; rows stay. (First names and hand-over details have their own jobs, same inventory.)
 */
export function applyRetention(ctx: CoreContext): { notes: number; keys: number } {
  const r = getRetention(ctx);
  const iso = ctx.clock.now().toISOString();
  const notesBefore = cutoff(ctx, r.contactNotesDays);
  let notes = 0;
  for (const c of PERSONAL_TEXT.filter((x) => x.retention === 'notes')) {
    // Day columns hold a Paris day (YYYY-MM-DD), instants an ISO string: both compare as text.
    const limit = c.dateColumn === 'day' ? localDay(new Date(notesBefore)) : notesBefore;
    const touch = SYNCED.has(c.table) ? ', updated_at = @iso' : '';
    notes += ctx.store.sqlite.prepare(`UPDATE ${c.table} SET ${c.column} = NULL${touch} WHERE ${c.column} IS NOT NULL AND ${c.dateColumn} < @limit`).run({ iso, limit }).changes;
  }
  const keys = ctx.store.sqlite.prepare('UPDATE contacts SET person_key = NULL, updated_at = ? WHERE person_key IS NOT NULL AND at < ?').run(iso, cutoff(ctx, r.personKeysDays)).changes;
  return { notes, keys };
}

/** Tables with sync columns: a change stamps `updated_at` (and the trigger the change sequence). */
const SYNCED = new Set<string>(SYNCED_TABLES);

function like(s: string): string {
  return `%${s.replace(/[%_\\]/g, '')}%`;
}

/** Where each kind of finding lives, how it is labelled, and what shows its date. */
const KIND_SOURCES: Record<Exclude<Finding['kind'], 'contact_person_key'>, { table: string; at: string; label: (r: Record<string, string | null>) => string }> = {
  queue_first_name: { table: 'queue_entries', at: 'arrived_at', label: (r) => `Arrivée ${r.ticket} du ${formatDateTimeFr(new Date(r.at!))}` },
  queue_reason: { table: 'queue_events', at: 'at', label: (r) => `Motif saisi dans la file le ${formatDateTimeFr(new Date(r.at!))}` },
  contact_note: { table: 'contacts', at: 'at', label: (r) => `Note d’un contact du ${formatDateTimeFr(new Date(r.at!))}` },
  handoff_details: { table: 'handoffs', at: 'created_at', label: (r) => `Passage de relais vers ${institutionLabel(r.to_institution!)} du ${formatDateTimeFr(new Date(r.at!))}` },
  day_remark: { table: 'day_closings', at: 'closed_at', label: (r) => `Clôture de la journée du ${formatDayFr(r.day!)}` },
};

export function searchPerson(ctx: CoreContext, actor: Actor, q: { lastName?: string | undefined; firstName?: string | undefined; birthDate?: string | undefined }): Finding[] {
  const findings: Finding[] = [];
  const terms = [q.lastName, q.firstName].filter((t): t is string => !!t && t.length >= 2);
  const db = ctx.store.sqlite;
  for (const t of terms) {
    for (const [kind, source] of Object.entries(KIND_SOURCES) as [keyof typeof KIND_SOURCES, (typeof KIND_SOURCES)[keyof typeof KIND_SOURCES]][]) {
      const columns = columnsOf(kind).map((c) => c.column);
      const extra = source.table === 'queue_entries' ? ', ticket' : source.table === 'handoffs' ? ', to_institution' : source.table === 'day_closings' ? ', day' : '';
      const rows = db
        .prepare(`SELECT id, ${source.at} AS at${extra}, ${columns.join(', ')} FROM ${source.table} WHERE ${columns.map((c) => `${c} LIKE @term`).join(' OR ')}`)
        .all({ term: like(t) }) as Record<string, string | null>[];
      for (const r of rows) {
        findings.push({ kind, id: r.id!, at: new Date(r.at!).toISOString(), label: source.label(r), value: columns.map((c) => r[c]).filter(Boolean).join(' · ') });
      }
    }
  }
  if (q.lastName && q.firstName && q.birthDate) {
    const key = personKey(ctx, { lastName: q.lastName, firstName: q.firstName, birthDate: q.birthDate });
    for (const r of db.prepare('SELECT id, at FROM contacts WHERE person_key = ?').all(key) as { id: string; at: string }[]) {
      findings.push({ kind: 'contact_person_key', id: r.id, at: r.at, label: `Contact du ${formatDateTimeFr(new Date(r.at))} (personne reconnue)`, value: 'clé pseudonyme' });
    }
  }
  const unique = new Map(findings.map((f) => [`${f.kind}:${f.id}`, f]));
  ctx.store.sqlite.transaction(() =>
    recordAudit(ctx, { actor, action: 'privacy.search', entity: 'privacy', entityId: null, diff: { results: { before: null, after: unique.size } } }),
  )();
  return [...unique.values()].sort((a, b) => b.at.localeCompare(a.at));
}

/** Erases what was found (every personal column of the finding's kind); counted rows stay. */
export function erasePersonal(ctx: CoreContext, actor: Actor, items: { kind: Finding['kind']; id: string }[], reason: EraseReason): number {
  const iso = ctx.clock.now().toISOString();
  const statement = (kind: Finding['kind']): string => {
    if (kind === 'contact_person_key') return 'UPDATE contacts SET person_key = NULL, updated_at = @at WHERE id = @id AND person_key IS NOT NULL';
    const { table } = KIND_SOURCES[kind];
    const columns = columnsOf(kind).map((c) => c.column);
    const stamps = [...(SYNCED.has(table) ? ['updated_at = @at'] : []), ...(table === 'handoffs' ? ['anonymised_at = COALESCE(anonymised_at, @at)'] : [])];
    return `UPDATE ${table} SET ${[...columns.map((c) => `${c} = NULL`), ...stamps].join(', ')} WHERE id = @id AND (${columns.map((c) => `${c} IS NOT NULL`).join(' OR ')})`;
  };
  let erased = 0;
  ctx.store.sqlite.transaction(() => {
    for (const item of items) erased += ctx.store.sqlite.prepare(statement(item.kind)).run({ id: item.id, at: iso }).changes;
    if (erased === 0) throw new AppError('NOT_FOUND', 'Rien à effacer : ces données ont déjà été effacées.');
    recordAudit(ctx, {
      actor,
      action: 'privacy.erase',
      entity: 'privacy',
      entityId: null,
      diff: { erased: { before: null, after: erased }, motive: { before: null, after: ERASE_REASON_LABELS_FR[reason] } },
    });
  })();
  return erased;
}
