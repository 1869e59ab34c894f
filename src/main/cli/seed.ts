/**
 * `npm run seed`: fills site databases with realistic, fictitious activity (src/main/seed).
 *   --data-dir DIR [--key-file PATH] [--site CODE]   an existing site database (key: ESC_DB_KEY or --key-file)
 *   --demo                                           the demonstration database of `npm run hub` (created if missing)
 *   --site all|CODE --out DIR                        fresh databases DIR/<CODE>/accueil-esc.db, keys DIR/<CODE>.key
 * Common options: --days N (30), --end AAAA-MM-JJ (yesterday, Paris), --seed TEXT (accueil-esc).
 * Prints one JSON line: what was written, per site and in total, and the duration.
 */
import { existsSync } from 'node:fs';
import { makePrivateDir } from '../store/files';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { zPassword } from '../../shared/api/methods/session';
import { passwordWeakness } from '../core/accounts/strength';
import { isSiteCode, SITE_CODES, type SiteCode } from '../../shared/reference/sites';
import { addDays, localDay } from '../../shared/time/paris';
import { createApp } from '../api/app';
import { catchUpHousekeeping } from '../api/housekeeping';
import { systemClock } from '../core/context';
import { setupSite } from '../core/site/setup';
import { DEFAULT_SEED, isValidDay, seedSite, type SeedSummary, type SeedTotals } from '../seed/generate';
import { SeedError } from '../seed/errors';
import { SEED_PASSWORD } from '../seed/model';
import { openStore, type Store } from '../store/open';
import { CliError, flagString, parseArgs, type ParsedArgs } from './args';
import { DEMO_ADMIN, createDemoContent } from './demo';
import { DB_FILE } from './hub';
import { assertOutside, generateKeyHex, keyFromEnvOrFile, readKeyFile, writeKeyFile } from './keys';

const USAGE =
  'Utilisation :\n' +
  '  npm run seed -- --data-dir DOSSIER [--key-file CHEMIN] [--days N] [--end AAAA-MM-JJ] [--seed TEXTE]\n' +
  '  npm run seed -- --demo [--days N] [--end AAAA-MM-JJ] [--seed TEXTE]\n' +
  '  npm run seed -- --site all|CODE --out DOSSIER [--days N] [--end AAAA-MM-JJ] [--seed TEXTE]\n' +
  `Par défaut : 30 jours jusqu’à hier (heure de Paris), graine « ${DEFAULT_SEED} ».\n` +
  `Les comptes de démonstration créés (seed.accueil.*, seed.pro.*) ont le mot de passe « ${SEED_PASSWORD} ».\n`;

const KNOWN_FLAGS = new Set(['data-dir', 'key-file', 'days', 'end', 'seed', 'demo', 'site', 'out', 'help']);

interface Common {
  days: number;
  end: string;
  seed: string;
}

function parseCommon(args: ParsedArgs): Common {
  const daysText = flagString(args, 'days') ?? '30';
  if (!/^\d+$/.test(daysText) || Number(daysText) < 1 || Number(daysText) > 36_600) {
    throw new CliError(`--days attend un nombre entier de jours entre 1 et 36600 (reçu « ${daysText} »).`);
  }
  const today = localDay(new Date());
  const end = flagString(args, 'end') ?? addDays(today, -1);
  if (!isValidDay(end)) throw new CliError(`Date de fin invalide « ${end} » : attendu AAAA-MM-JJ (par exemple ${addDays(today, -1)}).`);
  if (end >= today) throw new CliError(`La date de fin doit être passée (au plus tard hier, ${addDays(today, -1)}) : reçu ${end}.`);
  const seed = flagString(args, 'seed') ?? DEFAULT_SEED;
  if (seed.trim().length === 0) throw new CliError('La graine (--seed) ne peut pas être vide.');
  return { days: Number(daysText), end, seed };
}

function parseSite(args: ParsedArgs): SiteCode | 'all' | undefined {
  const raw = flagString(args, 'site');
  if (raw === undefined) return undefined;
  const code = raw.toUpperCase();
  if (code === 'ALL') return 'all';
  if (!isSiteCode(code)) throw new CliError(`Site inconnu « ${raw} ». Sites possibles : ${SITE_CODES.join(', ')}, ou all.`);
  return code;
}

