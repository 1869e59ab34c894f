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
import { AppError } from '../../shared/api/errors';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  hub: hubCommand,
  seed: seedCommand,
  bench: benchCommand,
  central: centralCommand,
  sync: syncCommand,
  report: reportCommand,
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
  if (err instanceof CliError || err instanceof StoreError || err instanceof CentralError || err instanceof AppError) {
    process.stderr.write(`Erreur : ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Erreur inattendue : ${err instanceof Error ? err.name : 'inconnue'}\n${err instanceof Error ? (err.stack ?? '') : ''}\n`);
  process.exit(1);
});
