/** Headless entry point: `node … cli/index.ts <command> [args]`. */
import { StoreError } from '../store/open';
import { CliError } from './args';
import { CentralError } from '../central/connect';
import { takeEnvKey } from './keys';

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
};

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
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
    process.exit(1);
  }
  process.stderr.write(`Erreur inattendue : ${err instanceof Error ? err.name : 'inconnue'}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
  process.exit(1);
});
