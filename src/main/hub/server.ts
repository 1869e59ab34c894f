/**
 * The site hub's transport: JSON-RPC over `POST /rpc` and WebSocket `/rpc`, the contract at
 * `GET /rpc/schema`, `GET /health`, and the built renderer (with `/display` and every other
 * client route falling back to index.html). Plain Node: no Electron, no framework.
 *
 * Every request first passes the transport defences of decision 008: connection caps, server
 * timeouts, the Host and Origin checks (origin.ts), request rates (limits.ts); WebSocket clients
 * are served with flow control (socket.ts).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { App } from '../api/app';
import { Router } from '../api/router';
import type { Connection } from '../api/types';
import { log } from '../api/log';
import { rpcSchemaJson } from '../api/schema';
import { SCHEMA_VERSION } from '../store/migrations';
import { limitSignIn, SignInLimiter } from './rate-limit';
import type { HubTls } from './tls';
import { activePairingCode, pairDevice, resolveDevice } from '../core/devices/devices';
import { AppError, JSONRPC_ERROR_NUMBERS } from '../../shared/api/errors';
import { pairingPage } from './pairing-page';
import { serveUpdates, UPDATES_PATH } from './updates';
import { verdictOf, versionRefusal } from './contract-check';
import { buildInfo } from '../runtime/build-info';
import { CONTRACT_VERSION } from '../../shared/api/version';
import { HostPolicy, isJsonContentType, originAllowed, ownOrigin, REFUSALS } from './origin';
import { AddressRates, applyServerTimeouts, ConnectionCaps, resolveLimits, serverTimeoutOptions, type HubLimits } from './limits';
import { serveSocket } from './socket';
import { encodeResponse } from './encode';
import { PairingTries } from './pairing-tries';

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

/**
 * Content Security Policy of the served UI: everything from the hub itself, nothing else. The
 * hub names the WebSocket origin the page was served from (`wss://host:port`, as the renderer's
 * client builds it from `location.host`): browsers that do not count ws/wss as 'self' still
 * reach their hub, and no other.
 */
