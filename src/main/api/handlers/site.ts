/** site.* and rpc.* methods. */
import { siteInfo } from '../../core/site/site';
import type { Handler } from '../types';
import { rpcSchema } from '../schema';

export const siteHandlers: {
  'site.info': Handler<'site.info'>;
  'rpc.schema': Handler<'rpc.schema'>;
} = {
  'site.info': (_p, ctx) => siteInfo(ctx.services.core),
  'rpc.schema': () => rpcSchema(),
};
