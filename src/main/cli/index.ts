/** Headless entry point: `node … cli/index.ts <command> [args]`. */
import { StoreError } from '../store/open';
import { CliError } from './args';
import { CentralError } from '../central/connect';
import { AppError } from '../../shared/api/errors';
import { takeEnvKey } from './keys';
import { configureLog } from '../api/log';

/**
 * Exit status of an error no restart can fix (wrong key, database of a newer version, missing
 * base): EX_CONFIG, which the systemd unit lists in RestartPreventExitStatus.
 */
export const EXIT_CONFIG = 78;

// Before anything else: the database key leaves the environment (children would inherit it).
takeEnvKey();

/**
 * Each command is loaded when it is run: the hub never loads the report writers (exceljs) or
 * the benchmark, which only their own commands (or the job worker) need.
 */
const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  hub: async (argv) => (await import('./hub')).hubCommand(argv),
  seed: async (argv) => (await import('./seed')).seedCommand(argv),
  bench: async (argv) => (await import('./bench')).benchCommand(argv),
  central: async (argv) => (await import('./central')).centralCommand(argv),
  sync: async (argv) => (await import('./sync')).syncCommand(argv),
  report: async (argv) => (await import('./report')).reportCommand(argv),
  /** The Debian package's `accueil-esc-hub` (cli/service.ts). */
  service: async (argv) => (await import('./service')).serviceCommand(argv),
};

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  // Without a journal (e.g. a Windows service): a size-bounded, rotated log file as well.
  if (process.env.ESC_LOG_FILE) {
    const bytes = Number(process.env.ESC_LOG_MAX_BYTES ?? 1024 * 1024);
    const keep = Number(process.env.ESC_LOG_KEEP ?? 4);
    configureLog({ file: { path: process.env.ESC_LOG_FILE, maxBytes: Number.isFinite(bytes) ? bytes : undefined, keep: Number.isFinite(keep) ? keep : undefined } });
  }
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`Commandes disponibles : ${Object.keys(COMMANDS).join(', ')}\n`);
    process.exit(2);
  }
  await run(rest);
}

main().catch((err: unknown) => {
  if (err instanceof CliError || err instanceof StoreError || err instanceof CentralError || err instanceof AppError) {
    process.stderr.write(`Erreur : ${err.message}\n`);
    process.exit(err instanceof StoreError && ['WRONG_KEY', 'NEWER_VERSION', 'MISSING', 'BAD_KEY_FORMAT'].includes(err.code) ? EXIT_CONFIG : 1);
  }
  process.stderr.write(`Erreur inattendue : ${err instanceof Error ? err.name : 'inconnue'}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
  process.exit(1);
});
