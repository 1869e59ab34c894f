/**
 * A real hub (child process) on the big base, driven over WebSocket as desks and coordinators
 * drive it: a probe desk's `queue.list` round trip while the hub is idle across a housekeeping
 * run, and while a coordinator asks for a year report, the year's exports, a backup, a closing;
 * then 20 desks refreshing their board after each queue event; the hub's memory and CPU read
 * from /proc all along.
 */
import { HubChild, type HubRuntime } from './hub-child';
import { pct, sleep } from './report';
import { DeskBoard, RpcSocket } from './rpc-client';

export const BENCH_PASSWORD = 'bench-desk-password-1';

export interface Rtt {
  max: number;
  p99: number;
  p50: number;
  samples: number;
  opMs?: number;
}

export interface HubLoadResult {
  idleHousekeeping: Rtt & { windowMs: number };
  during: Record<'year_report' | 'export' | 'backup' | 'closing', Rtt>;
  desks: {
    boardP50: number;
    boardP99: number;
    actions: number;
    cpuPerActionLow: number;
    cpuPerActionHigh: number;
    entriesLow: number;
    entriesHigh: number;
  };
  rss: { idle: number; afterReportsExports: number; desks20: number; peak: number };
}

async function signedIn(hub: HubChild, login: string, password = BENCH_PASSWORD): Promise<RpcSocket> {
  const s = await RpcSocket.open(hub.wsUrl);
  await s.call('session.login', { login, password });
  return s;
}

function summarise(samples: number[], opMs?: number): Rtt {
  return { max: Math.max(...samples), p99: pct(samples, 99), p50: pct(samples, 50), samples: samples.length, ...(opMs === undefined ? {} : { opMs }) };
}

/** Runs `op` while `probe` asks for the board back to back; the round trips seen meanwhile. */
async function probeDuring(probe: RpcSocket, op: () => Promise<unknown>, gapMs = 10): Promise<{ samples: number[]; opMs: number }> {
  let running = true;
  const samples: number[] = [];
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await probe.call('queue.list', {});
      samples.push(performance.now() - t);
      await sleep(gapMs);
    }
  })();
  await sleep(50);
  const t0 = performance.now();
  await op();
  const opMs = performance.now() - t0;
  await sleep(100);
  running = false;
  await loop;
  return { samples, opMs };
}

export interface HubLoadOptions {
  runtime: HubRuntime;
  root: string;
  dataDir: string;
  keyFile: string;
  backupDir: string;
  adminPassword: string;
  /** Report and export period (a year). */
  year: { from: string; to: string };
  /** Past days to close, one per repetition. */
  closeDays: string[];
  repeat: number;
  idleWindowMs: number;
  deskCount: number;
  actionsPerPhase: number;
  entriesHigh: number;
}

