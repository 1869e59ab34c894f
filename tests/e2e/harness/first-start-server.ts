/**
 * Test and development harness (never shipped): the desktop's first start in a browser. It makes
 * the same start decision as the desktop (setup/first-start.ts `decideStart`), serves the built
 * renderer at /premier-demarrage, and answers `POST /ipc` with the very function the desktop's IPC
 * handler calls (`handleFirstStartMessage`); the test gives the page a `window.escApi` that posts
 * there, so the renderer runs exactly as in Electron, over its IPC transport.
 *   node --import tsx tests/e2e/harness/first-start-server.ts --port N --user-data DIR
 *   (ESC_MACHINE_CONFIG=<file> for IT's machine-wide file)
 * GET /__outcome tells what the desk became: null, satellite or standalone.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { decideStart, FirstStart, handleFirstStartMessage, type FirstStartOutcome } from '../../../src/main/setup/first-start';
import { readMachineConfig } from '../../../src/main/setup/machine-config';
import { HUB_CSP } from '../../../src/main/hub/server';
import { rendererDir } from '../../../src/main/runtime/paths';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'user-data': { type: 'string' } } });
const port = Number(values.port);
const userData = resolve(values['user-data']!);
const renderer = rendererDir();
if (!renderer) throw new Error('out/renderer is not built');

const decision = await decideStart({ userData, machine: readMachineConfig(), deviceName: 'PC-ACCUEIL-07', hasBase: false });
const firstStart = decision.kind === 'first-start' ? new FirstStart(decision.options) : null;
const immediate: FirstStartOutcome | null = decision.kind === 'first-start' ? null : decision;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://harness.local');
  void (async () => {
    if (url.pathname === '/ipc' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      const answer = firstStart ? await handleFirstStartMessage(firstStart, JSON.parse(body)) : { jsonrpc: '2.0', id: null, error: { code: -32050, message: 'Déjà configuré.', data: { code: 'UNAVAILABLE' } } };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      return;
    }
    if (url.pathname === '/__outcome') {
      const outcome = immediate ?? firstStart?.outcome() ?? null;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ outcome: outcome?.kind ?? null }));
      return;
    }
    const file = resolve(join(renderer, normalize(url.pathname)));
    const asset = file.startsWith(renderer + sep) && extname(file) ? file : join(renderer, 'index.html');
    try {
      const content = await readFile(asset);
      res.writeHead(200, { 'Content-Type': TYPES[extname(asset)] ?? 'application/octet-stream', ...(asset.endsWith('.html') ? { 'Content-Security-Policy': HUB_CSP } : {}) }).end(content);
    } catch {
      res.writeHead(404).end();
    }
  })();
}).listen(port, '127.0.0.1', () => process.stdout.write(`first-start harness on http://127.0.0.1:${port}/\n`));
