/**
 * The API client: the same typed calls over two transports. In the desktop app the preload's
 * IPC bridge is used; in a browser (hub mode) a WebSocket to the serving hub, reconnecting on
 * its own and re-attaching the session with `session.resume`.
 */
import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf } from '../../../shared/api/contract';
import { DEFAULT_MESSAGES_FR, isErrorCode, type ErrorCode, type ValidationIssue } from '../../../shared/api/errors';
import type { JsonRpcResponse } from '../../../shared/api/jsonrpc';
import { CONTRACT_QUERY, CONTRACT_VERSION, type SkewAction } from '../../../shared/api/version';
import './bridge';

export class RpcError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[];
  constructor(code: ErrorCode, message: string, issues: ValidationIssue[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

interface Transport {
  request(method: string, params: unknown): Promise<unknown>;
  subscribe(event: string, cb: (payload: unknown) => void): () => void;
  onState(cb: (s: ConnectionState) => void): () => void;
  setToken(token: string | null): void;
}

const TOKEN_KEY = 'accueil-esc.token';

/** The hub cannot serve this page's version of the contract: what it said to do. */
export interface VersionMismatch {
  action: SkewAction;
  message: string;
}

let mismatch: VersionMismatch | null = null;
const mismatchListeners = new Set<(m: VersionMismatch) => void>();

function unwrap(res: JsonRpcResponse): unknown {
  if ('error' in res) {
    const code = isErrorCode(res.error.data?.code) ? res.error.data.code : 'UNAVAILABLE';
    if (code === 'VERSION' && !mismatch) {
      mismatch = { action: res.error.data.action ?? 'update_desk', message: res.error.message };
      for (const cb of mismatchListeners) cb(mismatch);
    }
    throw new RpcError(code, res.error.message || DEFAULT_MESSAGES_FR[code], res.error.data?.issues ?? []);
  }
  return res.result;
}

class IpcTransport implements Transport {
  constructor(private readonly bridge: NonNullable<Window['escApi']>) {}
  async request(method: string, params: unknown): Promise<unknown> {
    return unwrap((await this.bridge.invoke(method, params)) as JsonRpcResponse);
  }
  subscribe(event: string, cb: (payload: unknown) => void): () => void {
    return this.bridge.subscribe(event, cb);
  }
  onState(cb: (s: ConnectionState) => void): () => void {
    cb('online');
    return () => undefined;
  }
  setToken(): void {
    // The main process keeps the session of this window.
  }
}

class WebSocketTransport implements Transport {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: JsonRpcResponse) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private ready: Promise<void>;
  private markReady!: () => void;
  private token: string | null = sessionStorage.getItem(TOKEN_KEY);
  private retry = 0;

  constructor(private readonly url: string) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.connect();
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const cb of this.stateListeners) cb(s);
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      // The first message re-attaches the session, before anything else is sent.
      const resume = this.token
        ? this.send('session.resume', { token: this.token }).catch(() => {
            this.setToken(null);
          })
        : Promise.resolve();
      void resume.then(() => {
        this.setState('online');
        this.markReady();
      });
    };
    ws.onmessage = (ev) => {
      let msg: { id?: number; method?: string; params?: unknown };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.id === 'number' && this.pending.has(msg.id)) {
        this.pending.get(msg.id)!.resolve(msg as JsonRpcResponse);
        this.pending.delete(msg.id);
      } else if (typeof msg.method === 'string') {
        for (const cb of this.listeners.get(msg.method) ?? []) cb(msg.params);
      }
    };
    ws.onclose = () => {
      for (const p of this.pending.values()) p.reject(new RpcError('UNAVAILABLE', 'Connexion au serveur du site perdue. Nouvelle tentative en cours…'));
      this.pending.clear();
      if (this.state !== 'connecting') this.ready = new Promise((r) => (this.markReady = r));
      this.setState('offline');
      const delay = Math.min(5000, 250 * 2 ** this.retry++);
      setTimeout(() => this.connect(), delay);
    };
  }

  private send(method: string, params: unknown): Promise<JsonRpcResponse> {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject(new RpcError('UNAVAILABLE', 'Le serveur du site est injoignable. Vérifiez la connexion réseau.'));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  async request(method: string, params: unknown): Promise<unknown> {
    await Promise.race([
      this.ready,
      new Promise((_, reject) => setTimeout(() => reject(new RpcError('UNAVAILABLE', 'Le serveur du site ne répond pas. Nouvelle tentative en cours…')), 8000)),
    ]);
    return unwrap(await this.send(method, params));
  }

  subscribe(event: string, cb: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb);
    return () => set.delete(cb);
  }

  onState(cb: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(cb);
    cb(this.state);
    return () => this.stateListeners.delete(cb);
  }

  setToken(token: string | null): void {
    this.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }
}

function createTransport(): Transport {
  if (window.escApi) return new IpcTransport(window.escApi);
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The hub checks the contract this page speaks (src/shared/api/version.ts) before serving it.
  return new WebSocketTransport(`${proto}//${location.host}/rpc?${CONTRACT_QUERY}=${CONTRACT_VERSION}`);
}

const transport = createTransport();

export const api = {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return transport.request(method, params) as Promise<ResultOf<M>>;
  },
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    return transport.subscribe(event, cb as (p: unknown) => void);
  },
  onConnection(cb: (s: ConnectionState) => void): () => void {
    return transport.onState(cb);
  },
  setToken(token: string | null): void {
    transport.setToken(token);
  },
  /** Called once if the hub refuses this page's version (then every call fails with VERSION). */
  onVersionMismatch(cb: (m: VersionMismatch) => void): () => void {
    if (mismatch) cb(mismatch);
    mismatchListeners.add(cb);
    return () => mismatchListeners.delete(cb);
  },
  hasStoredToken(): boolean {
    return !window.escApi && sessionStorage.getItem(TOKEN_KEY) !== null;
  },
  /** Hub mode: the session's token, for the one-time file downloads (`GET /exports/<id>`). */
  bearerToken(): string | null {
    return window.escApi ? null : sessionStorage.getItem(TOKEN_KEY);
  },
  /** Whether this window talks to the main process over IPC (desktop) rather than to a hub. */
  isDesktop(): boolean {
    return window.escApi !== undefined;
  },
};

/** A French sentence for any failure, for notifications and form alerts. */
export function errorMessage(err: unknown): string {
  if (err instanceof RpcError) return err.message;
  return DEFAULT_MESSAGES_FR.UNAVAILABLE;
}

/**
 * Field errors of a failed call, keyed by the first segment of each failing path
 * ("domains.2" → "domains"), first message wins: for inline errors under form fields.
 */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof RpcError) for (const i of err.issues) out[i.path.split('.')[0]!] ??= i.message;
  return out;
}
