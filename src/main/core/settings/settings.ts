/**
 * Site settings: one JSON value per key in the syncable `site_settings` table, validated by the
 * zod schema of its capability. A stored value that no longer validates falls back to the default.
 */
import type { z } from 'zod';
import { uuidv7 } from '../../store/ids';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';

export function readSetting<S extends z.ZodType>(ctx: CoreContext, key: string, schema: S, fallback: z.output<S>): z.output<S> {
  const row = ctx.store.sqlite.prepare('SELECT value FROM site_settings WHERE key = ? AND deleted_at IS NULL').get(key) as
    | { value: string }
    | undefined;
  if (!row) return fallback;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : fallback;
}

/** Stores a setting; call inside the caller's transaction so the audit row commits with it. */
export function writeSetting(ctx: CoreContext, actor: Actor | null, key: string, value: unknown): void {
  const now = nowIso(ctx);
  const json = JSON.stringify(value);
  const existing = ctx.store.sqlite.prepare('SELECT id, value, version FROM site_settings WHERE key = ?').get(key) as
    | { id: string; value: string; version: number }
    | undefined;
  if (existing) {
    ctx.store.sqlite
      .prepare('UPDATE site_settings SET value = ?, updated_at = ?, version = version + 1, deleted_at = NULL WHERE id = ?')
      .run(json, now, existing.id);
  } else {
    ctx.store.sqlite
      .prepare('INSERT INTO site_settings (id, key, value, site_id, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(uuidv7(ctx.clock.now().getTime()), key, json, ctx.site.code, now);
  }
  recordAudit(ctx, {
    actor,
    action: 'setting.update',
    entity: 'setting',
    entityId: key,
    diff: diffRows(existing ? { value: existing.value } : null, { value: json }),
  });
}
