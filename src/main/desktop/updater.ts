/**
 * Desktop updates, kept thin: electron-updater with a generic feed on the desk's own site hub
 * (`https://<hub>:4780/mises-a-jour/`, hub/updates.ts), driven by the pure policy of
 * src/main/updates/policy.ts (when to check, when to offer, what to say). Downloads happen in the
 * background; the restart is offered, never imposed, and refused while someone is being received
 * at this desk (the page reports it in `window.escReceiving`, src/renderer/src/receiving.ts); a
 * downloaded update is otherwise installed when the app is closed.
 */
import { app, dialog, session, type BrowserWindow } from 'electron';
import electronUpdater from 'electron-updater';
import { log } from '../api/log';
import { localTime } from '../../shared/time/paris';
import { electronFingerprint, type SatelliteConfig } from '../hub/satellite';
import {
  initialUpdateState,
  offerDecision,
  offerText,
  reduceUpdate,
  restartDecision,
  shouldCheck,
  statusLine,
  type DeskActivity,
  type UpdateEvent,
  type UpdateState,
} from '../updates/policy';

export interface UpdatesOptions {
  /** Base URL of the feed, ending in /mises-a-jour/. */
  feedUrl: string;
  /** Satellite desks: the hub's pinned certificate and the device token its admission needs. */
  satellite?: SatelliteConfig | undefined;
  /** The window whose page says who is being received here. */
  window: () => BrowserWindow | null;
}

export interface Updates {
  status(): string;
  restart(): Promise<void>;
}

const TICK_MS = 60_000;

async function activity(win: BrowserWindow | null): Promise<DeskActivity> {
  if (!win || win.isDestroyed()) return { receiving: 0 };
  try {
    const n = (await win.webContents.executeJavaScript('Number(window.escReceiving ?? 0)', true)) as unknown;
    return { receiving: typeof n === 'number' && Number.isFinite(n) ? n : 1 };
  } catch {
    // Unknown is treated as busy: never restart on a guess.
    return { receiving: 1 };
  }
}

export function startUpdates(options: UpdatesOptions): Updates {
  const { autoUpdater } = electronUpdater;
  let state: UpdateState = initialUpdateState(Date.now());
  let offering = false;
  const apply = (event: UpdateEvent) => {
    state = reduceUpdate(state, event);
  };

  if (options.satellite) {
    // electron-updater uses its own session: pin the hub's certificate there too, and present the device.
    const pinned = electronFingerprint(options.satellite.fingerprint);
    const host = new URL(options.satellite.hubUrl).hostname;
    session.fromPartition('electron-updater', { cache: false }).setCertificateVerifyProc((req, cb) => cb(req.hostname === host && req.certificate.fingerprint === pinned ? 0 : -2));
    autoUpdater.requestHeaders = { 'X-Esc-Device': options.satellite.deviceToken };
  }
  autoUpdater.setFeedURL({ provider: 'generic', url: options.feedUrl });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  // electron-updater's own messages hold URLs and paths: the log gets codes only.
  autoUpdater.logger = null;
  autoUpdater.on('update-available', (info: { version: string }) => {
    apply({ type: 'update-available', version: info.version });
    log.info('update.available', { version: info.version });
  });
  autoUpdater.on('update-not-available', () => apply({ type: 'update-not-available' }));
  autoUpdater.on('download-progress', (p: { percent: number }) => apply({ type: 'download-progress', percent: p.percent }));
  autoUpdater.on('update-downloaded', (info: { version: string }) => {
    apply({ type: 'update-downloaded', version: info.version });
    log.info('update.downloaded', { version: info.version });
  });
  autoUpdater.on('error', (err: Error & { code?: string }) => {
    apply({ type: 'error', code: err.code ?? null });
    log.warn('update.failed', { code: err.code ?? err.name });
  });

  const restart = async (): Promise<void> => {
    const win = options.window();
    const decision = restartDecision(state, await activity(win));
    if (!decision.allowed) {
      await dialog.showMessageBox({ type: 'info', title: 'Mise à jour d’Accueil ESC', message: decision.message });
      return;
    }
    log.info('update.restart', { version: state.version });
    autoUpdater.quitAndInstall(true, true);
  };

  const tick = async (): Promise<void> => {
    const now = Date.now();
    if (shouldCheck(state, now)) {
      apply({ type: 'check-started', at: now });
      autoUpdater.checkForUpdates().catch(() => undefined);
      return;
    }
    if (offering) return;
    const win = options.window();
    if (!offerDecision(state, await activity(win), now).offer) return;
    offering = true;
    try {
      const text = offerText(state);
      const opts = { type: 'info' as const, title: text.title, message: text.message, detail: text.detail, buttons: text.buttons, defaultId: 0, cancelId: 1 };
      const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
      if (response === 0) await restart();
      else apply({ type: 'dismissed', at: Date.now() });
    } finally {
      offering = false;
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  setTimeout(() => void tick(), 31_000);
  app.once('before-quit', () => clearInterval(timer));

  return { status: () => statusLine(state, (ms) => localTime(new Date(ms))), restart };
}
