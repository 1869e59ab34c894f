/** JSON text of the router's answers; the kept answer of rpc.schema is sent as its kept text. */
import type { JsonRpcResponse } from '../../shared/api/jsonrpc';
import { isRpcSchema, rpcSchemaJson } from '../api/schema';

function encodeOne(r: JsonRpcResponse): string {
  if ('result' in r && isRpcSchema(r.result)) return `{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":${rpcSchemaJson()}}`;
  return JSON.stringify(r);
}

export function encodeResponse(r: JsonRpcResponse | JsonRpcResponse[]): string {
  return Array.isArray(r) ? `[${r.map(encodeOne).join(',')}]` : encodeOne(r);
}
