/**
 * Site settings: one JSON value per key in the syncable `site_settings` table, validated by the
 * zod schema of its capability. A stored value that no longer validates falls back to the default.
 */
import type { z } from 'zod';
import { uuidv7 } from '../../store/ids';
import { siteSettings } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';

type Key = { key: string };

const Q = {
  value: sql<Key, Pick<Columns<typeof siteSettings>, 'value'>>('SELECT value FROM site_settings WHERE key = @key AND deleted_at IS NULL'),
  // Tombstoned rows too: a setting written again revives its row (the key is unique).
  existing: sql<Key, Pick<Columns<typeof siteSettings>, 'id' | 'value' | 'version'>>('SELECT id, value, version FROM site_settings WHERE key = @key'),
  update: sql<{ id: string; value: string; now: string }>(
    'UPDATE site_settings SET value = @value, updated_at = @now, version = version + 1, deleted_at = NULL WHERE id = @id',
  ),
  insert: sql<{ id: string; key: string; value: string; siteId: string; now: string }>(
    'INSERT INTO site_settings (id, key, value, site_id, updated_at) VALUES (@id, @key, @value, @siteId, @now)',
  ),
};

export function readSetting<S extends z.ZodType>(ctx: CoreContext, key: string, schema: S, fallback: z.output<S>): z.output<S> {
  const row = Q.value.get(ctx.store, { key });
  if (!row) return fallback;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : fallback;
}

/** Stores a setting; call inside the caller's transaction so the audit row commits with it. */
export function writeSetting(ctx: CoreContext, actor: Actor | null, key: string, value: unknown): void {
  const now = nowIso(ctx);
  const json = JSON.stringify(value);
  const existing = Q.existing.get(ctx.store, { key });
  if (existing) {
    Q.update.run(ctx.store, { id: existing.id, value: json, now });
  } else {
    Q.insert.run(ctx.store, { id: uuidv7(ctx.clock.now().getTime()), key, value: json, siteId: ctx.site.code, now });
  }
  recordAudit(ctx, {
    actor,
    action: 'setting.update',
    entity: 'setting',
    entityId: key,
    diff: diffRows(existing ? { value: existing.value } : null, { value: json }),
  });
}
