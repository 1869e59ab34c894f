/** site.* and rpc.* methods. */
import { contractJsonSchema } from '../../../shared/api/contract';
import { siteInfo } from '../../core/site/site';
import type { Handler } from '../types';

let cachedSchema: ReturnType<typeof contractJsonSchema> | null = null;

export const siteHandlers: {
  'site.info': Handler<'site.info'>;
  'rpc.schema': Handler<'rpc.schema'>;
} = {
  'site.info': (_p, ctx) => siteInfo(ctx.services.core),
  'rpc.schema': () => (cachedSchema ??= contractJsonSchema()),
};
