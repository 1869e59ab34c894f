/** Site settings of shared desks: inactivity before the desk locks itself. */
import { z } from 'zod';
import type { CoreContext } from '../context';
import { readSetting } from '../settings/settings';

const zDeskConfig = z.strictObject({ lockAfterMinutes: z.int().min(1).max(120) });

export function lockAfterMinutes(ctx: CoreContext): number {
  return readSetting(ctx, 'security.desk', zDeskConfig, { lockAfterMinutes: 5 }).lockAfterMinutes;
}
