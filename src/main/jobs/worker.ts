/**
 * Entry of the job worker thread (node:worker_threads). It opens its OWN connection to the site
 * database through the one opening function (`openStore`, read-only unless it runs a writing job
 * such as the seed), with the key received in `workerData` (never from the environment), then
 * runs the jobs the main thread sends, one at a time, and answers each with its result or error.
 *
 * This file is an entry point of its own: a bundler must emit it as a separate file named
 * `jobs-worker.js` beside the bundle that contains `runner.ts` (see `entry.ts`).
 */
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, isErrorCode } from '../../shared/api/errors';
import { findSite } from '../../shared/reference/sites';
import type { CoreContext } from '../core/context';
import { openStore, readMeta, StoreError } from '../store/open';
import type { FromWorker, ToWorker, WorkerBoot } from './protocol';
import { TASKS } from './tasks';

const port = parentPort;
if (!port) throw new Error('jobs/worker.ts runs as a worker thread only.');

const boot = workerData as WorkerBoot;

// Desks first: on Linux the nice value belongs to the thread (setpriority on the caller), so this
// lowers the jobs' thread only, and the thread that answers desks wins the CPU while a backup, a
// report or an export runs (2-core site servers). Elsewhere it would lower the whole process.
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // A container that forbids it: the jobs run at the normal priority.
  }
}
const store = openStore(boot.open);
const siteCode = readMeta(store, 'site_code');
const site = siteCode ? findSite(siteCode) : undefined;
if (!site) throw new StoreError('MISSING', 'La base ne sert aucun site.');

const send = (m: FromWorker) => port.postMessage(m);

async function run(message: ToWorker): Promise<void> {
  const now = new Date(message.now);
  // Core functions of a read-only job emit nothing; the clock is the instant the job was asked.
  const ctx: CoreContext = { store, site: site!, clock: { now: () => new Date(now) }, events: { emit: () => undefined } };
  try {
    const task = TASKS[message.kind] as (env: Parameters<(typeof TASKS)['period']>[0], input: unknown) => unknown;
    const result = await task({ ctx, keyHex: boot.open.keyHex, progress: (percent, stage) => send({ type: 'progress', id: message.id, percent, stage }) }, message.input);
    send({ type: 'done', id: message.id, result: result as never });
  } catch (err) {
    const code = err instanceof AppError ? err.code : null;
    // Messages of non-application errors may quote data: only French store messages and AppErrors travel.
    const message_ = err instanceof AppError || err instanceof StoreError ? err.message : '';
    const name = err instanceof Error ? err.name : 'unknown';
    send({ type: 'failed', id: message.id, error: { code: code && isErrorCode(code) ? code : null, message: message_, name: err instanceof StoreError ? `StoreError:${err.code}` : name } });
  }
}

// One job at a time, in order.
let chain: Promise<void> = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(() => run(m));
});
port.on('close', () => store.close());
send({ type: 'ready' });