async function seedStore(store: Store, common: Common): Promise<SeedSummary & { housekeeping: Housekeeping }> {
  let summary: SeedSummary;
  try {
    summary = await seedSite(store, { seed: common.seed, end: common.end, days: common.days });
  } catch (err) {
    if (err instanceof SeedError) throw new CliError(err.message);
    throw err;
  }
  // Alone on the file (no hub has it open): the retention jobs run now, in whole statements, so
  // that a hub started next finds the base as a site whose housekeeping ran every day (person
  // keys older than their retention erased, notes cleared…) instead of a backlog of years to
  // work off while desks wait. With a hub running, the hub's own paced housekeeping does it.
  if (summary.journal !== 'delete') return { ...summary, housekeeping: null };
  const t0 = performance.now();
  const app = createApp(store);
  try {
    const done = catchUpHousekeeping(app.core);
    return { ...summary, housekeeping: { ...done, duration_ms: Math.round(performance.now() - t0) } };
  } finally {
    await app.close();
  }
}

/** What the seed's catch-up of the retention jobs changed (null: left to the running hub). */
type Housekeeping = (ReturnType<typeof catchUpHousekeeping> & { duration_ms: number }) | null;

interface SiteReport {
  site: string;
  file: string;
  key_file: string | null;
  from: string;
  to: string;
  open_days: number;
  journal: string;
  housekeeping: Housekeeping;
  totals: SeedTotals;
  duration_ms: number;
}

function report(summary: SeedSummary & { housekeeping: Housekeeping }, file: string, keyFile: string | null): SiteReport {
  return {
    site: summary.site,
    file,
    key_file: keyFile,
    from: summary.from,
    to: summary.to,
    open_days: summary.openDays,
    journal: summary.journal,
    housekeeping: summary.housekeeping,
    totals: summary.totals,
    duration_ms: summary.durationMs,
  };
}

