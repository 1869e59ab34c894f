/**
 * The site hub's transport: JSON-RPC over `POST /rpc` and WebSocket `/rpc`, the contract at
 * `GET /rpc/schema`, `GET /health`, and the built renderer (with `/display` and every other
 * client route falling back to index.html). Plain Node: no Electron, no framework.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { contractJsonSchema, type EventName } from '../../shared/api/contract';
import type { JsonRpcNotification } from '../../shared/api/jsonrpc';
import type { App } from '../api/app';
import { Router } from '../api/router';
import type { Connection } from '../api/types';
import { log } from '../api/log';
import { SCHEMA_VERSION } from '../store/migrations';
import { limitSignIn, SignInLimiter } from './rate-limit';
import type { HubTls } from './tls';
import { pairDevice, resolveDevice } from '../core/devices/devices';
import { AppError } from '../../shared/api/errors';
import { pairingPage } from './pairing-page';
import { serveUpdates, UPDATES_PATH } from './updates';
import { verdictOf, versionRefusal } from './contract-check';
import { buildInfo } from '../runtime/build-info';
import { CONTRACT_VERSION } from '../../shared/api/version';

const MAX_BODY = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

/** Content Security Policy of the served UI: everything from the hub itself, nothing else. */
export const HUB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "media-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HubOptions {
  app: App;
  host: string;
  port: number;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string | null;
  /** Sign-in attempts allowed per client address (default: 10 a minute). */
  signInLimiter?: SignInLimiter;
  /** LAN mode: HTTPS and WSS with this certificate. */
  tls?: HubTls | null | undefined;
  /**
   * Device pairing: clients whose address is not trusted (default: all but loopback) must
   * present a paired device's token (cookie `esc_device` or header `X-Esc-Device`).
   */
  pairing?: { trust: (address: string) => boolean } | null | undefined;
  /** Folder of desktop installers and update feeds served at /mises-a-jour/ (hub/updates.ts). */
  updatesDir?: string | null | undefined;
}

export const DEVICE_COOKIE = 'esc_device';
const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
export const isLoopback = (address: string): boolean => LOOPBACK_ADDRESSES.has(address);

