/** sync.*: the nightly sync of de-identified data to the central database (decision 005). */
import { z } from 'zod';
import { defineMethod, zEmpty, zIsoInstant } from '../define';
import { zText } from '../text';

const zCycle = z.strictObject({
  ok: z.boolean(),
  pushed: z.int(),
  pulled: z.int(),
  batches: z.int(),
  durationMs: z.int(),
  errors: z.array(z.string()),
});

export const zSyncStatus = z.strictObject({
  configured: z.boolean(),
  /** Host, port, database and TLS mode of the central server; never the password. */
  central: z.string().nullable(),
  running: z.boolean(),
  lastSuccessAt: zIsoInstant.nullable(),
  lastAttemptAt: zIsoInstant.nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: zIsoInstant.nullable(),
  /** Rows changed since the last acknowledged change sequence. */
  pending: z.int(),
  ackedSeq: z.int(),
  /** Paris time from which the nightly sync is due. */
  syncTime: z.string(),
  last: zCycle.nullable(),
});
export type SyncStatus = z.infer<typeof zSyncStatus>;

export const zSyncProgress = z.strictObject({
  phase: z.enum(['connect', 'push', 'pull', 'done', 'error']),
  pushed: z.int(),
  total: z.int(),
  batches: z.int(),
});

export const syncMethods = {
  'sync.status': defineMethod({
    summary: 'État de la synchronisation avec la base centrale : dernière réussite, lignes en attente.',
    permission: 'sync.view',
    params: zEmpty,
    result: zSyncStatus,
  }),
  'sync.configure': defineMethod({
    summary: 'Enregistre (ou retire, avec url: null) l’adresse du serveur central et le certificat de son autorité, puis teste la connexion.',
    permission: 'accounts.manage',
    params: z.strictObject({
      url: zText().min(1, 'Adresse obligatoire.').max(2000).nullable(),
      ca: zText({ multiline: true }).max(20_000).nullable().optional(),
    }),
    result: z.strictObject({ status: zSyncStatus, check: z.strictObject({ ok: z.boolean(), message: z.string() }).nullable() }),
  }),
  'sync.run': defineMethod({
    summary: 'Synchronise maintenant (envoi des données dé-identifiées, réception des référentiels).',
    permission: 'sync.view',
    params: zEmpty,
    result: zCycle.extend({ pending: z.int() }),
  }),
};
