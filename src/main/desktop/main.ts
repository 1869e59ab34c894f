/**
 * Electron shell, kept thin: one hardened window, the IPC transport of the same router the hub
 * runs, and the safeStorage-wrapped key. Every behaviour lives in core/api, which the hub runs too;
 * the first start (setup/first-start.ts), pairing (setup/pairing.ts) and the update policy
 * (updates/policy.ts) are plain modules the tests drive without Electron.
 */
import { join } from 'node:path';
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { makePrivateDir } from '../store/files';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { createApp, type App } from '../api/app';
import type { Connection } from '../api/types';
import { openStore, StoreError, type Store } from '../store/open';
import { openWithRecoveryKey } from '../store/recovery';
import { recordAudit } from '../core/audit/audit';
import { systemClock } from '../core/context';
import { setupSite } from '../core/site/setup';
import { isSiteCode } from '../../shared/reference/sites';
import { KeyStorageError, loadOrCreateKey, rewrapKey } from './key';
import { formatRecoveryKey, generateKeyHex } from '../cli/keys';
import { HUB_CSP } from '../hub/server';
import { startHousekeeping } from '../api/housekeeping';
import { startSatellite } from './satellite';
import { startUpdates, type Updates } from './updater';
import { configureLog, log } from '../api/log';
import { readMachineConfig, type MachineConfig } from '../setup/machine-config';
import { decideStart, FirstStart, handleFirstStartMessage, type FirstStartOutcome } from '../setup/first-start';
import type { SatelliteConfig } from '../hub/satellite';
import { buildInfo } from '../runtime/build-info';

const DB_FILE = 'accueil-esc.db';
const connections = new WeakMap<WebContents, Connection>();

function rendererIndex(): string {
  return join(import.meta.dirname, '../renderer/index.html');
}

const windows = new Set<WebContents>();

/** Only our own windows, showing our own bundled page, may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  if (!windows.has(event.sender)) return false;
  const url = event.senderFrame?.url ?? '';
  return url.startsWith('file://') && url.includes('/renderer/index.html');
}

/**
 * The app window, or the waiting-room display (`#/display`, full screen on a second screen when
 * one is connected). Both run the same renderer through the same router as the hub.
 */
function createWindow(core: App | null, route: '/' | '/display' | '/recuperation' | '/premier-demarrage' = '/'): BrowserWindow {
  const display = route === '/display';
  const external = display ? screen.getAllDisplays().find((d) => d.id !== screen.getPrimaryDisplay().id) : undefined;
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    ...(external ? { x: external.bounds.x, y: external.bounds.y, fullscreen: true } : {}),
    title: display ? 'Accueil ESC – salle d’attente' : 'Accueil ESC',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      // The display announces calls with a chime without anyone clicking on it.
      autoplayPolicy: display ? 'no-user-gesture-required' : 'user-gesture-required',
    },
  });
  windows.add(win.webContents);
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => win.show());
  connections.set(win.webContents, { token: null });
  const unsubscribe = !core ? () => undefined : core.bus.subscribe({
    principal: () => {
      const token = connections.get(win.webContents)?.token;
      const s = token ? core!.services.resolveSession(token) : null;
      return s && !s.locked ? s : null;
    },
    deliver: (name, payload) => {
      if (!win.isDestroyed()) win.webContents.send('rpc:event', name, payload);
    },
  });
  const contents = win.webContents;
  win.on('closed', () => {
    unsubscribe();
    windows.delete(contents);
  });
  void win.loadFile(rendererIndex(), route === '/' ? undefined : { hash: route });
  return win;
}

