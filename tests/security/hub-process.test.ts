/**
 * Issue 13 item 17 (hub process): the LAN banner lists the addresses the hub is really reachable
 * on, with its real port; the database key given as ESC_DB_KEY is read once and leaves the
 * environment, so that no child process or worker thread of the hub inherits it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { startCliHub, stopChild } from './hub-helpers';

const dir = mkdtempSync(join(tmpdir(), 'esc-process-'));
const dataDir = join(dir, 'data');
const keyHex = randomBytes(32).toString('hex');
const env = { ESC_DB_KEY: keyHex, ESC_STATIC_DIR: join(dir, 'no-ui') };

beforeAll(() => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'hub', 'init', '--data-dir', dataDir, '--site', 'CENTRE', '--admin', 'admin'], {
    encoding: 'utf8',
    env: { ...process.env, ...env, ESC_ADMIN_PASSWORD: 'admin-password-1', ESC_LOG: 'silent' },
  });
  if (r.status !== 0) throw new Error(r.stdout + r.stderr);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const banner = (out: string) => ({
  listening: /Hub à l’écoute : (\S+)/.exec(out)?.[1],
  addresses: /Adresses : ([^\n]*)/.exec(out)?.[1]?.split(', ') ?? [],
});

function tlsReachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port), rejectUnauthorized: false }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.setTimeout(3000, () => {
      s.destroy();
      resolve(false);
    });
  });
}

describe('the LAN banner', () => {
  it('bound to one address, lists that address only, with the real port', async () => {
    const { child, out } = await startCliHub(['serve', '--data-dir', dataDir, '--host', '127.0.0.2', '--port', '0'], env, /Appairer un poste/);
    try {
      const b = banner(out());
      const port = new URL(b.listening!).port;
      expect(Number(port)).toBeGreaterThan(0);
      expect(b.addresses).toEqual([`https://127.0.0.2:${port}/`]);
      expect(await tlsReachable(b.addresses[0]!)).toBe(true);
    } finally {
      await stopChild(child);
    }
  }, 120_000);

  it('bound to every interface, lists each network address (reachable), with the real port', async () => {
    const { child, out } = await startCliHub(['serve', '--data-dir', dataDir, '--host', '0.0.0.0', '--port', '0'], env, /Appairer un poste/);
    try {
      const b = banner(out());
      const port = new URL(b.listening!).port;
      const expected = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && a.family === 'IPv4' && !a.internal)
        .map((a) => `https://${a!.address}:${port}/`);
      expect(b.addresses.sort()).toEqual(expected.sort());
      for (const url of b.addresses) expect(await tlsReachable(url), url).toBe(true);
    } finally {
      await stopChild(child);
    }
  }, 120_000);
});

describe('ESC_DB_KEY', () => {
  it('is read once at start: a child process or worker started by the hub does not see it', async () => {
    const { child, out } = await startCliHub(['serve', '--data-dir', dataDir, '--port', '0'], env, /Hub à l’écoute/, ['--import', 'tsx', '--import', './tests/security/hub-env-probe.ts']);
    try {
      child.kill('SIGUSR2');
      for (let i = 0; i < 100 && !out().includes('PROBE'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(/PROBE .*/.exec(out())?.[0]).toBe('PROBE hub=absent child=absent worker=absent');
      expect(out()).not.toContain(keyHex);
    } finally {
      await stopChild(child);
    }
  }, 120_000);
});
