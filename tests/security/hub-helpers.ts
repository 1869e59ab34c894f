/**
 * Helpers of the hub security suite: a real hub over a real encrypted site database, a built-UI
 * stand-in folder, and raw HTTP/TCP clients that can set any header (Host, Origin) and bind a
 * chosen loopback source address (127.0.0.x) to play several machines.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { spawn, type ChildProcess } from 'node:child_process';

export { makeStaticDir, startTestHub, type TestHub } from '../fixtures/hub';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  port: number;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Source address of the client (127.0.0.x plays another machine). */
  localAddress?: string;
  /** TLS: the certificate to trust, and the name to check it against. */
  ca?: string;
  servername?: string;
}

/** One HTTP(S) request on its own connection, any header allowed (Host included). */
export function raw(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const make = r.ca ? httpsRequest : httpRequest;
    const req = make(
      {
        host: '127.0.0.1',
        port: r.port,
        method: r.method ?? 'GET',
        path: r.path ?? '/',
        headers: r.headers,
        agent: false,
        ...(r.localAddress ? { localAddress: r.localAddress } : {}),
        ...(r.ca ? { ca: r.ca, servername: r.servername ?? 'localhost' } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

export const loginBody = (login: string, password: string, id: number | string = 1) => JSON.stringify({ jsonrpc: '2.0', id, method: 'session.login', params: { login, password } });

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the real CLI (`npm run hub -- …` without the wrapper) and waits for a line of its banner. */
export function startCliHub(args: string[], env: Record<string, string>, readyWhen: RegExp, extraNodeArgs: string[] = []): Promise<{ child: ChildProcess; out: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...extraNodeArgs, '--import', 'tsx', 'src/main/cli/index.ts', 'hub', ...args], {
      env: { ...process.env, ESC_LOG: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (readyWhen.test(out)) {
        clearTimeout(timer);
        resolve({ child, out: () => out });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}): ${out}`));
    });
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