function deviceToken(req: IncomingMessage): string | null {
  const header = req.headers['x-esc-device'];
  if (typeof header === 'string' && header) return header;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === DEVICE_COOKIE && v.length) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface RunningHub {
  server: Server;
  url: string;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** The pairing page's own policy: no script at all, its form posts to the hub only. */
const PAIRING_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function sendPage(res: ServerResponse, status: number, html: string): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': PAIRING_CSP });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  securityHeaders(res);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

export function startHub(options: HubOptions): Promise<RunningHub> {
  const { app, host, port, staticDir } = options;
  const router = app.router;
  const limiter = options.signInLimiter ?? new SignInLimiter();

  const handleRpcPost = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (body === null) {
      sendJson(res, 413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Requête trop volumineuse.', data: { code: 'VALIDATION' } } });
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      sendJson(res, 200, Router.parseError());
      return;
    }
    const verdict = verdictOf(req);
    if (!verdict.ok) {
      sendJson(res, 200, versionRefusal(verdict, message));
      return;
    }
    const conn: Connection = { token: bearer(req) };
    const refused = limitSignIn(limiter, req.socket.remoteAddress ?? 'unknown', message);
    if (refused) {
      sendJson(res, 429, refused);
      return;
    }
    const response = await router.handle(message, conn);
    if (response === null) {
      securityHeaders(res);
      res.writeHead(204).end();
      return;
    }
    sendJson(res, 200, response);
  };

  const serveStatic = async (pathname: string, res: ServerResponse): Promise<void> => {
    if (!staticDir) {
      sendJson(res, 404, { error: 'Interface non construite : lancez « npm run build ».' });
      return;
    }
    const root = resolve(staticDir);
    let file = resolve(join(root, normalize(decodeURIComponent(pathname))));
    if (file !== root && !file.startsWith(root + sep)) {
      sendJson(res, 404, { error: 'introuvable' });
      return;
    }
    let isFile = false;
    try {
      isFile = (await stat(file)).isFile();
    } catch {
      isFile = false;
    }
    // Client routes (/, /display, /comptes…) all load the single-page app.
    if (!isFile) {
      if (extname(pathname)) {
        sendJson(res, 404, { error: 'introuvable' });
        return;
      }
      file = join(root, 'index.html');
    }
    const content = await readFile(file);
    securityHeaders(res);
    const isHtml = file.endsWith('.html');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
      ...(isHtml ? { 'Content-Security-Policy': HUB_CSP } : {}),
    });
    res.end(content);
  };

  const pairing = options.pairing ?? null;
  /** Whether a client may reach the app: no pairing required, trusted address, or paired device. */
  const deviceAdmitted = (address: string, token: string | null): boolean =>
    !pairing || pairing.trust(address) || (token !== null && resolveDevice(app.core, token, address) !== null);
  const admitted = (req: IncomingMessage): boolean => deviceAdmitted(req.socket.remoteAddress ?? 'unknown', deviceToken(req));

  const handlePairing = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const fingerprint = options.tls?.fingerprint ?? '';
    if (req.method === 'GET') {
      sendPage(res, 200, pairingPage({ siteName: app.core.site.name, fingerprint }));
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'Méthode HTTP non prise en charge.' });
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!limiter.allow(address)) {
      sendJson(res, 429, { error: 'Trop de tentatives depuis ce poste : réessayez dans une minute.' });
      return;
    }
    const body = (await readBody(req)) ?? '';
    const isJson = (req.headers['content-type'] ?? '').includes('application/json');
    let input: { name?: unknown; code?: unknown; proof?: unknown } = {};
    if (isJson) {
      try {
        input = JSON.parse(body) as typeof input;
      } catch {
        input = {};
      }
    } else {
      const form = new URLSearchParams(body);
      input = { name: form.get('name') ?? '', code: form.get('code') ?? '' };
    }
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
    try {
      const paired = pairDevice(app.core, { name: str(input.name) ?? '', code: str(input.code), proof: str(input.proof), fingerprint, address });
      if (isJson) {
        sendJson(res, 200, { deviceId: paired.deviceId, token: paired.token, fingerprint });
        return;
      }
      securityHeaders(res);
      res.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${DEVICE_COOKIE}=${paired.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${5 * 365 * 86400}${options.tls ? '; Secure' : ''}`,
        'Cache-Control': 'no-store',
      });
      res.end();
    } catch (err) {
      const message = err instanceof AppError ? err.message : 'Appairage impossible.';
      if (isJson) sendJson(res, 400, { error: message });
      else sendPage(res, 400, pairingPage({ siteName: app.core.site.name, fingerprint, error: message, name: str(input.name) }));
    }
  };

  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const run = async (): Promise<void> => {
      if (url.pathname === '/appairage' && pairing) {
        await handlePairing(req, res);
        return;
      }
      if (url.pathname !== '/health' && !admitted(req)) {
        if (url.pathname === '/rpc' || url.pathname.startsWith('/rpc/') || url.pathname.startsWith(UPDATES_PATH)) {
          sendJson(res, 401, { error: 'Poste non appairé : appairez-le avec un code affiché sur le hub (page /appairage).' });
        } else {
          securityHeaders(res);
          res.writeHead(303, { Location: '/appairage', 'Cache-Control': 'no-store' });
          res.end();
        }
        return;
      }
      if (url.pathname.startsWith(UPDATES_PATH)) return serveUpdates(req, res, url.pathname, options.updatesDir ?? null);
      if (url.pathname === '/rpc') {
        if (req.method !== 'POST') {
          res.setHeader('Allow', 'POST');
          sendJson(res, 405, { error: 'Utilisez POST pour /rpc.' });
          return;
        }
        await handleRpcPost(req, res);
        return;
      }
      if (url.pathname === '/rpc/schema' && req.method === 'GET') {
        sendJson(res, 200, contractJsonSchema());
        return;
      }
      if (url.pathname === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok', site: app.core.site.code, version: buildInfo().version, commit: buildInfo().commit, contract: CONTRACT_VERSION, schemaVersion: SCHEMA_VERSION, time: new Date().toISOString() });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: 'Méthode HTTP non prise en charge.' });
        return;
      }
      await serveStatic(url.pathname, res);
    };
    run().catch((err: unknown) => {
      log.error('hub.http_failure', { path: url.pathname.slice(0, 100), error: err instanceof Error ? err.name : 'unknown' });
      if (!res.headersSent) sendJson(res, 500, { error: 'Erreur interne du hub.' });
      else res.end();
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    if (url.pathname !== '/rpc') {
      socket.destroy();
      return;
    }
    const address = req.socket.remoteAddress ?? 'unknown';
    const token = deviceToken(req);
    // Checked at the upgrade, then again at every message and event: a device revoked while
    // connected loses its socket.
    const deviceOk = (): boolean => deviceAdmitted(address, token);
    if (!deviceOk()) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const verdict = verdictOf(req);
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, address, deviceOk, verdict));
  });

  const attachSocket = (ws: WebSocket, address: string, deviceOk: () => boolean, verdict: ReturnType<typeof verdictOf>): void => {
    const conn: Connection = { token: null };
    const revoked = (): boolean => {
      if (deviceOk()) return false;
      ws.close(4401, 'Poste non appairé ou révoqué');
      return true;
    };
    const unsubscribe = app.bus.subscribe({
      principal: () => {
        if (revoked()) return null;
        // A locked desk receives nothing: no event may reveal data behind the lock screen.
        const session = conn.token ? app.services.resolveSession(conn.token) : null;
        return session && !session.locked ? session : null;
      },
      deliver: (name: EventName, payload: unknown) => {
        const note: JsonRpcNotification = { jsonrpc: '2.0', method: name, params: payload };
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(note));
      },
    });
    // Messages are processed one after the other, in order, per connection.
    let queue: Promise<void> = Promise.resolve();
    ws.on('message', (data) => {
      queue = queue.then(async () => {
        if (revoked()) return;
        let message: unknown;
        try {
          message = JSON.parse(data.toString());
        } catch {
          ws.send(JSON.stringify(Router.parseError()));
          return;
        }
        const response = !verdict.ok ? versionRefusal(verdict, message) : (limitSignIn(limiter, address, message) ?? (await router.handle(message, conn)));
        if (response !== null && ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      });
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
  };

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolvePromise({
        server,
        url: `${options.tls ? 'https' : 'http'}://${shownHost}:${actualPort}/`,
        close: () =>
          new Promise<void>((done) => {
            for (const c of wss.clients) c.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
