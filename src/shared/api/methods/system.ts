/** system.*: which version runs (the À propos panel), and the administrator's support bundle. */
import { z } from 'zod';
import { defineMethod, zEmpty, zIsoInstant } from '../define';

export const zAbout = z.strictObject({
  /** package.json version of the build serving the site. */
  version: z.string(),
  /** Short git commit it was built from, when known. */
  commit: z.string().nullable(),
  builtAt: zIsoInstant.nullable(),
  /** JSON-RPC contract spoken, and the oldest one still served. */
  contract: z.int(),
  oldestContract: z.int(),
  /** Migrations of the site database known to this build. */
  schemaVersion: z.int(),
  /** `hub` (site hub, browsers and satellites) or `desktop` (a standalone desk's own base). */
  runMode: z.enum(['hub', 'desktop']),
  siteCode: z.string(),
});
export type About = z.infer<typeof zAbout>;

export const systemMethods = {
  'system.about': defineMethod({
    summary: 'Version de l’application (hub ou poste), du contrat et de la base.',
    permission: 'public',
    params: zEmpty,
    result: zAbout,
  }),
  'support.bundle': defineMethod({
    summary: 'Paquet d’assistance pour le support : versions, réglages sans secret, dernières erreurs, état de la synchronisation (aucune donnée personnelle).',
    permission: 'accounts.manage',
    params: zEmpty,
    result: z.strictObject({ fileName: z.string(), json: z.string(), generatedAt: zIsoInstant }),
  }),
};
