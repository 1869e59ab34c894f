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
import { contacts, dayClosings, handoffs, queueEntries, queueEvents, SYNCED_TABLES } from '../../store/schema';
import type { Store } from '../../store/open';
import { sql, type Columns } from '../../store/sql';
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

export const CLEAR_NOTES_SQL = `UPDATE contacts SET note = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_note_at WHERE note IS NOT NULL AND at < @before LIMIT @limit)`;
export const CLEAR_PERSON_KEYS_SQL = `UPDATE contacts SET person_key = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_person_key_at WHERE person_key IS NOT NULL AND at < @before LIMIT @limit)`;
/** Reasons typed in the queue (cancel, move, reorder…); queue_events has no sync columns. */
export const CLEAR_QUEUE_REASONS_SQL = `UPDATE queue_events SET reason = NULL WHERE rowid IN (
  SELECT rowid FROM queue_events INDEXED BY queue_events_reason_at WHERE reason IS NOT NULL AND at < @before LIMIT @limit)`;
export const CLEAR_DAY_REMARKS_SQL = `UPDATE day_closings SET remark = NULL, reopen_reason = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM day_closings INDEXED BY day_closings_text_day WHERE (remark IS NOT NULL OR reopen_reason IS NOT NULL) AND day < @before LIMIT @limit)`;

/** A retention batch: rows dated before `before`, at most `limit` of them (-1: all). */
type Batch = { before: string; limit: number };

const q = {
  // Retention (the texts above are also what the housekeeping test checks the query plans of).
  clearNotes: sql<Batch & { now: string }>(CLEAR_NOTES_SQL),
  clearPersonKeys: sql<Batch & { now: string }>(CLEAR_PERSON_KEYS_SQL),
  clearQueueReasons: sql<Batch>(CLEAR_QUEUE_REASONS_SQL),
  clearDayRemarks: sql<Batch & { now: string }>(CLEAR_DAY_REMARKS_SQL),
  // Right of access.
  contactsOfKey: sql<{ key: string }, Pick<Columns<typeof contacts>, 'id' | 'at'>>('SELECT id, at FROM contacts WHERE person_key = @key'),
  dayOfContact: sql<{ id: string }, Pick<Columns<typeof contacts>, 'day'>>('SELECT day FROM contacts WHERE id = @id'),
  erasePersonKey: sql<Erase>('UPDATE contacts SET person_key = NULL, updated_at = @at WHERE id = @id AND person_key IS NOT NULL'),
};

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
  const notes = Math.max(
    q.clearNotes.run(ctx.store, { now: iso, before: notesBefore, limit }).changes,
    q.clearQueueReasons.run(ctx.store, { before: notesBefore, limit }).changes,
    // Day closings hold a Paris day: compared as text with the cutoff's day.
    q.clearDayRemarks.run(ctx.store, { now: iso, before: localDay(new Date(notesBefore)), limit }).changes,
  );
  // Erasing keys never changes a count (decision 016): the days' person counts are made final first.
  const keys = ctx.store.sqlite.transaction(() => {
    finalisePersons(ctx, daysWithKeysBefore(ctx, keysBefore, limit));
    return q.clearPersonKeys.run(ctx.store, { now: iso, before: keysBefore, limit }).changes;
  })();
  return { notes, keys };
}

/** Tables with sync columns: a change stamps `updated_at` (and the trigger the change sequence). */
const SYNCED = new Set<string>(SYNCED_TABLES);

function like(s: string): string {
  return `%${s.replace(/[%_\\]/g, '')}%`;
}

/** Erasing one finding: its row, the instant stamped (where the table has sync columns). */
type Erase = { id: string; at: string };
/** The date a finding shows (the row's own date column, selected as `at`). */
type Dated = { at: string };
/** The personal columns of a finding's kind, selected under their field names (the inventory's `field`). */
type PersonalValues = { [field: string]: string | null | undefined };

/**
 * Where one kind of finding lives: its search (every personal column of the kind matched against
 * the term, from the inventory), its label, and its erasure. Both statements are fixed texts,
 * built once here from the inventory (table and column names are code constants).
 */
