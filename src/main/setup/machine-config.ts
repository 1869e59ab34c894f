/**
 * The machine-wide file IT writes to pre-configure a desk (docs/release.md): which site hub the
 * desk belongs to, optionally the certificate fingerprint to expect from it, and whether the
 * first-start screen may offer a standalone desk. Written by the Windows installer
 * (`/HUB=https://…:4780/`, resources/installer.nsh) or deployed by IT (GPO, Ansible…).
 *
 *   Windows  %ProgramData%\Accueil ESC\poste.json   (C:\ProgramData\Accueil ESC\poste.json)
 *   Linux    /etc/xdg/accueil-esc/poste.json
 *   (ESC_MACHINE_CONFIG=<file> replaces the path: development and tests)
 *
 *   { "hubUrl": "https://hub-blosne:4780/",
 *     "hubFingerprint": "AB:CD:…",      optional: SHA-256 of the hub's certificate (Postes du site)
 *     "mode": "ask" | "satellite" | "standalone",   optional, default "ask"
 *     "site": "BLOSNE",                 optional: the site of a standalone desk
 *     "updatesUrl": "https://…/mises-a-jour/" }   optional: updates of a standalone desk
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SITE_CODES } from '../../shared/reference/sites';

export const zMachineConfig = z.strictObject({
  hubUrl: z.string().max(300).optional(),
  hubFingerprint: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'Empreinte SHA-256 attendue sous la forme AB:CD:… (32 octets).')
    .transform((f) => f.toUpperCase())
    .optional(),
  mode: z.enum(['ask', 'satellite', 'standalone']).optional(),
  site: z.enum(SITE_CODES).optional(),
  updatesUrl: z.url().optional(),
});
export type MachineConfig = z.infer<typeof zMachineConfig>;

export function machineConfigPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ESC_MACHINE_CONFIG) return env.ESC_MACHINE_CONFIG;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Accueil ESC', 'poste.json');
  return '/etc/xdg/accueil-esc/poste.json';
}

/** The machine-wide settings; an unreadable file is reported, never fatal (the desk still starts). */
export function readMachineConfig(path: string = machineConfigPath()): { config: MachineConfig; problem: string | null } {
  if (!existsSync(path)) return { config: {}, problem: null };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { config: {}, problem: `Le fichier de configuration du poste ${path} n’est pas du JSON valide : il est ignoré.` };
  }
  const parsed = zMachineConfig.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { config: {}, problem: `Le fichier de configuration du poste ${path} est ignoré (${issue.path.join('.') || 'contenu'} : ${issue.message}).` };
  }
  return { config: parsed.data, problem: null };
}
