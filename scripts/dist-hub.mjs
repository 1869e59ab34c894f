// `npm run dist:hub`: the site hub as a Debian package, built with Debian's own `dpkg-deb`
// (no download), from the production build (`npm run build` first):
//   /usr/lib/accueil-esc/hub/        the bundled hub and CLI (out/hub, plain JavaScript)
//   /usr/lib/accueil-esc/renderer/   the built UI (out/renderer)
//   /usr/lib/accueil-esc/node_modules/  the production closure of the bundle's external
//                                    dependencies (out/hub/package.json), computed from
//                                    package-lock.json and copied from node_modules: exactly what
//                                    `npm ci --omit=dev` would install for them, with the native
//                                    SQLite module compiled on this machine
//   /usr/bin/accueil-esc-hub, the systemd unit, /etc/accueil-esc/hub.conf, maintainer scripts
//                                    (resources/debian/)
// Output: dist/accueil-esc-hub_<version>_<arch>.deb. See docs/decisions/025-production-build.md.
// `--portable`: the same files as a plain folder for another system (a Windows server, with the
// native module npm compiled there), dist/accueil-esc-hub-<version>-<platform>-<arch>/, with
// `accueil-esc-hub.cmd` and an example hub.conf (docs/site-setup.md, "Windows server").
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const quiet = process.argv.includes('--quiet');
const portable = process.argv.includes('--portable');
const say = (text) => quiet || process.stdout.write(`${text}\n`);
const fail = (text) => {
  process.stderr.write(`Erreur : ${text}\n`);
  process.exit(1);
};

for (const f of ['hub/cli.js', 'hub/package.json', 'renderer/index.html', 'build-info.json']) {
  if (!existsSync(join(out, f))) fail(`out/${f} est absent : lancez d’abord « npm run build ».`);
}
const hubPkg = JSON.parse(readFileSync(join(out, 'hub/package.json'), 'utf8'));
const stamp = JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const arch = spawnSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).stdout?.trim() || 'amd64';
// Debian orders "~" before anything: 1.2.0-beta.1 → 1.2.0~beta.1 sorts before 1.2.0.
const debVersion = stamp.version.replace(/-/, '~');
const name = 'accueil-esc-hub';
const deb = join(root, 'dist', `${name}_${debVersion}_${arch}.deb`);

