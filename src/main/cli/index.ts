/** Headless entry point: `node … cli/index.ts <command> [args]`. */
import { StoreError } from '../store/open';
import { CliError } from './args';
import { hubCommand } from './hub';
import { seedCommand } from './seed';
import { benchCommand } from './bench';
import { centralCommand } from './central';
import { syncCommand } from './sync';
import { reportCommand } from './report';
import { CentralError } from '../central/connect';
import { serviceCommand } from './service';
import { configureLog } from '../api/log';

/**
 * Exit status of an error no restart can fix (wrong key, database of a newer version, missing
 * base): EX_CONFIG, which the systemd unit lists in RestartPreventExitStatus.
 */
export const EXIT_CONFIG = 78;

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  hub: hubCommand,
  seed: seedCommand,
  bench: benchCommand,
  central: centralCommand,
  sync: syncCommand,
  report: reportCommand,
  /** The Debian package's `accueil-esc-hub` (cli/service.ts). */
  service: serviceCommand,
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
  if (err instanceof CliError || err instanceof StoreError || err instanceof CentralError) {
    process.stderr.write(`Erreur : ${err.message}\n`);
    process.exit(err instanceof StoreError && ['WRONG_KEY', 'NEWER_VERSION', 'MISSING', 'BAD_KEY_FORMAT'].includes(err.code) ? EXIT_CONFIG : 1);
  }
  process.stderr.write(`Erreur inattendue : ${err instanceof Error ? err.name : 'inconnue'}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
  process.exit(1);
});
