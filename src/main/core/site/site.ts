/** The site this database belongs to, and its opening hours on a given day. */
import { openingPeriods, type IsoWeekday } from '../../../shared/reference/sites';
import type { SiteInfo } from '../../../shared/api/methods/site';
import { isoWeekday, localDay } from '../../../shared/time/paris';
import type { CoreContext } from '../context';

export function siteInfo(ctx: CoreContext): SiteInfo {
  const now = ctx.clock.now();
  const today = localDay(now);
  const site = ctx.site;
  return {
    code: site.code,
    name: site.name,
    address: site.address,
    city: site.city,
    phone: site.phone,
    today,
    todayPeriods: openingPeriods(site, isoWeekday(today)),
    weekly: ([1, 2, 3, 4, 5, 6, 7] as IsoWeekday[]).map((weekday) => ({ weekday, periods: openingPeriods(site, weekday) })),
    serverTime: now.toISOString(),
  };
}
