/** The stamp a production build carries (`__ESC_BUILD__`): package version, git commit, build time. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitCommit } from '../src/main/runtime/build-info';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildStamp {
  version: string;
  commit: string | null;
  builtAt: string;
}

/** The stamp of this build: ESC_BUILD_STAMP when the caller already made one (one stamp for every part). */
export function buildStamp(): BuildStamp {
  if (process.env.ESC_BUILD_STAMP) return JSON.parse(process.env.ESC_BUILD_STAMP) as BuildStamp;
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, commit: gitCommit(ROOT), builtAt: new Date().toISOString() };
}
