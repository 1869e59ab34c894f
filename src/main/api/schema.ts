/**
 * The answer of `rpc.schema` (about 240 KB) never changes while the app runs: it is generated
 * from the contract, checked against its own result schema and serialised once. The router
 * returns this very object (no second check), and the hub sends the kept text instead of
 * serialising it again (decision 008).
 */
import { contractJsonSchema, METHODS, type ResultOf } from '../../shared/api/contract';

let schema: ResultOf<'rpc.schema'> | null = null;
let text: string | null = null;

export function rpcSchema(): ResultOf<'rpc.schema'> {
  if (!schema) {
    const built = contractJsonSchema();
    METHODS['rpc.schema'].result.parse(built);
    schema = Object.freeze(built);
  }
  return schema;
}

/** `JSON.stringify(rpcSchema())`, computed once. */
export function rpcSchemaJson(): string {
  return (text ??= JSON.stringify(rpcSchema()));
}

/** Whether `value` is the kept answer of `rpc.schema` (already checked, serialised once). */
export function isRpcSchema(value: unknown): boolean {
  return schema !== null && value === schema;
}
