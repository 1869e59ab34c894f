/** Minimal `--flag value` / `--switch` parsing for the operator commands. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags.set(a.slice(2), next);
          i++;
        } else {
          flags.set(a.slice(2), true);
        }
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

export class CliError extends Error {}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) throw new CliError(`L’option --${name} attend une valeur.`);
  return v;
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = flagString(args, name);
  if (!v) throw new CliError(`L’option --${name} est obligatoire.`);
  return v;
}

/** True when run as the Debian package's `accueil-esc-hub` command (paths filled in, see cli/service.ts). */
export function packaged(): boolean {
  return process.env.ESC_PACKAGED === '1';
}

/** How the operator types a hub command here: `npm run hub -- <sub> <dev args>` or `accueil-esc-hub <sub>`. */
export function hubCommandLine(sub: string, devArgs = ''): string {
  return packaged() ? `accueil-esc-hub ${sub}` : `npm run hub -- ${sub}${devArgs ? ` ${devArgs}` : ''}`;
}
