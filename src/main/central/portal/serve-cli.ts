import type { ParsedArgs } from '../../cli/args';
import { CliError } from '../../cli/args';

export async function serveCommand(_args: ParsedArgs, _ownerUrl: (a: ParsedArgs) => string): Promise<void> {
  throw new CliError('Le portail n’est pas encore disponible dans cette version.');
}
