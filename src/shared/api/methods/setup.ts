/**
 * setup.*: the desktop's first-start screen (« Relier ce poste au hub du site » or « Poste
 * autonome »). Answered only by the desktop before it has a base or a hub
 * (src/main/setup/first-start.ts); the site hub answers UNAVAILABLE.
 */
import { z } from 'zod';
import { zText } from '../text';
import { defineMethod, zEmpty, zOk } from '../define';

export const SETUP_STATES = ['new', 'certificate_changed', 'unreachable', 'revoked', 'connected'] as const;

export const zSetupStatus = z.strictObject({
  /** new: never set up; the others: this desk was paired, and its hub now… (connected: answers again). */
  state: z.enum(SETUP_STATES),
  /** The hub address to propose (pairing kept, or the machine-wide file of IT). */
  hubUrl: z.string().nullable(),
  /** Whether the hub address comes from IT's machine-wide file. */
  hubFromIT: z.boolean(),
  /** « Poste autonome » offered (IT may restrict a PC to its site hub). */
  allowStandalone: z.boolean(),
  /** Suggested name of this PC for the hub's « Postes du site ». */
  deviceName: z.string(),
  /** What happened, in French, when the state is not `new` or the machine-wide file is unreadable. */
  message: z.string().nullable(),
});
export type SetupStatus = z.infer<typeof zSetupStatus>;

export const setupMethods = {
  'setup.status': defineMethod({
    summary: 'Premier démarrage du poste : état et choix proposés (application de bureau).',
    permission: 'public',
    params: zEmpty,
    result: zSetupStatus,
  }),
  'setup.pair': defineMethod({
    summary: 'Relie ce poste au hub du site avec un code d’appairage (certificat épinglé).',
    permission: 'public',
    params: z.strictObject({
      hubUrl: zText().max(300),
      code: zText().max(40),
      deviceName: zText().max(60),
    }),
    result: z.strictObject({ hubUrl: z.string(), fingerprint: z.string(), deviceName: z.string() }),
  }),
  'setup.standalone': defineMethod({
    summary: 'Fait de ce poste un poste autonome (sa propre base chiffrée).',
    permission: 'public',
    params: zEmpty,
    result: zOk,
  }),
  'setup.retry': defineMethod({
    summary: 'Réessaie de joindre le hub auquel ce poste est relié.',
    permission: 'public',
    params: zEmpty,
    result: zSetupStatus,
  }),
};