/** The lockfile key of `dep` as Node would resolve it from the package at `from` (a lockfile key). */
function resolveDep(dep, from) {
  let base = from;
  for (;;) {
    const key = `${base ? `${base}/` : ''}node_modules/${dep}`;
    if (lock.packages[key]) return key;
    if (!base) return null;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** Every package the externals need at run time: dependencies, optional ones present, required peers. */
function productionClosure(roots) {
  const seen = new Set();
  const stack = roots.map((d) => resolveDep(d, '') ?? fail(`${d} est absent de package-lock.json.`));
  while (stack.length) {
    const key = stack.pop();
    if (seen.has(key)) continue;
    const entry = lock.packages[key];
    if (entry.dev) fail(`${key} est une dépendance de développement : il ne peut pas être livré.`);
    seen.add(key);
    const optional = entry.optionalDependencies ?? {};
    for (const dep of Object.keys({ ...entry.dependencies, ...optional })) {
      const found = resolveDep(dep, key);
      if (found && existsSync(join(root, found))) stack.push(found);
      else if (!(dep in optional)) fail(`${dep} (requis par ${key}) est introuvable.`);
    }
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      if (entry.peerDependenciesMeta?.[dep]?.optional) continue;
      const found = resolveDep(dep, key);
      if (found) stack.push(found);
    }
  }
  return [...seen].sort();
}

// What a running hub never reads: types, sources maps, docs, tests, browser builds, the SQLite
// sources and build intermediates (only the compiled module is kept).
// Folders dropped at a package's top level only (a `lib/doc/` may well be code: exceljs's is).
const DROP_TOP = new Set(['test', 'tests', 'docs', 'doc', 'example', 'examples', 'benchmark', 'benchmarks', 'coverage', '.nyc_output']);
const DROP_ANYWHERE = new Set(['.github', '__tests__']);
const DROP_FILE = /(\.d\.ts|\.d\.mts|\.d\.cts|\.map|\.tsbuildinfo|\.md|\.markdown)$|^(\.eslintrc.*|\.prettierrc.*|\.editorconfig|\.travis\.yml|tsconfig\.json|Makefile|binding\.gyp)$/;
const KEEP_FILE = /^(license|licence|copying|notice)/i;
const PACKAGE_PRUNE = {
  // The compiled module and its JavaScript; not the bundled SQLite sources (14 MB) nor the object files.
  'better-sqlite3': (rel) => rel === 'package.json' || rel.startsWith('lib/') || rel === 'build/Release/better_sqlite3.node' || KEEP_FILE.test(basename(rel)),
  // Browser bundles ("browser" field); Node uses "main".
  exceljs: (rel) => !rel.startsWith('dist/'),
  pdfmake: (rel) => !rel.startsWith('build/'),
};

function copyPackage(key, dest) {
  const src = join(root, key);
  const pkgName = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  if (pkgName.startsWith('@types/')) return 0;
  const keep = PACKAGE_PRUNE[pkgName] ?? (() => true);
  let bytes = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      const rel = relative(src, abs).split('\\').join('/');
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || DROP_ANYWHERE.has(entry.name) || (dir === src && DROP_TOP.has(entry.name))) continue;
        walk(abs);
      } else if (entry.isFile()) {
        if ((DROP_FILE.test(entry.name) && !KEEP_FILE.test(entry.name)) || !keep(rel)) continue;
        mkdirSync(join(dest, dirname(rel)), { recursive: true });
        cpSync(abs, join(dest, rel));
        bytes += statSync(abs).size;
      }
    }
  };
  walk(src);
  return bytes;
}

const externals = Object.keys(hubPkg.dependencies ?? {});
const closure = productionClosure(externals);

/** The hub, the UI and the production node_modules, as they run: `<lib>/hub/cli.js`. */
function stageApp(lib) {
  mkdirSync(lib, { recursive: true });
  cpSync(join(out, 'hub'), join(lib, 'hub'), { recursive: true });
  cpSync(join(out, 'renderer'), join(lib, 'renderer'), { recursive: true });
  cpSync(join(out, 'build-info.json'), join(lib, 'build-info.json'));
  let moduleBytes = 0;
  for (const key of closure) moduleBytes += copyPackage(key, join(lib, key));
  say(`  ${closure.length} paquets npm de production (${externals.join(', ')} et leurs dépendances), ${(moduleBytes / 1048576).toFixed(1)} Mio`);
}

