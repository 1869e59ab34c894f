/**
 * Retention as code and the right of access. Each kind of personal data has a rule: first names
 * typed at arrival are erased after their day, hand-over details after the hand-over retention,
 * contact notes and pseudonymous keys after their configurable periods; counted rows always stay.
 * A coordinator can find what the site holds about a named person and erase it; both are audited.
 */
import { AppError } from '../../../shared/api/errors';
import { zRetention, type Finding, type Retention } from '../../../shared/api/methods/privacy';
import { institutionLabel } from '../../../shared/reference/institutions';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { recordAudit } from '../audit/audit';
import type { Actor, CoreContext } from '../context';
import { personKey } from '../contacts/person-key';
import { getHandoffConfig } from '../handoffs/handoffs';
import { readSetting, writeSetting } from '../settings/settings';
import { SET_ASIDE_KEEP } from '../../store/backup';

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
    { kind: 'Informations transmises dans un passage de relais', rule: `effacées après ${getHandoffConfig(ctx).retentionDays} jours (réglage des passages de relais)` },
    { kind: 'Copies de la base mises de côté lors d’une restauration', rule: `les ${SET_ASIDE_KEEP} plus récentes, effacées après ${setAsideDays(ctx)} jours` },
    { kind: 'Journal (audit)', rule: 'conservé, non modifiable ; il ne contient ni note, ni nom de personne accueillie, ni clé pseudonyme' },
  ];
}

/**
 * Daily job: clears notes and pseudonymous keys past their retention (at most `limit` rows of
 * each a run, -1: all); rows stay. Each goes through a partial index of what is not cleared yet,
 * so a run reads what it clears, whatever the history.
 */
export function applyRetention(ctx: CoreContext, limit = -1): { notes: number; keys: number } {
  const r = getRetention(ctx);
  const now = ctx.clock.now();
  const iso = now.toISOString();
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  const notes = ctx.store.sqlite.prepare(CLEAR_NOTES_SQL).run({ now: iso, before: before(r.contactNotesDays), limit }).changes;
  const keys = ctx.store.sqlite.prepare(CLEAR_PERSON_KEYS_SQL).run({ now: iso, before: before(r.personKeysDays), limit }).changes;
  return { notes, keys };
}

export const CLEAR_NOTES_SQL = `UPDATE contacts SET note = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_note_at WHERE note IS NOT NULL AND at < @before LIMIT @limit)`;
export const CLEAR_PERSON_KEYS_SQL = `UPDATE contacts SET person_key = NULL, updated_at = @now WHERE rowid IN (
  SELECT rowid FROM contacts INDEXED BY contacts_person_key_at WHERE person_key IS NOT NULL AND at < @before LIMIT @limit)`;

function like(s: string): string {
  return `%${s.replace(/[%_]/g, '')}%`;
}

export function searchPerson(ctx: CoreContext, actor: Actor, q: { lastName?: string | undefined; firstName?: string | undefined; birthDate?: string | undefined }): Finding[] {
  const findings: Finding[] = [];
  const terms = [q.lastName, q.firstName].filter((t): t is string => !!t && t.length >= 2);
  const db = ctx.store.sqlite;
  for (const t of terms) {
    for (const r of db.prepare('SELECT id, ticket, first_name AS v, arrived_at AS at FROM queue_entries WHERE first_name LIKE ?').all(like(t)) as { id: string; ticket: string; v: string; at: string }[]) {
      findings.push({ kind: 'queue_first_name', id: r.id, at: r.at, label: `Arrivée ${r.ticket} du ${formatDateTimeFr(new Date(r.at))}`, value: r.v });
    }
    for (const r of db.prepare('SELECT id, note AS v, at FROM contacts WHERE note LIKE ?').all(like(t)) as { id: string; v: string; at: string }[]) {
      findings.push({ kind: 'contact_note', id: r.id, at: r.at, label: `Note d’un contact du ${formatDateTimeFr(new Date(r.at))}`, value: r.v });
    }
    for (const r of db
      .prepare('SELECT id, person_name AS n, person_phone AS p, summary AS s, documents AS d, to_institution AS toI, created_at AS at FROM handoffs WHERE person_name LIKE ? OR summary LIKE ?')
      .all(like(t), like(t)) as { id: string; n: string | null; p: string | null; s: string | null; d: string | null; toI: string; at: string }[]) {
      findings.push({
        kind: 'handoff_details',
        id: r.id,
        at: r.at,
        label: `Passage de relais vers ${institutionLabel(r.toI)} du ${formatDateTimeFr(new Date(r.at))}`,
        value: [r.n, r.p, r.s, r.d].filter(Boolean).join(' · '),
      });
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

export function erasePersonal(ctx: CoreContext, actor: Actor, items: { kind: Finding['kind']; id: string }[], reason: string): number {
  const iso = ctx.clock.now().toISOString();
  const sql: Record<Finding['kind'], string> = {
    queue_first_name: 'UPDATE queue_entries SET first_name = NULL, updated_at = ? WHERE id = ? AND first_name IS NOT NULL',
    contact_note: 'UPDATE contacts SET note = NULL, updated_at = ? WHERE id = ? AND note IS NOT NULL',
    contact_person_key: 'UPDATE contacts SET person_key = NULL, updated_at = ? WHERE id = ? AND person_key IS NOT NULL',
    handoff_details: `UPDATE handoffs SET person_name = NULL, person_phone = NULL, summary = NULL, documents = NULL, anonymised_at = COALESCE(anonymised_at, @at), updated_at = @at
      WHERE id = @id AND (person_name IS NOT NULL OR person_phone IS NOT NULL OR summary IS NOT NULL OR documents IS NOT NULL)`,
  };
  let erased = 0;
  ctx.store.sqlite.transaction(() => {
    for (const item of items) {
      const stmt = ctx.store.sqlite.prepare(sql[item.kind]);
      const changes = item.kind === 'handoff_details' ? stmt.run({ id: item.id, at: iso }).changes : stmt.run(iso, item.id).changes;
      erased += changes;
    }
    if (erased === 0) throw new AppError('NOT_FOUND', 'Rien à effacer : ces données ont déjà été effacées.');
    recordAudit(ctx, { actor, action: 'privacy.erase', entity: 'privacy', entityId: null, diff: { erased: { before: null, after: erased }, reason: { before: null, after: reason } } });
  })();
  return erased;
}
