/**
 * The hub's side of version skew (src/shared/api/version.ts): reads the contract a client
 * announces (HTTP header `X-Esc-Contract`, WebSocket `/rpc?contract=N`) and, when this hub cannot
 * serve it, answers each JSON-RPC request with the error `VERSION` and the French sentence saying
 * what to do, instead of letting the call fail in a way nobody understands.
 */
import type { IncomingMessage } from 'node:http';
import { CONTRACT_HEADER, CONTRACT_QUERY, CONTRACT_VERSION, contractVerdict, parseContract, type ContractVerdict } from '../../shared/api/version';
import { JSONRPC_ERROR_NUMBERS } from '../../shared/api/errors';
import type { JsonRpcId, JsonRpcResponse } from '../../shared/api/jsonrpc';

/** The verdict for the contract announced by this HTTP request or WebSocket upgrade. */
export function verdictOf(req: IncomingMessage): ContractVerdict {
  const header = req.headers[CONTRACT_HEADER];
  const fromHeader = typeof header === 'string' ? header : undefined;
  const fromQuery = new URL(req.url ?? '/', 'http://hub.local').searchParams.get(CONTRACT_QUERY);
  return contractVerdict(parseContract(fromHeader ?? fromQuery));
}

function idsOf(message: unknown): JsonRpcId[] {
  const list = Array.isArray(message) ? message : [message];
  return list.map((m) => {
    const id = typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : null;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  });
}

/** The `VERSION` answer to a message (single or batch) this hub refuses to serve. */
export function versionRefusal(verdict: Extract<ContractVerdict, { ok: false }>, message: unknown): JsonRpcResponse | JsonRpcResponse[] {
  const answers = idsOf(message).map(
    (id): JsonRpcResponse => ({
      jsonrpc: '2.0',
      id,
      error: { code: JSONRPC_ERROR_NUMBERS.VERSION, message: verdict.message, data: { code: 'VERSION', action: verdict.action, hubContract: CONTRACT_VERSION } },
    }),
  );
  return Array.isArray(message) ? answers : answers[0]!;
}
