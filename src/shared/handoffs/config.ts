/** Per-site hand-over settings: answer delays per mode (late, then expired) and retention. */
import { z } from 'zod';
import { HANDOFF_MODES, HANDOFF_MODE_LABELS_FR, type HandoffMode } from './states';

const zDelay = z.strictObject({
  /** Minutes without answer after which the hand-over shows as late. */
  lateAfterMinutes: z.int().min(1).max(60 * 24 * 14),
  /** Minutes without answer after which it expires and the sender is told. */
  expireAfterMinutes: z.int().min(1).max(60 * 24 * 30),
});

export const zHandoffConfig = z
  .strictObject({
    delays: z.strictObject(Object.fromEntries(HANDOFF_MODES.map((m) => [m, zDelay])) as Record<HandoffMode, typeof zDelay>),
    /** Days after which personal details are anonymised (the row stays for statistics). */
    retentionDays: z.int().min(1).max(365),
  })
  .superRefine((c, ctx) => {
    for (const m of HANDOFF_MODES) {
      if (c.delays[m].lateAfterMinutes >= c.delays[m].expireAfterMinutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['delays', m, 'expireAfterMinutes'],
          message: `« ${HANDOFF_MODE_LABELS_FR[m]} » : le délai d’expiration doit être plus long que le délai de retard.`,
        });
      }
    }
  });
export type HandoffConfig = z.infer<typeof zHandoffConfig>;

export const DEFAULT_HANDOFF_CONFIG: HandoffConfig = {
  delays: {
    accompagne: { lateAfterMinutes: 10, expireAfterMinutes: 30 },
    appel_commun: { lateAfterMinutes: 10, expireAfterMinutes: 30 },
    rdv: { lateAfterMinutes: 60 * 4, expireAfterMinutes: 60 * 24 * 2 },
    rappel: { lateAfterMinutes: 60 * 4, expireAfterMinutes: 60 * 24 * 3 },
  },
  retentionDays: 30,
};
