/**
 * Electron's security checklist, checked from the source (the Electron binary cannot run here):
 * window options, navigation and window-opening guards, IPC sender checks, CSP, preload surface.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const main = readFileSync('src/main/desktop/main.ts', 'utf8');
const preload = readFileSync('src/preload/index.ts', 'utf8');
const html = readFileSync('src/renderer/index.html', 'utf8');
const server = readFileSync('src/main/hub/server.ts', 'utf8');
const satellite = readFileSync('src/main/desktop/satellite.ts', 'utf8');

describe('Electron hardening', () => {
  it('creates windows with context isolation, the sandbox, and no Node in the page', () => {
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
    expect(main).toMatch(/nodeIntegrationInWorker:\s*false/);
    expect(main).toMatch(/webSecurity:\s*true/);
    expect(main).toMatch(/allowRunningInsecureContent:\s*false/);
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    expect(main).not.toMatch(/webviewTag:\s*true|nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false/);
  });

  it('denies navigation, new windows, webviews and permission requests', () => {
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/'will-navigate', \(e\) => e\.preventDefault\(\)/);
    expect(main).toMatch(/'will-attach-webview', \(e\) => e\.preventDefault\(\)/);
    expect(main).toMatch(/setPermissionRequestHandler\([^)]*\) => callback\(false\)\)/);
  });

  it('checks the sender of every IPC message', () => {
    expect(main).toMatch(/ipcMain\.handle\('rpc', async \(event, message: unknown\) => \{\s*if \(!trustedSender\(event\)\) return null;/);
    expect(main).toMatch(/function trustedSender\(event: IpcMainInvokeEvent\): boolean \{\s*if \(!windows\.has\(event\.sender\)\) return false;/);
  });

  it('serves a strict Content Security Policy to the page, in the desktop and from the hub', () => {
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]) expect(meta).toContain(directive);
    expect(meta).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(server).toMatch(/"frame-ancestors 'none'"/);
    expect(main).toMatch(/'Content-Security-Policy': \[HUB_CSP\]/);
  });

  it('exposes exactly invoke and subscribe through the preload, nothing of Node or Electron', () => {
    const exposed = [...preload.matchAll(/exposeInMainWorld\('([^']+)'/g)].map((m) => m[1]);
    expect(exposed).toEqual(['escApi']);
    const api = /const escApi = \{([\s\S]*?)\n\};/.exec(preload)?.[1] ?? '';
    const members = [...api.matchAll(/^ {2}([a-zA-Z]+)\(/gm)].map((m) => m[1]);
    expect(members).toEqual(['invoke', 'subscribe']);
    expect(preload).not.toMatch(/require\(|process\.|ipcRenderer\.send\(|exposeInMainWorld\('[^']+', ipcRenderer/);
  });

  it('in satellite mode: the same window options, no preload, only the hub’s origin, only the pinned certificate', () => {
    for (const option of [/contextIsolation:\s*true/, /sandbox:\s*true/, /nodeIntegration:\s*false/, /nodeIntegrationInWorker:\s*false/, /webSecurity:\s*true/, /allowRunningInsecureContent:\s*false/]) {
      expect(satellite).toMatch(option);
    }
    expect(satellite).not.toMatch(/webPreferences: \{[^}]*preload/);
    expect(satellite).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(satellite).toMatch(/if \(new URL\(url\)\.origin !== hub\.origin\) e\.preventDefault\(\)/);
    expect(satellite).toMatch(/setCertificateVerifyProc\(\(req, callback\) => callback\(req\.hostname === hub\.hostname && req\.certificate\.fingerprint === pinned \? 0 : -2\)\)/);
  });
});
