/**
 * Which build is running: the package version and the git commit it was built from. A production
 * build (esbuild for the hub, electron-vite for the desktop) defines `__ESC_BUILD__`; from the
 * sources (tsx, vitest) the version comes from package.json and the commit from git, if any.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  /** package.json version, e.g. "0.1.0". */
  version: string;
  /** Short git commit, or null when built outside a git checkout. */
  commit: string | null;
  /** When the build was made (ISO instant), or null when running from the sources. */
  builtAt: string | null;
  /** True in a production build (bundled JavaScript), false from the TypeScript sources. */
  bundled: boolean;
}

declare const __ESC_BUILD__: { version: string; commit: string | null; builtAt: string } | undefined;

let cached: BuildInfo | null = null;

/** The repository root, when running from the sources (src/main/runtime/ → ../../..). */
export function sourceRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '../../..');
}

/** The short commit of a git checkout, or null (no git, not a checkout). */
export function gitCommit(cwd: string): string | null {
  const r = spawnSync('git', ['rev-parse', '--short=10', 'HEAD'], { cwd, encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0) return null;
  const commit = r.stdout.trim();
  if (!/^[0-9a-f]{7,40}$/.test(commit)) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', timeout: 5000 });
  return dirty.status === 0 && dirty.stdout.trim() !== '' ? `${commit}-modifié` : commit;
}

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  if (typeof __ESC_BUILD__ !== 'undefined') {
    cached = { ...__ESC_BUILD__, bundled: true };
  } else {
    const root = sourceRoot();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    cached = { version: pkg.version, commit: gitCommit(root), builtAt: null, bundled: false };
  }
  return cached;
}

/** "0.1.0 (a1b2c3d4e5)" — how the version reads in the UI, /health and the support bundle. */
export function versionLabel(info: BuildInfo = buildInfo()): string {
  return info.commit ? `${info.version} (${info.commit})` : info.version;
}