function source<R extends { id: string }>(
  kind: Exclude<Finding['kind'], 'contact_person_key'>,
  table: string,
  at: string,
  shown: string[],
  label: (r: R & Dated) => string,
) {
  const columns = columnsOf(kind);
  const find = sql<{ term: string }, R & Dated & PersonalValues>(
    `SELECT id, ${at} AS at${shown.map((c) => `, ${c}`).join('')}, ${columns.map((c) => `${c.column} AS ${c.field}`).join(', ')} FROM ${table} WHERE ${columns.map((c) => `${c.column} LIKE @term`).join(' OR ')}`,
  );
  const stamps = [...(SYNCED.has(table) ? ['updated_at = @at'] : []), ...(table === 'handoffs' ? ['anonymised_at = COALESCE(anonymised_at, @at)'] : [])];
  const erase = sql<Erase>(
    `UPDATE ${table} SET ${[...columns.map((c) => `${c.column} = NULL`), ...stamps].join(', ')} WHERE id = @id AND (${columns.map((c) => `${c.column} IS NOT NULL`).join(' OR ')})`,
  );
  return {
    search: (store: Store, term: string): Finding[] =>
      find.all(store, { term }).map((r) => ({ kind, id: r.id, at: new Date(r.at).toISOString(), label: label(r), value: columns.map((c) => r[c.field]).filter(Boolean).join(' · ') })),
    erase,
  };
}

/** Where each kind of finding lives, how it is labelled, and what shows its date. */
const KIND_SOURCES: Record<Exclude<Finding['kind'], 'contact_person_key'>, ReturnType<typeof source>> = {
  queue_first_name: source<Pick<Columns<typeof queueEntries>, 'id' | 'ticket'>>('queue_first_name', 'queue_entries', 'arrived_at', ['ticket'], (r) => `Arrivée ${r.ticket} du ${formatDateTimeFr(new Date(r.at))}`),
  queue_reason: source<Pick<Columns<typeof queueEvents>, 'id'>>('queue_reason', 'queue_events', 'at', [], (r) => `Motif saisi dans la file le ${formatDateTimeFr(new Date(r.at))}`),
  contact_note: source<Pick<Columns<typeof contacts>, 'id'>>('contact_note', 'contacts', 'at', [], (r) => `Note d’un contact du ${formatDateTimeFr(new Date(r.at))}`),
  handoff_details: source<Pick<Columns<typeof handoffs>, 'id' | 'toInstitution'>>(
    'handoff_details',
    'handoffs',
    'created_at',
    ['to_institution AS toInstitution'],
    (r) => `Passage de relais vers ${institutionLabel(r.toInstitution)} du ${formatDateTimeFr(new Date(r.at))}`,
  ),
  day_remark: source<Pick<Columns<typeof dayClosings>, 'id' | 'day'>>('day_remark', 'day_closings', 'closed_at', ['day'], (r) => `Clôture de la journée du ${formatDayFr(r.day)}`),
};

export function searchPerson(ctx: CoreContext, actor: Actor, who: { lastName?: string | undefined; firstName?: string | undefined; birthDate?: string | undefined }): Finding[] {
  const findings: Finding[] = [];
  const terms = [who.lastName, who.firstName].filter((t): t is string => !!t && t.length >= 2);
  for (const t of terms) {
    for (const src of Object.values(KIND_SOURCES)) findings.push(...src.search(ctx.store, like(t)));
  }
  if (who.lastName && who.firstName && who.birthDate) {
    const key = personKey(ctx, { lastName: who.lastName, firstName: who.firstName, birthDate: who.birthDate });
    for (const r of q.contactsOfKey.all(ctx.store, { key })) {
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
  const at = ctx.clock.now().toISOString();
  const statement = (kind: Finding['kind']) => (kind === 'contact_person_key' ? q.erasePersonKey : KIND_SOURCES[kind].erase);
  let erased = 0;
  ctx.store.sqlite.transaction(() => {
    // Erasing a key never changes a count (decision 016): the days' person counts are made final first.
    const keyed = items.filter((i) => i.kind === 'contact_person_key').map((i) => q.dayOfContact.get(ctx.store, { id: i.id }));
    finalisePersons(ctx, keyed.filter((r): r is Pick<Columns<typeof contacts>, 'day'> => r !== undefined).map((r) => r.day));
    for (const item of items) erased += statement(item.kind).run(ctx.store, { id: item.id, at }).changes;
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
