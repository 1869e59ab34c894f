/**
 * Crash safety: the hub process is killed with SIGKILL at a random moment of a burst of writes,
 * many times. The database always reopens, passes integrity_check, and holds every write that
 * had been acknowledged to a client. ESC_CRASH_RUNS raises the number of kills (default keeps CI fast).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open';
import { setupSite } from '../../src/main/core/site/setup';
import { createApp } from '../../src/main/api/app';
import { createAccount } from '../../src/main/core/accounts/accounts';
import { systemClock } from '../../src/main/core/context';

const RUNS = Number(process.env.ESC_CRASH_RUNS ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'esc-crash-'));
const keyHex = randomBytes(32).toString('hex');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startHub(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'hub', 'serve', '--data-dir', dir, '--port', '0'], {
      env: { ...process.env, ESC_DB_KEY: keyHex, ESC_LOG: 'silent', ESC_STATIC_DIR: join(dir, 'no-ui') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => reject(new Error(`hub exited: ${out}`)));
  });
}

async function rpc(url: string, token: string | null, method: string, params: unknown): Promise<{ result?: { id: string; token: string }; error?: unknown }> {
  const res = await fetch(new URL('rpc', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: { id: string; token: string }; error?: unknown };
}

describe('crash safety', () => {
  it(`keeps every acknowledged write through ${RUNS} SIGKILLs during write bursts`, async () => {
    const store = openStore({ file: join(dir, 'accueil-esc.db'), keyHex, mode: 'create' });
    await setupSite(store, { siteCode: 'BLOSNE', admin: { login: 'admin', displayName: 'Admin', password: 'admin-password-1' } }, systemClock);
    await createAccount(createApp(store).core, null, { login: 'agent', displayName: 'Agent', role: 'agent_accueil', institution: 'CCAS', password: 'agent-password-1', mustChangePassword: false });
    store.close();

    const acknowledged: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { child, url } = await startHub();
      const token = (await rpc(url, null, 'session.login', { login: 'agent', password: 'agent-password-1' })).result!.token;
      const exited = new Promise((r) => child.on('exit', r));
      let stop = false;
      const writer = async () => {
        while (!stop) {
          try {
            const r = await rpc(url, token, 'queue.add', { serviceCode: 'ACCUEIL', firstName: `run${run}` });
            if (r.result) acknowledged.push(r.result.id);
          } catch {
            return; // connection cut by the kill: this write was never acknowledged
          }
        }
      };
      const writers = [writer(), writer(), writer()];
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
      child.kill('SIGKILL');
      stop = true;
      await exited;
      await Promise.all(writers);

      const reopened = openStore({ file: join(dir, 'accueil-esc.db'), keyHex, mode: 'open' });
      expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const present = new Set((reopened.sqlite.prepare('SELECT id FROM queue_entries').all() as { id: string }[]).map((r) => r.id));
      const lost = acknowledged.filter((id) => !present.has(id));
      expect(lost, `run ${run}: acknowledged writes lost`).toEqual([]);
      reopened.close();
    }
    expect(acknowledged.length).toBeGreaterThan(RUNS * 3);
  }, 180_000);
});
