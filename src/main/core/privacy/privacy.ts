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
import { columnsOf } from './inventory';
import { recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { personKey } from '../contacts/person-key';
import { getHandoffConfig } from '../handoffs/handoffs';
import { readSetting, writeSetting } from '../settings/settings';
import { SET_ASIDE_KEEP } from '../../store/backup';
import { daysWithKeysBefore, finalisePersons } from '../stats/day-aggregates';

const KEY = 'privacy.retention';
export const DEFAULT_RETENTION: Retention = { contactNotesDays: 90, personKeysDays: 730 };

export function getRetention(ctx: CoreContext): Retention {
  return readSetting(ctx, KEY, zRetention, DEFAULT_RETENTION);
}

export function updateRetention(ctx: CoreContext, actor: Actor, retention: Retention): Retention {
  ctx.store.sqlite.transaction(() => writeSetting(ctx, actor, KEY, retention))();
  return retention;
}

/**
 * Days a copy of the base set aside at restore is kept (decision 009): the shortest retention of
 * the personal data it holds beyond their day, so that it never keeps them longer than the base.
 */
export function setAsideDays(ctx: CoreContext): number {
  return Math.min(getHandoffConfig(ctx).retentionDays, getRetention(ctx).contactNotesDays);
}

export function fixedRules(ctx: CoreContext): { kind: string; rule: string }[] {
  return [
    { kind: 'Prénoms ou initiales saisis à l’arrivée', rule: 'effacés le lendemain (la file du jour seulement)' },
    { kind: 'Informations transmises dans un passage de relais (nom, téléphone, résumé, documents, lieu du rendez-vous, précision d’un refus)', rule: `effacées après ${getHandoffConfig(ctx).retentionDays} jours (réglage des passages de relais)` },
    { kind: 'Notes des contacts, motifs saisis dans la file, remarques et motifs de réouverture des clôtures', rule: `effacés après ${getRetention(ctx).contactNotesDays} jours (réglage ci-dessous)` },
    { kind: 'Copies de la base mises de côté lors d’une restauration', rule: `les ${SET_ASIDE_KEEP} plus récentes, effacées après ${setAsideDays(ctx)} jours` },
    { kind: 'Journal (audit)', rule: 'conservé, non modifiable ; il ne contient ni texte libre, ni nom de personne accueillie, ni clé pseudonyme (seulement « renseigné » ou « modifié »)' },
  ];
}

/**
 * Daily job: clears the free-text notes of the inventory's `notes` rule (contact notes, reasons
 * typed in the queue, day-closing remarks and reopening reasons) and the pseudonymous keys past
 * their retention (at most `limit` rows of each a run, -1: all); rows stay. Each goes through a
 * partial index of what is not cleared yet, so a run reads what it clears, whatever the history.
 */
export function applyRetention(ctx: CoreContext, limit = -1): { notes: number; keys: number } {
  const r = getRetention(ctx);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const notesBefore = before(r.contactNotesDays);
  const keysBefore = before(r.personKeysDays);
  const db = ctx.store.sqlite;
  const notes = Math.max(
    db.prepare(CLEAR_NOTES_SQL).run({ now: iso, before: notesBefore, limit }).changes,
    db.prepare(CLEAR_QUEUE_REASONS_SQL).run({ before: notesBefore, limit }).changes,
    // Day closings hold a Paris day: compared as text with the cutoff's day.
    db.prepare(CLEAR_DAY_REMARKS_SQL).run({ now: iso, before: localDay(new Date(notesBefore)), limit }).changes,
  );
  // Erasing keys never changes a count (decision 016): the days' person counts are made final first.
  const keys = db.transaction(() => {
    finalisePersons(ctx, daysWithKeysBefore(ctx, keysBefore));
    return db.prepare(CLEAR_PERSON_KEYS_SQL).run({ now: iso, before: keysBefore, limit }).changes;
  })();
  return { notes, keys };
}

export const CLEAR_NOTES_SQL = `UPDATE contacts SET note = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_note_at WHERE note IS NOT NULL AND at < @before LIMIT @limit)`;
export const CLEAR_PERSON_KEYS_SQL = `UPDATE contacts SET person_key = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_person_key_at WHERE person_key IS NOT NULL AND at < @before LIMIT @limit)`;
/** Reasons typed in the queue (cancel, move, reorder…); queue_events has no sync columns. */
export const CLEAR_QUEUE_REASONS_SQL = `UPDATE queue_events SET reason = NULL WHERE rowid IN (
  SELECT rowid FROM queue_events INDEXED BY queue_events_reason_at WHERE reason IS NOT NULL AND at < @before LIMIT @limit)`;
export const CLEAR_DAY_REMARKS_SQL = `UPDATE day_closings SET remark = NULL, reopen_reason = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM day_closings INDEXED BY day_closings_text_day WHERE (remark IS NOT NULL OR reopen_reason IS NOT NULL) AND day < @before LIMIT @limit)`;

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
    // Erasing a key never changes a count (decision 016): the days' person counts are made final first.
    const keyed = items.filter((i) => i.kind === 'contact_person_key').map((i) => ctx.store.sqlite.prepare('SELECT day FROM contacts WHERE id = ?').get(i.id) as { day: string } | undefined);
    finalisePersons(ctx, keyed.filter((r): r is { day: string } => r !== undefined).map((r) => r.day));
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