async function openOrCreate(dataDir: string, keyHex: string, created: boolean, machine: MachineConfig): Promise<Store> {
  const file = join(dataDir, DB_FILE);
  if (!created) return openStore({ file, keyHex, mode: 'open' });
  const store = openStore({ file, keyHex, mode: 'create' });
  const site = (machine.site ?? process.env.ESC_SITE ?? 'BLOSNE').toUpperCase();
  if (!isSiteCode(site)) throw new Error(`Site inconnu : ${site}`);
  // The first administrator gets a one-time password, shown once, to change at first sign-in.
  const password = generateKeyHex().slice(0, 16);
  await setupSite(store, { siteCode: site, admin: { login: 'admin', displayName: 'Administration du site', password } }, systemClock);
  store.sqlite.prepare("UPDATE accounts SET must_change_password = 1 WHERE login = 'admin'").run();
  await dialog.showMessageBox({
    type: 'info',
    title: 'Accueil ESC – première installation',
    message:
      `Site ${site} initialisé.\nIdentifiant : admin\nMot de passe provisoire : ${password}\n\n` +
      `Clé de secours de la base (rouvre les données sur un autre poste si le trousseau de celui-ci change) :\n${formatRecoveryKey(keyHex)}\n\n` +
      'Notez-les et rangez la clé de secours en lieu sûr : elles ne seront plus affichées.',
  });
  return store;
}

/**
 * The recovery screen: the renderer's "Clé de secours" page, whose only working call is
 * `recovery.unlock`. A key that opens the base is wrapped again with this machine's keyring.
 */
function recover(dbFile: string, wrappedKeyFile: string): Promise<{ store: Store; window: BrowserWindow }> {
  return new Promise((resolve) => {
    const win = createWindow(null, '/recuperation');
    const reply = (id: unknown, error: { code: number; kind: string; message: string } | null) =>
      error ? { jsonrpc: '2.0', id: id ?? null, error: { code: error.code, message: error.message, data: { code: error.kind } } } : { jsonrpc: '2.0', id, result: { ok: true } };
    ipcMain.handle('rpc', (event, message: unknown) => {
      if (!trustedSender(event)) return null;
      const m = (typeof message === 'object' && message !== null ? message : {}) as { id?: unknown; method?: unknown; params?: { key?: unknown } };
      if (m.method !== 'recovery.unlock') {
        return reply(m.id, { code: -32050, kind: 'UNAVAILABLE', message: 'Base verrouillée : saisissez la clé de secours du site.' });
      }
      try {
        const { store, keyHex } = openWithRecoveryKey(dbFile, typeof m.params?.key === 'string' ? m.params.key : '');
        rewrapKey(wrappedKeyFile, keyHex);
        ipcMain.removeHandler('rpc');
        resolve({ store, window: win });
        return reply(m.id, null);
      } catch (err) {
        return reply(m.id, { code: -32602, kind: 'VALIDATION', message: err instanceof Error ? err.message : 'Clé de secours refusée.' });
      }
    });
  });
}

/**
 * The first-start screen: the renderer's « Premier démarrage » page, whose calls (setup.*) are
 * answered by setup/first-start.ts until this PC is a satellite of its hub or a standalone desk.
 */
async function firstStart(options: ConstructorParameters<typeof FirstStart>[0]): Promise<{ outcome: FirstStartOutcome; window: BrowserWindow }> {
  const setup = new FirstStart(options);
  const window = createWindow(null, '/premier-demarrage');
  ipcMain.handle('rpc', async (event, message: unknown) => {
    if (!trustedSender(event)) return null;
    return handleFirstStartMessage(setup, message);
  });
  const outcome = await setup.done;
  ipcMain.removeHandler('rpc');
  // Closed by the caller once the app's own window is open (closing all windows would quit).
  return { outcome, window };
}

function updatesMenu(updates: Updates | null): Electron.MenuItemConstructorOptions[] {
  if (!updates) return [];
  return [
    {
      label: 'Mises à jour…',
      click: () => {
        void dialog
          .showMessageBox({ type: 'info', title: 'Mises à jour d’Accueil ESC', message: updates.status(), detail: `Version installée : ${buildInfo().version}`, buttons: ['Redémarrer pour mettre à jour', 'Fermer'], defaultId: 1, cancelId: 1 })
          .then(({ response }) => (response === 0 ? updates.restart() : undefined));
      },
    },
    { type: 'separator' },
  ];
}

