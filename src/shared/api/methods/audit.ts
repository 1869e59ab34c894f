/** audit.*: the append-only journal of every change and every read of hand-over details. */
import { z } from 'zod';
import { defineMethod, zIsoInstant, zPeriod } from '../define';
import { zExportFile } from './stats';

export const zAuditRow = z.strictObject({
  id: z.string(),
  at: zIsoInstant,
  actorLogin: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  changes: z.array(z.strictObject({ field: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type AuditRowView = z.infer<typeof zAuditRow>;

const zFilters = {
  entity: z.string().regex(/^[a-z_]{2,40}$/).optional(),
  actorLogin: z.string().trim().max(40).optional(),
};

export const auditMethods = {
  'audit.list': defineMethod({
    summary: 'Journal des modifications et des consultations, filtrable, du plus récent au plus ancien.',
    permission: 'audit.view',
    params: zPeriod({ ...zFilters, limit: z.int().min(1).max(500).optional(), beforeId: z.string().max(40).optional() }),
    result: z.strictObject({ rows: z.array(zAuditRow), more: z.boolean() }),
  }),
  'exports.audit': defineMethod({
    summary: 'Export CSV du journal sur une période.',
    permission: 'audit.view',
    params: zPeriod(zFilters),
    result: zExportFile,
  }),
};