if (portable) {
  const dest = join(root, 'dist', `accueil-esc-hub-${stamp.version}-${process.platform}-${process.arch}`);
  rmSync(dest, { recursive: true, force: true });
  say(`Dossier ${relative(root, dest)}…`);
  stageApp(dest);
  const base = process.platform === 'win32' ? 'C:\\ProgramData\\Accueil ESC Hub' : '/var/lib/accueil-esc';
  const sep = process.platform === 'win32' ? '\\' : '/';
  writeFileSync(
    join(dest, 'accueil-esc-hub.cmd'),
    '@echo off\r\nrem accueil-esc-hub: the site hub\'s commands (init, serve, backup, restore, rekey, pair-code, sync, paths, version).\r\n' +
      'if not defined ESC_CONF_FILE set "ESC_CONF_FILE=%ProgramData%\\Accueil ESC Hub\\hub.conf"\r\nnode "%~dp0hub\\cli.js" service %*\r\n',
  );
  writeFileSync(
    join(dest, 'hub.conf.example'),
    readFileSync(join(root, 'resources/debian/hub.conf'), 'utf8')
      .replace(/^(ESC_[A-Z_]+_DIR)=\/var\/lib\/accueil-esc\/(.*)$/gm, (_m, k, v) => `${k}=${base}${sep}${v}`)
      .replace(/^ESC_KEY_FILE=.*$/m, `ESC_KEY_FILE=${base}${sep}cle${sep}site.key`)
      .replace(/^(# Sign-in attempts)/m, `# Log file, rotated by size (without systemd's journal).\nESC_LOG_FILE=${base}${sep}journal${sep}hub.log\n\n$1`),
  );
  say(`  ${relative(root, dest)} : hub/cli.js, renderer/, node_modules/, accueil-esc-hub.cmd, hub.conf.example`);
  process.exit(0);
}

const staging = join(root, 'dist', 'deb-staging');
rmSync(staging, { recursive: true, force: true });
const lib = join(staging, 'usr/lib/accueil-esc');
say(`Paquet ${name} ${debVersion} (${arch})…`);
stageApp(lib);

const res = join(root, 'resources/debian');
const install = (from, to, mode) => {
  mkdirSync(dirname(join(staging, to)), { recursive: true });
  cpSync(join(res, from), join(staging, to));
  chmodSync(join(staging, to), mode);
};
install('accueil-esc-hub', 'usr/bin/accueil-esc-hub', 0o755);
install('accueil-esc-hub.service', 'usr/lib/systemd/system/accueil-esc-hub.service', 0o644);
install('hub.conf', 'etc/accueil-esc/hub.conf', 0o640);
install('README', 'usr/share/doc/accueil-esc-hub/README', 0o644);
for (const script of ['preinst', 'postinst', 'prerm', 'postrm']) install(script, `DEBIAN/${script}`, 0o755);
writeFileSync(join(staging, 'DEBIAN/conffiles'), '/etc/accueil-esc/hub.conf\n');
writeFileSync(
  join(staging, 'usr/share/doc/accueil-esc-hub/copyright'),
  'Accueil ESC – hub du site.\nThird-party npm packages under /usr/lib/accueil-esc/node_modules keep their own licence files;\n' +
    'the licences of the packages bundled into /usr/lib/accueil-esc/hub/*.js are listed in the *.LEGAL.txt files beside them.\n',
);

const du = spawnSync('du', ['-sk', '--exclude=DEBIAN', staging], { encoding: 'utf8' });
const installedKb = Number(du.stdout.split(/\s/)[0]) || 0;
writeFileSync(
  join(staging, 'DEBIAN/control'),
  [
    `Package: ${name}`,
    `Version: ${debVersion}`,
    `Architecture: ${arch}`,
    'Maintainer: Accueil ESC <accueil-esc@invalid.invalid>',
    // The native SQLite module is compiled for Node.js 20's ABI (NODE_MODULE_VERSION 115).
    'Depends: nodejs (>= 20.19), nodejs (<< 21), adduser, util-linux',
    'Recommends: systemd',
    'Section: misc',
    'Priority: optional',
    `Installed-Size: ${installedKb}`,
    'Description: Accueil ESC - hub du site (Espaces sociaux communs de Rennes)',
    ' The site hub of Accueil ESC, the shared first-reception desk of the',
    ' Espaces sociaux communs of Rennes: live queue, contact log, warm hand-overs',
    ' and figures, on an encrypted SQLite database, served to the desks of the',
    ` site over HTTPS. Version ${stamp.version}${stamp.commit ? ` (commit ${stamp.commit})` : ''}.`,
    '',
  ].join('\n'),
);

mkdirSync(dirname(deb), { recursive: true });
rmSync(deb, { force: true });
// --root-owner-group: every file root:root without fakeroot; the maintainer scripts set the rest.
const built = spawnSync('dpkg-deb', ['--root-owner-group', '-Zxz', '-z6', '--build', staging, deb], { encoding: 'utf8' });
if (built.status !== 0) fail(`dpkg-deb : ${built.stderr || built.stdout}`);
rmSync(staging, { recursive: true, force: true });
say(`  ${relative(root, deb)} (${(statSync(deb).size / 1048576).toFixed(1)} Mio)`);