async function runSatellite(config: SatelliteConfig): Promise<void> {
  const win = await startSatellite(config);
  const updates = startUpdates({ feedUrl: new URL('mises-a-jour/', config.hubUrl).href, satellite: config, window: () => (win.isDestroyed() ? null : win) });
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ label: 'Accueil ESC', submenu: [...updatesMenu(updates), { role: 'quit', label: 'Quitter' }] }]));
  app.on('window-all-closed', () => app.quit());
}

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [HUB_CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const userData = app.getPath('userData');
  // Size-bounded log files, no personal data (api/log.ts); also in the support bundle.
  configureLog({ file: { path: join(userData, 'logs', 'accueil-esc.log'), maxBytes: 1024 * 1024, keep: 4 } });
  log.info('desktop.start', { version: buildInfo().version });
  const machine = readMachineConfig();
  const dataDir = join(userData, 'data');
  makePrivateDir(dataDir);
  const wrappedKeyFile = join(userData, 'db-key.bin');
  const dbFile = join(dataDir, DB_FILE);
  // A paired satellite uses the site's LAN hub (no database of its own); a new PC is asked what it is.
  const decision = await decideStart({ userData, machine, deviceName: hostname(), hasBase: existsSync(dbFile) });
  let outcome: FirstStartOutcome;
  let setupWindow: BrowserWindow | null = null;
  if (decision.kind === 'first-start') ({ outcome, window: setupWindow } = await firstStart(decision.options));
  else outcome = decision;
  if (outcome.kind === 'satellite') {
    await runSatellite(outcome.config);
    setupWindow?.close();
    return;
  }
  let store: Store;
  let recoveryWindow: BrowserWindow | null = null;
  try {
    // A base without its wrapped key (copied from another PC, key file lost) needs the recovery key.
    if (existsSync(dbFile) && !existsSync(wrappedKeyFile)) throw new KeyStorageError('La clé de la base est absente de ce poste.', true);
    const { keyHex, created } = loadOrCreateKey(wrappedKeyFile);
    store = await openOrCreate(dataDir, keyHex, created, machine.config);
  } catch (err) {
    const recoverable = (err instanceof KeyStorageError && err.recoverable) || (err instanceof StoreError && err.code === 'WRONG_KEY');
    if (!recoverable) throw err;
    ({ store, window: recoveryWindow } = await recover(dbFile, wrappedKeyFile));
  }
  const core = createApp(store, undefined, { runMode: 'desktop', walCheckpointer: {} });
  if (recoveryWindow) {
    // The journal keeps the trace of the base reopened with the recovery key on this PC.
    core.core.store.sqlite.transaction(() =>
      recordAudit(core.core, { actor: null, action: 'key.recovered', entity: 'key', entityId: null, diff: { keyring: { before: 'illisible', after: 'reprotégée' } } }),
    )();
  }
  startHousekeeping(core);

  ipcMain.handle('rpc', async (event, message: unknown) => {
    if (!trustedSender(event)) return null;
    const conn = connections.get(event.sender);
    if (!conn) return null;
    return core.router.handle(message, conn);
  });

  const mainWindow = createWindow(core);
  recoveryWindow?.close();
  setupWindow?.close();
  // A standalone desk updates from the feed IT names in the machine-wide file, if any.
  const updatesUrl = machine.config.updatesUrl;
  const updates = updatesUrl ? startUpdates({ feedUrl: updatesUrl, window: () => (mainWindow.isDestroyed() ? null : mainWindow) }) : null;
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      {
        label: 'Accueil ESC',
        submenu: [
          { label: 'Ouvrir l’écran de la salle d’attente', click: () => createWindow(core, '/display') },
          { type: 'separator' },
          ...updatesMenu(updates),
          { role: 'quit', label: 'Quitter' },
        ],
      },
      { label: 'Édition', submenu: [{ role: 'undo', label: 'Annuler' }, { role: 'redo', label: 'Rétablir' }, { type: 'separator' }, { role: 'cut', label: 'Couper' }, { role: 'copy', label: 'Copier' }, { role: 'paste', label: 'Coller' }] },
    ]),
  );
  app.on('window-all-closed', () => {
    void core.close().finally(() => {
      store.close();
      app.quit();
    });
  });
}

app.enableSandbox();
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start, () => app.quit());
  process.on('unhandledRejection', (err) => {
    dialog.showErrorBox('Accueil ESC', err instanceof Error ? err.message : 'Erreur au démarrage.');
    app.quit();
  });
}
