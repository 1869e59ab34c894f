/**
 * TLS to the central server: a PostgreSQL with TLS on (its own embedded instance, certificate for
 * "localhost" signed by a test CA). verify-full accepts it with the CA and the right host name, and
 * refuses a wrong host name or an unknown CA with a French message; the sync runs over it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateCentral, enrollSite } from '../../src/main/central/admin';
import { startEmbeddedPostgres } from '../../src/main/central/embedded';
import { connectCentral } from '../../src/main/central/connect';
import { runSyncCycle } from '../../src/main/sync/client';
import { createTestSite, type TestSite } from '../fixtures/site';
import { seedSite } from '../../src/main/seed/generate';

let dir: string;
let server: { stop(): Promise<void> } | null = null;
let port: number;
let password: string;
let ca: string;
let site: TestSite;

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-pg-tls-'));
  chmodSync(dir, 0o777);
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Accueil ESC test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.crt', '-extfile', 'san.ext');
  ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
  chmodSync(join(dir, 'server.key'), 0o600);
  const pgServer = await startEmbeddedPostgres({
    dir,
    flags: ['-c', 'ssl=on', '-c', `ssl_cert_file=${join(dir, 'server.crt')}`, '-c', `ssl_key_file=${join(dir, 'server.key')}`],
    // As root, PostgreSQL runs as the `postgres` user (created by initdb if missing) and must own its key.
    beforeStart: () => {
      if (process.getuid?.() !== 0) return;
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
      for (const f of ['server.key', 'server.crt']) chownSync(join(dir, f), uid, -1);
    },
  });
  port = pgServer.port;
  password = pgServer.password;
  server = pgServer;
  await migrateCentral({ url: `postgres://postgres:${password}@localhost:${port}/postgres?sslmode=verify-full`, ca });
  site = await createTestSite('CENTRE');
  await seedSite(site.store, { seed: 'tls', end: '2026-04-10', days: 2 });
}, 120_000);

afterAll(async () => {
  site?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('TLS to the central server', () => {
  it('verify-full connects with the CA and the host name of the certificate, and the sync runs over it', async () => {
    const client = await connectCentral({ url: `postgres://postgres:${password}@localhost:${port}/postgres?sslmode=verify-full`, ca });
    const ssl = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    expect(ssl.rows[0]!.ssl).toBe(true);
    await client.end();
    const { url } = await enrollSite({ url: `postgres://postgres:${password}@localhost:${port}/postgres?sslmode=verify-full`, ca }, 'CENTRE');
    expect(url).toContain('sslmode=verify-full');
    const s = await runSyncCycle(site.store, 'CENTRE', { url, ca });
    expect(s.errors).toEqual([]);
    expect(s.pushed).toBeGreaterThan(100);
  });

  it('refuses a host name that is not the certificate’s, and a server signed by an unknown CA', async () => {
    const wrongHost = runSyncCycle(site.store, 'CENTRE', { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=verify-full`, ca });
    expect((await wrongHost).errors[0]).toMatch(/^Certificat du serveur central refusé/);
    const unknownCa = await runSyncCycle(site.store, 'CENTRE', { url: `postgres://postgres:${password}@localhost:${port}/postgres?sslmode=verify-full` });
    expect(unknownCa.errors[0]).toMatch(/^Certificat du serveur central refusé/);
    // sslmode=require encrypts without checking (documented as the weaker choice).
    const c = new pg.Client({ host: 'localhost', port, user: 'postgres', password, database: 'postgres', ssl: { rejectUnauthorized: false } });
    await c.connect();
    await c.end();
  });
});