export function hubCsp(socketOrigin?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "media-src 'self' data:",
    socketOrigin ? `connect-src 'self' ${socketOrigin}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy without a socket origin (the desktop window, which talks over IPC). */
export const HUB_CSP = hubCsp();

/** HSTS on HTTPS: a browser that reached the hub over TLS never falls back to plain HTTP. */
export const HSTS = 'max-age=31536000';

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
  /** Limits against slow and greedy clients (DEFAULT_LIMITS for what is not given). */
  limits?: Partial<HubLimits> | undefined;
  /** Names the hub answers to besides its own (a DNS alias set up by IT). */
  names?: string[] | undefined;
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
  // same-origin, not no-referrer: under no-referrer a browser sends `Origin: null` with the pairing
  // form's POST, which the Origin check must refuse; nothing is ever sent to another origin.
  res.setHeader('Referrer-Policy', 'same-origin');
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

type Body = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'timeout' } | { kind: 'aborted' };

/** Reads a request body of at most MAX_BODY bytes, within `timeoutMs` (a body dripped is cut). */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolveBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Body): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolveBody(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY) done({ kind: 'too-large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => done({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') });
    const onError = (): void => done({ kind: 'aborted' });
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}

/** Answers a body that did not arrive in time (or at all) and closes the connection. */
function bodyFailed(res: ServerResponse, body: Exclude<Body, { kind: 'ok' }>): void {
  if (body.kind === 'too-large') {
    sendJson(res, 413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Requête trop volumineuse.', data: { code: 'VALIDATION' } } });
    return;
  }
  if (body.kind === 'timeout' && !res.headersSent) {
    res.setHeader('Connection', 'close');
    sendJson(res, 408, { error: 'Requête trop lente : délai dépassé.' });
  }
  res.socket?.destroySoon();
}

function rpcError(status: number, message: string, code: 'VALIDATION' | 'UNAVAILABLE'): { status: number; body: unknown } {
  return { status, body: { jsonrpc: '2.0', id: null, error: { code: JSONRPC_ERROR_NUMBERS[code], message, data: { code } } } };
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
  const limits = resolveLimits(options.limits);
  const tlsOn = Boolean(options.tls);
  const hostPolicy = new HostPolicy({ host, lan: tlsOn, certificate: options.tls?.cert, extraNames: options.names });
  const addressRates = new AddressRates(limits.addressRate, limits.addressBurst);
  const caps = new ConnectionCaps(limits);
  const pairingTries = new PairingTries();
  const addressOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

  const handleRpcPost = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A cross-site page can post text/plain or a form without a preflight: JSON only.
    if (!isJsonContentType(req.headers['content-type'])) {
      const refused = rpcError(415, REFUSALS.contentType, 'VALIDATION');
      res.setHeader('Connection', 'close');
      sendJson(res, refused.status, refused.body);
      return;
    }
    const body = await readBody(req, limits.bodyTimeoutMs);
    if (body.kind !== 'ok') {
      bodyFailed(res, body);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body.text);
    } catch {
      sendJson(res, 200, Router.parseError());
      return;
    }
    const address = addressOf(req);
    const cost = Array.isArray(message) ? Math.min(Math.max(message.length, 1), 51) : 1;
    if (!addressRates.of(address).tryTake(cost)) {
      const refused = rpcError(429, 'Trop de requêtes depuis ce poste : patientez quelques secondes.', 'UNAVAILABLE');
      sendJson(res, refused.status, refused.body);
      return;
    }
    const verdict = verdictOf(req);
    if (!verdict.ok) {
      sendJson(res, 200, versionRefusal(verdict, message));
      return;
    }
    const conn: Connection = { token: bearer(req) };
    const refused = limitSignIn(limiter, address, message);
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
    securityHeaders(res);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(encodeResponse(response));
  };

  const serveStatic = async (req: IncomingMessage, pathname: string, res: ServerResponse): Promise<void> => {
    if (!staticDir) {
      sendJson(res, 404, { error: 'Interface non construite : lancez « npm run build ».' });
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // A malformed percent-encoding is the client's mistake, not the hub's: no error logged.
      sendJson(res, 400, { error: 'Adresse invalide : encodage des caractères incorrect.' });
      return;
    }
    const root = resolve(staticDir);
    let file = resolve(join(root, normalize(decoded)));
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
    const origin = ownOrigin(req, tlsOn);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isHtml ? 'no-cache' : 'public, max-age=31536000, immutable',
      ...(isHtml ? { 'Content-Security-Policy': hubCsp(origin ? origin.replace(/^http/, 'ws') : undefined) } : {}),
    });
    res.end(content);
  };

  /**
   * A file prepared by the job worker (report or journal export), fetched once by the session
   * that asked for it (`Authorization: Bearer`), streamed from disk, then deleted.
   */
  const serveDownload = (id: string, req: IncomingMessage, res: ServerResponse): void => {
    const token = bearer(req);
    const session = token ? app.services.resolveSession(token) : null;
    if (!session || session.locked) {
      sendJson(res, 401, { error: 'Session absente ou expirée : reconnectez-vous pour télécharger ce fichier.' });
      return;
    }
    const file = /^[A-Za-z0-9_-]{16,64}$/.test(id) ? app.services.downloads.take(id, session.tokenHash) : null;
    if (!file) {
      sendJson(res, 404, { error: 'Ce fichier n’est plus disponible (déjà téléchargé ou expiré) : relancez l’export.' });
      return;
    }
    securityHeaders(res);
    res.writeHead(200, {
      'Content-Type': file.mimeType,
      'Content-Length': String(file.size),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'Cache-Control': 'no-store',
    });
    const stream = createReadStream(file.file);
    res.on('close', () => {
      stream.destroy();
      app.services.downloads.finish(id);
    });
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const pairing = options.pairing ?? null;
  /** Whether a client may reach the app: no pairing required, trusted address, or paired device. */
  const deviceAdmitted = (address: string, token: string | null): boolean =>
    !pairing || pairing.trust(address) || (token !== null && resolveDevice(app.core, token, address) !== null);
  const admitted = (req: IncomingMessage): boolean => deviceAdmitted(addressOf(req), deviceToken(req));

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
    const address = addressOf(req);
    if (!limiter.allow(address)) {
      sendJson(res, 429, { error: 'Trop de tentatives depuis ce poste : réessayez dans une minute.' });
      return;
    }
    const body = await readBody(req, limits.bodyTimeoutMs);
    if (body.kind !== 'ok' && body.kind !== 'too-large') {
      bodyFailed(res, body);
      return;
    }
    const text = body.kind === 'ok' ? body.text : '';
    const isJson = isJsonContentType(req.headers['content-type']);
    let input: { name?: unknown; code?: unknown; proof?: unknown } = {};
    if (isJson) {
      try {
        input = JSON.parse(text) as typeof input;
      } catch {
        input = {};
      }
    } else {
      const form = new URLSearchParams(text);
      input = { name: form.get('name') ?? '', code: form.get('code') ?? '' };
    }
    const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
    const refuse = (message: string): void => {
      if (isJson) sendJson(res, 400, { error: message });
      else sendPage(res, 400, pairingPage({ siteName: app.core.site.name, fingerprint, error: message, name: str(input.name) }));
    };
    // Tries are counted per machine: one that has used its own cannot burn the code for the others.
    const code = activePairingCode(app.core)?.id ?? null;
    if (code && pairingTries.exhausted(code, address)) {
      refuse('Code d’appairage refusé : trop d’essais depuis ce poste pour ce code. Demandez un nouveau code à l’administration du site.');
      return;
    }
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
      const wrongCode = err instanceof AppError && err.code === 'VALIDATION' && (err.issues ?? []).some((i) => i.path === 'code');
      if (wrongCode && code && pairingTries.fail(code, address)) {
        refuse('Code d’appairage erroné ; trop d’essais depuis ce poste : demandez un nouveau code à l’administration du site.');
        return;
      }
      refuse(err instanceof AppError ? err.message : 'Appairage impossible.');
    }
  };

  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    if (tlsOn) res.setHeader('Strict-Transport-Security', HSTS);
    const run = async (): Promise<void> => {
      // DNS rebinding: another site's name pointed at the hub is not one of the hub's names.
      if (!hostPolicy.allows(req.headers.host)) {
        res.setHeader('Connection', 'close');
        sendJson(res, 421, { error: REFUSALS.host });
        return;
      }
      if (!originAllowed(req, tlsOn)) {
        sendJson(res, 403, { error: REFUSALS.origin });
        return;
      }
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
        securityHeaders(res);
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(rpcSchemaJson());
        return;
      }
      if (url.pathname === '/health' && req.method === 'GET') {
        sendJson(res, 200, { status: 'ok', site: app.core.site.code, version: buildInfo().version, commit: buildInfo().commit, contract: CONTRACT_VERSION, schemaVersion: SCHEMA_VERSION, time: new Date().toISOString() });
        return;
      }
      if (url.pathname.startsWith('/exports/') && req.method === 'GET') {
        serveDownload(url.pathname.slice('/exports/'.length), req, res);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: 'Méthode HTTP non prise en charge.' });
        return;
      }
      await serveStatic(req, url.pathname, res);
    };
    run().catch((err: unknown) => {
      log.error('hub.http_failure', { path: url.pathname.slice(0, 100), error: err instanceof Error ? err.name : 'unknown' });
      if (!res.headersSent) sendJson(res, 500, { error: 'Erreur interne du hub.' });
      else res.end();
    });
  };
  const timeouts = serverTimeoutOptions(limits);
  const server: Server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, handshakeTimeout: limits.tlsHandshakeTimeoutMs, ...timeouts }, handler)
    : createServer(timeouts, handler);
  applyServerTimeouts(server, limits);
  server.on('connection', (socket) => caps.admit(socket));

  // allowSynchronousEvents: false: one message per turn of the event loop, whatever one read brings.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY, allowSynchronousEvents: false });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/rpc') {
      socket.destroy();
      return;
    }
    if (!hostPolicy.allows(req.headers.host)) return refuse('421 Misdirected Request');
    // A page of another origin may open a WebSocket to any host: only the hub's own page may here.
    if (!originAllowed(req, tlsOn)) return refuse('403 Forbidden');
    const address = addressOf(req);
    const token = deviceToken(req);
    // Checked at the upgrade, then again at every message and event: a device revoked while
    // connected loses its socket.
    const deviceOk = (): boolean => deviceAdmitted(address, token);
    if (!deviceOk()) return refuse('401 Unauthorized');
    const verdict = verdictOf(req);
    const versionRefused = verdict.ok ? null : (message: unknown) => versionRefusal(verdict, message);
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, { app, address, limits, addressRate: addressRates.of(address), signInLimiter: limiter, deviceOk, refuse: versionRefused }));
  });

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