export async function benchHubLoad(o: HubLoadOptions): Promise<HubLoadResult> {
  const hub = await HubChild.start(o.runtime, o.root, { dataDir: o.dataDir, keyFile: o.keyFile, backupDir: o.backupDir });
  hub.sampleEvery(100);
  const sockets: RpcSocket[] = [];
  try {
    await hub.waitHealthy();
    const admin = await signedIn(hub, 'admin', o.adminPassword);
    const coord = await signedIn(hub, 'bench.coord');
    const probe = await signedIn(hub, 'bench.probe');
    sockets.push(admin, coord, probe);
    // The hub takes a backup when it starts with --backup-dir: measure once it is done.
    for (let i = 0; i < 6000; i++) {
      const list = await admin.call<{ backups: unknown[] }>('backups.list', {});
      if (list.backups.length > 0) break;
      await sleep(100);
    }
    await sleep(2000);
    const rssIdle = hub.rssMb();

    // Idle: a desk looks at its board every 100 ms for longer than the housekeeping period (60 s).
    const idle: number[] = [];
    const until = performance.now() + o.idleWindowMs;
    while (performance.now() < until) {
      const t = performance.now();
      await probe.call('queue.list', {});
      idle.push(performance.now() - t);
      await sleep(100);
    }

    const during: Record<string, number[]> = { year_report: [], export: [], backup: [], closing: [] };
    const opMs: Record<string, number[]> = { year_report: [], export: [], backup: [], closing: [] };
    const record = (name: string, r: { samples: number[]; opMs: number }) => {
      during[name]!.push(...r.samples);
      opMs[name]!.push(r.opMs);
    };
    for (let i = 0; i < o.repeat; i++) {
      record('year_report', await probeDuring(probe, () => coord.call('stats.period', o.year)));
      for (const format of ['csv', 'xlsx', 'pdf']) record('export', await probeDuring(probe, () => coord.call('exports.report', { ...o.year, format })));
      record('backup', await probeDuring(probe, () => admin.call('backups.run', {})));
      const day = o.closeDays[i % o.closeDays.length]!;
      record('closing', await probeDuring(probe, () => coord.call('days.close', { day, remark: 'Clôture (banc de mesure)' })));
    }
    await sleep(1000);
    const rssAfter = hub.rssMb();

    // 20 desks, each signed in on its own account, their boards loaded.
    const boards: DeskBoard[] = [];
    for (let i = 1; i <= o.deskCount; i++) {
      const s = await signedIn(hub, `bench.desk${String(i).padStart(2, '0')}`);
      sockets.push(s);
      const b = new DeskBoard(s);
      await b.reload();
      boards.push(b);
    }
    const actor = await signedIn(hub, 'bench.actor');
    sockets.push(actor);
    const waiting: { id: string; version: number }[] = [];
    let atDesk: { id: string; version: number } | null = null;
    /**
     * One queue event per action, as a desk's day goes: a registration, the call of the oldest
     * person waiting to the desk, the end of that person's passage (a desk receives one person
     * at a time: a second call to a busy desk is refused).
     */
    const action = async (i: number) => {
      if (i % 3 === 1 && waiting.length > 0 && !atDesk) {
        const e = waiting.shift()!;
        atDesk = await actor.call<{ id: string; version: number }>('queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
      } else if (i % 3 === 2 && atDesk) {
        await actor.call('queue.finish', { id: atDesk.id, version: atDesk.version });
        atDesk = null;
      } else {
        const e = await actor.call<{ id: string; version: number }>('queue.add', { serviceCode: 'ACCUEIL' });
        waiting.push(e);
      }
    };
    const latencies: number[] = [];
    const phase = async (): Promise<number> => {
      // What earlier writes left to checkpoint is folded first (the checkpointer looks every
      // second): the CPU measured is the phase's own actions'.
      await sleep(2500);
      const cpu0 = hub.cpuMs();
      for (let i = 0; i < o.actionsPerPhase; i++) {
        const t0 = performance.now();
        const upToDate = boards.map((b) => b.upToDateAfter(t0));
        await action(i);
        for (const done of await Promise.all(upToDate)) latencies.push(done - t0);
        await sleep(20);
      }
      return (hub.cpuMs() - cpu0) / o.actionsPerPhase;
    };
    const cpuLow = await phase();
    const entriesLow = boards[0]!.entries;
    // The day fills up (desks not refreshing meanwhile), then the same actions again.
    for (const b of boards) b.paused = true;
    const toAdd = Math.max(0, o.entriesHigh - entriesLow);
    for (let i = 0; i < toAdd; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, toAdd - i) }, () => actor.call('queue.add', { serviceCode: 'ACCUEIL' })));
    }
    for (const b of boards) b.paused = false;
    await Promise.all(boards.map((b) => b.reload()));
    const cpuHigh = await phase();
    const entriesHigh = boards[0]!.entries;
    const rssDesks = hub.rssMb();

    const rtt = (name: string) => summarise(during[name]!, opMs[name]!.reduce((a, b) => Math.max(a, b), 0));
    return {
      idleHousekeeping: { ...summarise(idle), windowMs: o.idleWindowMs },
      during: { year_report: rtt('year_report'), export: rtt('export'), backup: rtt('backup'), closing: rtt('closing') },
      desks: {
        boardP50: pct(latencies, 50),
        boardP99: pct(latencies, 99),
        actions: latencies.length / boards.length,
        cpuPerActionLow: cpuLow,
        cpuPerActionHigh: cpuHigh,
        entriesLow,
        entriesHigh,
      },
      rss: { idle: rssIdle, afterReportsExports: rssAfter, desks20: rssDesks, peak: hub.peakRssMb() },
    };
  } finally {
    for (const s of sockets) s.close();
    await hub.stop();
  }
}

/** Spawn → first answer of /health, on each base alternately; medians. */
export async function benchHubStart(runtime: HubRuntime, root: string, bases: { dataDir: string; keyFile: string }[], repeat: number): Promise<number[][]> {
  const out: number[][] = bases.map(() => []);
  for (let i = 0; i < repeat; i++) {
    const order = i % 2 === 0 ? bases.map((_, j) => j) : bases.map((_, j) => j).reverse();
    for (const j of order) {
      const hub = await HubChild.start(runtime, root, bases[j]!);
      try {
        out[j]!.push(await hub.waitHealthy());
      } finally {
        await hub.stop();
      }
    }
  }
  return out;
}
