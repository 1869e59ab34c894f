/** Types shared by the router, the handlers and the transports. */
import type { z } from 'zod';
import type { MethodName, Methods, ResultOf } from '../../shared/api/contract';
import type { Session } from '../core/accounts/sessions';
import type { CoreContext } from '../core/context';
import type { EventBus } from './events';
import type { SyncService } from '../sync/service';
import type { JobRunner } from '../jobs/runner';
import type { Downloads } from '../jobs/downloads';
import type { WalCheckpointer } from '../store/wal/checkpointer';

/** A client connection. HTTP builds one per request; WebSocket and IPC keep one per client. */
export interface Connection {
  token: string | null;
}

export interface Services {
  core: CoreContext;
  bus: EventBus;
  resolveSession(token: string): Session | null;
  /** Backup settings of this hub, or null when none is configured. */
  backups: { dir: string; keep: number; keyHex: string } | null;
  /** The nightly sync to the central database (idle until a central server is configured). */
  sync: SyncService;
  /** LAN mode of the hub serving this app (TLS fingerprint, addresses), or null on loopback. */
  lan: { fingerprint: string; urls: string[] } | null;
  /** Which program serves this app: the site hub, or a standalone desktop's own base. */
  runMode: 'hub' | 'desktop';
  /** Heavy work off the main thread (src/main/jobs): reports, exports, backups, seed. */
  jobs: JobRunner;
  /** One-time downloads of the files the jobs write. */
  downloads: Downloads;
  /** The WAL checkpointer's worker (decision 029), or null when this app does not run one. */
  checkpointer: WalCheckpointer | null;
}

export interface CallContext {
  session: Session | null;
  conn: Connection;
  services: Services;
}

/** The session of a call whose method requires one (the router has already checked it). */
export function requireSession(ctx: CallContext): Session {
  if (!ctx.session) throw new Error('handler called without a session');
  return ctx.session;
}

export type Handler<M extends MethodName> = (
  params: z.output<Methods[M]['params']>,
  ctx: CallContext,
) => ResultOf<M> | Promise<ResultOf<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };
