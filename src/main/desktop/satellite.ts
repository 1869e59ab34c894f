/**
 * Desktop app in satellite mode: a desk or office PC that uses the site's LAN hub instead of a
 * database of its own. It shows the hub's UI in the same hardened window (no preload: the page
 * talks to the hub over WSS), trusts only the certificate pinned at pairing (first-start screen,
 * src/main/setup/pairing.ts), and presents its device token as the `esc_device` cookie.
 */
import { BrowserWindow, session } from 'electron';
import { electronFingerprint, type SatelliteConfig } from '../hub/satellite';

export async function startSatellite(config: SatelliteConfig): Promise<BrowserWindow> {
  const hub = new URL(config.hubUrl);
  const pinned = electronFingerprint(config.fingerprint);
  // Only the hub, and only with the pinned certificate: anything else is refused.
  session.defaultSession.setCertificateVerifyProc((req, callback) => callback(req.hostname === hub.hostname && req.certificate.fingerprint === pinned ? 0 : -2));
  await session.defaultSession.cookies.set({
    url: hub.origin,
    name: 'esc_device',
    value: config.deviceToken,
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    expirationDate: Date.now() / 1000 + 5 * 365 * 86400,
  });
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    title: `Accueil ESC – ${config.deviceName}`,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (new URL(url).origin !== hub.origin) e.preventDefault();
  });
  await win.loadURL(config.hubUrl);
  return win;
}
