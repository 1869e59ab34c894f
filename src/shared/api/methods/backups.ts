/** backups.*: encrypted copies of the site database (administration). */
import { z } from 'zod';
import { defineMethod, zEmpty, zIsoInstant } from '../define';
import { zSecret, zText } from '../text';

const zBackup = z.strictObject({ name: z.string(), size: z.int(), createdAt: zIsoInstant });

export const backupMethods = {
  'backups.list': defineMethod({
    summary: 'Les sauvegardes chiffrées du site (dossier configuré sur le hub).',
    permission: 'accounts.manage',
    params: zEmpty,
    result: z.strictObject({ configured: z.boolean(), dir: z.string().nullable(), keep: z.int(), backups: z.array(zBackup) }),
  }),
  'backups.restore': defineMethod({
    summary: 'Restaure une sauvegarde vérifiée (ouverture, contrôle d’intégrité) ; la base actuelle est mise de côté et tout le monde se reconnecte.',
    permission: 'accounts.manage',
    params: z.strictObject({ name: zText().min(1).max(200) }),
    result: z.strictObject({ restored: z.string(), setAside: z.string() }),
  }),
  'recovery.unlock': defineMethod({
    summary: 'Application de bureau : rouvre la base avec la clé de secours quand le trousseau du poste ne la déverrouille plus.',
    permission: 'public',
    params: z.strictObject({ key: zSecret().min(1, 'Saisissez la clé de secours.').max(200) }),
    result: z.strictObject({ ok: z.literal(true) }),
  }),
  'backups.run': defineMethod({
    summary: 'Sauvegarde la base maintenant (copie chiffrée vérifiée).',
    permission: 'accounts.manage',
    params: zEmpty,
    result: zBackup,
  }),
};
