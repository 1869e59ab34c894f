/** The site this hub serves: identity and today's opening hours. */
import { z } from 'zod';
import { defineMethod, zEmpty, zLocalDay } from '../define';
import { SITE_CODES } from '../../reference/sites';

const zPeriod = z.strictObject({ start: z.string(), end: z.string() });

export const zSiteInfo = z.strictObject({
  code: z.enum(SITE_CODES),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  phone: z.string(),
  today: zLocalDay,
  todayPeriods: z.array(zPeriod),
  weekly: z.array(z.strictObject({ weekday: z.int().min(1).max(7), periods: z.array(zPeriod) })),
  serverTime: z.iso.datetime({ offset: true }),
});
export type SiteInfo = z.infer<typeof zSiteInfo>;

export const siteMethods = {
  'site.info': defineMethod({
    summary: 'Le site, son adresse et ses horaires d’ouverture.',
    permission: 'authenticated',
    params: zEmpty,
    result: zSiteInfo,
  }),
};