/** Sums the totals of several sites (distinct persons are per site: person keys never match across sites). */
function sumTotals(list: SeedTotals[]): SeedTotals | null {
  if (list.length === 0) return null;
  const add = (a: unknown, b: unknown): unknown => {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(a as object)) out[k] = add((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    return out;
  };
  return list.slice(1).reduce((acc, t) => add(acc, t) as SeedTotals, list[0]!);
}

async function seedDataDir(args: ParsedArgs, common: Common, site: SiteCode | 'all' | undefined): Promise<SiteReport[]> {
  const dataDir = resolve(flagString(args, 'data-dir')!);
  if (site === 'all') throw new CliError('--site all crée six bases neuves : utilisez-le avec --out DOSSIER, pas avec --data-dir.');
  const keyFile = flagString(args, 'key-file');
  const key = keyFromEnvOrFile(keyFile, dataDir);
  if (!key) throw new CliError('Clé de la base absente : définissez ESC_DB_KEY ou passez --key-file CHEMIN.');
  const file = join(dataDir, DB_FILE);
  const store = openStore({ file, keyHex: key, mode: 'open' });
  try {
    const served = store.sqlite.prepare("SELECT value FROM meta WHERE key = 'site_code'").get() as { value: string } | undefined;
    if (site && served?.value !== site) {
      throw new CliError(`La base ${file} sert le site ${served?.value ?? '(aucun)'}, pas ${site} : rien n’a été modifié.`);
    }
    return [report(await seedStore(store, common), file, keyFile ? resolve(keyFile) : null)];
  } finally {
    store.close();
  }
}

/** The demo database of `npm run hub`, created the way the hub creates it if it is not there yet. */
async function seedDemo(common: Common): Promise<SiteReport[]> {
  const base = resolve(process.env.ESC_DEMO_DIR ?? join(homedir(), '.accueil-esc'));
  const dataDir = join(base, 'demo-data');
  const keyFile = join(base, 'demo-dev.key');
  const file = join(dataDir, DB_FILE);
  let store: Store;
  if (!existsSync(file)) {
    const key = existsSync(keyFile) ? readKeyFile(keyFile) : generateKeyHex();
    makePrivateDir(dataDir);
    store = openStore({ file, keyHex: key, mode: 'create' });
    try {
      await setupSite(store, { siteCode: 'BLOSNE', admin: DEMO_ADMIN }, systemClock);
      await createDemoContent(createApp(store).core);
    } catch (err) {
      store.close();
      throw err;
    }
    if (!existsSync(keyFile)) writeKeyFile(keyFile, key);
  } else {
    store = openStore({ file, keyHex: readKeyFile(keyFile), mode: 'open' });
  }
  try {
    return [report(await seedStore(store, common), file, keyFile)];
  } finally {
    store.close();
  }
}

async function adminPassword(): Promise<{ password: string; shown: string | null }> {
  const fromEnv = process.env.ESC_ADMIN_PASSWORD;
  if (fromEnv === undefined) return { password: DEMO_ADMIN.password, shown: DEMO_ADMIN.password };
  const pw = zPassword.safeParse(fromEnv);
  if (!pw.success) throw new CliError(`ESC_ADMIN_PASSWORD : ${pw.error.issues[0]!.message}`);
  const weak = await passwordWeakness(pw.data, [DEMO_ADMIN.login]);
  if (weak) throw new CliError(`ESC_ADMIN_PASSWORD : ${weak}`);
  return { password: pw.data, shown: null };
}

async function seedFresh(args: ParsedArgs, common: Common, site: SiteCode | 'all'): Promise<{ reports: SiteReport[]; admin: object }> {
  const out = resolve(flagString(args, 'out')!);
  const codes: SiteCode[] = site === 'all' ? [...SITE_CODES] : [site];
  const targets = codes.map((code) => ({ code, dataDir: join(out, code), file: join(out, code, DB_FILE), keyFile: join(out, `${code}.key`) }));
  const taken = targets.flatMap((t) => [t.file, t.keyFile]).filter((p) => existsSync(p));
  if (taken.length > 0) throw new CliError(`Déjà présent : ${taken.join(', ')}. Rien n’a été modifié : choisissez un autre dossier --out.`);
  const admin = await adminPassword();
  const reports: SiteReport[] = [];
  for (const t of targets) {
    assertOutside(t.keyFile, t.dataDir);
    const key = generateKeyHex();
    makePrivateDir(t.dataDir);
    const store = openStore({ file: t.file, keyHex: key, mode: 'create' });
    try {
      await setupSite(store, { siteCode: t.code, admin: { login: DEMO_ADMIN.login, displayName: DEMO_ADMIN.displayName, password: admin.password } }, systemClock);
      writeKeyFile(t.keyFile, key);
      reports.push(report(await seedStore(store, common), t.file, t.keyFile));
    } finally {
      store.close();
    }
  }
  return { reports, admin: { login: DEMO_ADMIN.login, password: admin.shown ?? '(ESC_ADMIN_PASSWORD)' } };
}

export async function seedCommand(argv: string[]): Promise<void> {
  const started = Date.now();
  const args = parseArgs(argv);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE);
    return;
  }
  const unknown = [...args.flags.keys()].filter((f) => !KNOWN_FLAGS.has(f));
  if (unknown.length > 0) throw new CliError(`Option inconnue : --${unknown[0]}.\n${USAGE}`);
  if (args.positional.length > 0) throw new CliError(`Argument inattendu « ${args.positional[0]} ».\n${USAGE}`);
  const modes = ['data-dir', 'demo', 'out'].filter((m) => args.flags.has(m));
  if (modes.length !== 1) throw new CliError(`Choisissez une cible : --data-dir, --demo ou --site … --out.\n${USAGE}`);
  if (args.flags.has('demo') && args.flags.get('demo') !== true) throw new CliError('--demo ne prend pas de valeur.');
  const common = parseCommon(args);
  const site = parseSite(args);
  if (args.flags.has('key-file') && !args.flags.has('data-dir')) throw new CliError('--key-file ne s’utilise qu’avec --data-dir.');
  if (args.flags.has('demo') && site) throw new CliError('--demo remplit la base de démonstration (site BLOSNE) : --site ne s’applique pas.');
  if (args.flags.has('out') && !site) throw new CliError('--out crée des bases neuves : précisez --site all ou --site CODE.');

  let reports: SiteReport[];
  let admin: object | undefined;
  if (args.flags.has('data-dir')) reports = await seedDataDir(args, common, site);
  else if (args.flags.has('demo')) reports = await seedDemo(common);
  else ({ reports, admin } = await seedFresh(args, common, site!));

  const line = {
    seed: common.seed,
    days: common.days,
    end: common.end,
    sites: reports,
    totals: sumTotals(reports.map((r) => r.totals)),
    seed_accounts: { logins: 'seed.accueil.*, seed.pro.*', password: SEED_PASSWORD },
    ...(admin ? { admin } : {}),
    duration_ms: Date.now() - started,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
