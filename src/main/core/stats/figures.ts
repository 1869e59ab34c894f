/**
 * The site's figures over a range of local days, combined from day aggregates (decision 015):
 * one stored row per whole month or year (rollups) or per day, days not aggregated yet computed
 * from their rows on the fly. A day's
 * own figures read only that day's rows, so they cost the same in a database of one day or of
 * ten years. Definitions live in shared/stats/indicators.ts.
 */
import type { Figures } from '../../../shared/api/methods/stats';
import type { LocalDay } from '../../../shared/time/paris';
import type { CoreContext } from '../context';
import { combineFigures } from './aggregate';
import { loadPeriod } from './day-aggregates';

export { percentile } from './aggregate';

export function computeFigures(ctx: CoreContext, from: LocalDay, to: LocalDay): Figures {
  return combineFigures(from, to, loadPeriod(ctx, from, to).pieces);
}
