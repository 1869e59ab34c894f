/**
 * Minimal clients of a running hub, for the security suite: JSON-RPC over `POST /rpc` and over
 * WebSocket `/rpc` (one socket per call when parallelism is wanted: a socket processes its
 * messages one after the other).
 */
import WebSocket from 'ws';
import type { JsonRpcResponse } from '../../src/shared/api/jsonrpc';

export async function httpCall(baseUrl: string, method: string, params: unknown, token?: string): Promise<JsonRpcResponse> {
  const res = await fetch(new URL('rpc', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as JsonRpcResponse;
}

export interface RpcSocket {
  call(method: string, params: unknown): Promise<JsonRpcResponse>;
  /** Notifications received so far (method names and params). */
  events: { method: string; params: unknown }[];
  close(): void;
}

export function openSocket(baseUrl: string): Promise<RpcSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}rpc`);
    let next = 0;
    const waiting = new Map<number, (r: JsonRpcResponse) => void>();
    const events: { method: string; params: unknown }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { id?: unknown; method?: string; params?: unknown };
      if (typeof m.id === 'number') waiting.get(m.id)?.(m as JsonRpcResponse);
      else if (typeof m.method === 'string') events.push({ method: m.method, params: m.params });
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        call: (method, params) =>
          new Promise((r) => {
            const id = ++next;
            waiting.set(id, r);
            ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
          }),
        events,
        close: () => ws.close(),
      }),
    );
  });
}

/** The stable error code of an answer, or 'OK'. */
export const codeOf = (r: JsonRpcResponse): string => ('error' in r ? r.error.data.code : 'OK');
export const messageOf = (r: JsonRpcResponse): string | null => ('error' in r ? r.error.message : null);
