/**
 * A real hub in a child process for the bench: the production build (`out/hub/cli.js`, plain
 * JavaScript run by node, what the Debian package and the service run; `npm run bench` rebuilds
 * it when stale), else the TypeScript sources through tsx. Its memory (RSS) and CPU time are read
 * from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './report';
import { HUB_ALLOCATOR_ENV } from '../../hub/allocator';

export interface HubRuntime {
  /** How the hub is run, for the output: "built out/hub/cli.js" or "tsx src/main/cli/index.ts". */
  label: string;
  command: string;
  args: string[];
}

/** The built hub if present (ESC_BENCH_HUB_ENTRY names another bundled CLI entry), else tsx. */
export function hubRuntime(root: string): HubRuntime {
  const candidates = [process.env.ESC_BENCH_HUB_ENTRY, 'out/hub/cli.js'].filter(
    (c): c is string => !!c,
  );
  for (const c of candidates) {
    const entry = join(root, c);
    if (existsSync(entry)) return { label: `built ${c}`, command: process.execPath, args: [entry, 'hub', 'serve'] };
  }
  return { label: 'tsx src/main/cli/index.ts', command: process.execPath, args: ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), 'hub', 'serve'] };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ

export class HubChild {
  private samples: { at: number; rssMb: number }[] = [];
  private sampler: ReturnType<typeof setInterval> | null = null;
  private exited = false;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly spawnedAt: number,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async start(runtime: HubRuntime, root: string, options: { dataDir: string; keyFile: string; backupDir?: string }): Promise<HubChild> {
    const port = await freePort();
    const args = [...runtime.args, '--data-dir', options.dataDir, '--key-file', options.keyFile, '--port', String(port)];
    if (options.backupDir) args.push('--backup-dir', options.backupDir, '--backup-keep', '3');
    const spawnedAt = performance.now();
    // The key travels by file (--key-file), never through the environment.
    const { ESC_DB_KEY: _key, ...env } = process.env;
    const child = spawn(runtime.command, args, {
      cwd: root,
      // The allocator settings every launcher of the hub gives it (hub/allocator.ts): measured as delivered.
      env: { ...HUB_ALLOCATOR_ENV, ...env, ESC_LOG: 'silent', ESC_SIGNIN_LIMIT: '100000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const hub = new HubChild(child, port, spawnedAt);
    hub.stderrTail = () => stderr;
    return hub;
  }

  stderrTail: () => string = () => '';

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/rpc`;
  }

  /** Milliseconds from spawn to the first 200 of GET /health (polled every 10 ms). */
  async waitHealthy(timeoutMs = 120_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.exited) throw new Error(`the hub exited: ${this.stderrTail()}`);
      try {
        const res = await fetch(`${this.url}/health`);
        if (res.ok) return performance.now() - this.spawnedAt;
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
    throw new Error('the hub did not answer /health in time');
  }

  private status(): string {
    return readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
  }

  rssMb(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(this.status());
    return m ? Number(m[1]) / 1024 : Number.NaN;
  }

  /** Peak resident set size of the process so far (the kernel's high-water mark). */
  peakRssMb(): number {
    const m = /VmHWM:\s+(\d+) kB/.exec(this.status());
    return Math.max(m ? Number(m[1]) / 1024 : 0, ...this.samples.map((s) => s.rssMb));
  }

  /** CPU time (user + system, all threads) used so far, in milliseconds. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S) * 1000;
  }

  sampleEvery(millis: number): void {
    this.sampler = setInterval(() => {
      try {
        this.samples.push({ at: performance.now(), rssMb: this.rssMb() });
      } catch {
        // exited
      }
    }, millis);
    this.sampler.unref();
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}
