/**
 * The journal as people read it: account ids in a diff (who called, who served, to whom a
 * hand-over went…) replaced by the account's name, as the label table in
 * `src/shared/audit/labels.ts` marks them. The stored rows never change (append-only).
 */
import { AUDIT_FIELDS } from '../../../shared/audit/labels';
import type { accounts } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import type { CoreContext } from '../context';

const q = {
  names: sql<Record<string, never>, Pick<Columns<typeof accounts>, 'id' | 'displayName'>>('SELECT id, display_name AS displayName FROM accounts'),
};

interface Change {
  field: string;
  before: unknown;
  after: unknown;
}

const ACCOUNT_FIELDS = new Set(Object.entries(AUDIT_FIELDS).filter(([, d]) => d.kind === 'account').map(([field]) => field));

/** Rows with their account-id values replaced by display names ("compte supprimé" if unknown). */
export function withAccountNames<R extends { changes: Change[] }>(ctx: CoreContext, rows: R[]): R[] {
  const names = new Map(q.names.all(ctx.store, {}).map((a) => [a.id, a.displayName]));
  const name = (v: unknown) => (typeof v === 'string' && v !== '' ? (names.get(v) ?? 'compte inconnu') : v);
  return rows.map((r) => ({
    ...r,
    changes: r.changes.map((c) => (ACCOUNT_FIELDS.has(c.field) ? { ...c, before: name(c.before), after: name(c.after) } : c)),
  }));
}
