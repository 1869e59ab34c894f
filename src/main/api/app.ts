/**
 * Composition root shared by every run mode (hub, desktop, tests): opens nothing itself, takes
 * an open store and wires core, event bus and router together.
 */
import { findSite } from '../../shared/reference/sites';
import { resolveSession } from '../core/accounts/sessions';
import { systemClock, type Clock, type CoreContext } from '../core/context';
import { readMeta, type Store } from '../store/open';
import { EventBus } from './events';
import { log } from './log';
import { Router } from './router';
import type { Handlers, Services } from './types';
import { sessionHandlers } from './handlers/session';
import { accountsHandlers } from './handlers/accounts';
import { siteHandlers } from './handlers/site';
import { queueHandlers } from './handlers/queue';
import { contactsHandlers } from './handlers/contacts';
import { handoffsHandlers } from './handlers/handoffs';
import { statsHandlers } from './handlers/stats';
import { auditHandlers } from './handlers/audit';
import { backupHandlers } from './handlers/backups';
import { privacyHandlers } from './handlers/privacy';
import { syncHandlers } from './handlers/sync';
import { devicesHandlers } from './handlers/devices';
import { systemHandlers } from './handlers/system';
import { SyncService, type SyncServiceOptions } from '../sync/service';
import { JobRunner, type JobRunnerOptions } from '../jobs/runner';
import { Downloads } from '../jobs/downloads';
import { WalCheckpointer, type WalCheckpointerOptions } from '../store/wal/checkpointer';

export const HANDLERS: Handlers = {
  ...siteHandlers,
  ...sessionHandlers,
  ...accountsHandlers,
  ...queueHandlers,
  ...contactsHandlers,
  ...handoffsHandlers,
  ...statsHandlers,
  ...auditHandlers,
  ...backupHandlers,
  ...privacyHandlers,
  ...syncHandlers,
  ...devicesHandlers,
  ...systemHandlers,
};

export interface App {
  core: CoreContext;
  bus: EventBus;
  router: Router;
  services: Services;
  /** Stops the WAL checkpointer and the job workers, deletes the files not fetched (the store stays open). */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Where and how the hub backs the database up (admin screen and schedule). */
  backups?: { dir: string; keep: number; keyHex: string } | undefined;
  sync?: SyncServiceOptions | undefined;
  /** Set by the hub when it serves the LAN (TLS + pairing). */
  lan?: { fingerprint: string; urls: string[] } | undefined;
  /** `hub` (default) or `desktop` (a standalone desk's own base). */
  runMode?: 'hub' | 'desktop' | undefined;
  /** Limits of the job runner (defaults: one worker on two cores, 4 waiting, 2 per session). */
  jobs?: Omit<JobRunnerOptions, 'reader'> | undefined;
  /**
   * Checkpoint the WAL in a worker thread instead of inside the desks' commits (decision 029):
   * the hub and the desktop app turn it on; off by default (tests that do not need it, CLI
   * commands). `target` defaults to the store's own file and key.
   */
  walCheckpointer?: Partial<WalCheckpointerOptions> | undefined;
}

export function createApp(store: Store, clock: Clock = systemClock, options: AppOptions = {}): App {
  const siteCode = readMeta(store, 'site_code');
  const site = siteCode ? findSite(siteCode) : undefined;
  if (!site) throw new Error('The database has no site: initialise it first (hub init).');
  const bus = new EventBus();
  const core: CoreContext = { store, site, clock, events: bus };
  // Workers open their own read-only connection to the same file, with the key given explicitly.
  const jobs = new JobRunner({ ...options.jobs, reader: () => store.readerOptions() });
  const downloads = new Downloads();
  let checkpointer: WalCheckpointer | null = null;
  if (options.walCheckpointer) {
    const target = () => {
      const o = store.readerOptions();
      return { file: o.file, keyHex: o.keyHex };
    };
    const onFailure = (error: string) => log.error('wal.checkpointer_failure', { error });
    checkpointer = new WalCheckpointer({ target, onFailure, ...options.walCheckpointer });
    void checkpointer.start();
  }
  const services: Services = {
    core,
    bus,
    resolveSession: (token) => resolveSession(core, token),
    backups: options.backups ?? null,
    sync: new SyncService(core, options.sync),
    lan: options.lan ?? null,
    runMode: options.runMode ?? 'hub',
    jobs,
    downloads,
    checkpointer,
  };
  const close = async () => {
    await checkpointer?.stop();
    await jobs.close();
    downloads.close();
  };
  return { core, bus, router: new Router(services, HANDLERS), services, close };
}
