/**
 * Export files no longer travel as base64 inside JSON answers: the worker writes them to a
 * private folder and the hub serves each once, to the session that asked, then deletes it. The
 * worker reads through its own read-only connection, opened with the key given explicitly.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { openStore } from '../../src/main/store/open';
import { createTestSite, rpc, signInAs, type TestSite } from '../fixtures/site';
import type { Connection } from '../../src/main/api/types';

let site: TestSite;
let hub: RunningHub;
let coord: Connection;
let other: Connection;

beforeAll(async () => {
  site = await createTestSite();
  coord = await signInAs(site, 'coord', 'coordinateur', 'CCAS');
  other = await signInAs(site, 'coord2', 'coordinateur', 'CDAS');
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null });
});
afterAll(async () => {
  await hub.close();
  site.close();
});

const get = (path: string, conn?: Connection) => fetch(new URL(path.slice(1), hub.url), { headers: conn?.token ? { Authorization: `Bearer ${conn.token}` } : {} });

describe('one-time downloads of export files', () => {
  it('serves the file once, to the session that asked only, then deletes it', async () => {
    const file = await rpc(site.app, coord, 'exports.report', { from: '2026-10-01', to: '2026-10-31', format: 'csv' });
    expect(file).not.toHaveProperty('base64');
    expect(file.url).toBe(`/exports/${file.downloadId}`);
    const folder = site.app.services.downloads.dir();
    expect(readdirSync(folder)).toHaveLength(1);

    expect((await get(file.url)).status).toBe(401);
    expect((await get(file.url, other)).status).toBe(404);
    const res = await get(file.url, coord);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('rapport-blosne-2026-10-01-2026-10-31.csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(file.size);
    expect(bytes.subarray(3).toString('utf8')).toMatch(/^Site;Du;Au;/);
    // Gone after the download: a second fetch is refused and the file is deleted.
    expect((await get(file.url, coord)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(folder)).toHaveLength(0);
    expect(site.app.services.downloads.count()).toBe(0);
  });

  it('refuses the chunks of someone else’s file over IPC too', async () => {
    const file = await rpc(site.app, coord, 'exports.report', { from: '2026-10-01', to: '2026-10-31', format: 'pdf' });
    await expect(rpc(site.app, other, 'exports.download', { downloadId: file.downloadId })).rejects.toMatchObject({ rpc: { data: { code: 'NOT_FOUND' } } });
    const part = await rpc(site.app, coord, 'exports.download', { downloadId: file.downloadId });
    expect(Buffer.from(part.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(part.done).toBe(true);
    await expect(rpc(site.app, coord, 'exports.download', { downloadId: file.downloadId })).rejects.toMatchObject({ rpc: { data: { code: 'NOT_FOUND' } } });
  });

  it('gives the worker a read-only connection and never puts the key in the environment', async () => {
    const reader = site.store.readerOptions();
    expect(reader).toMatchObject({ file: site.file, readOnly: true, mode: 'open' });
    expect(Object.keys(site.store)).not.toContain('keyHex');
    expect(Object.values(site.store).filter((v) => typeof v === 'string')).not.toContain(site.keyHex);
    const ro = openStore(reader);
    try {
      expect(() => ro.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('x', 'y')").run()).toThrow(/readonly|read-only|query_only/i);
      expect(ro.sqlite.prepare("SELECT value FROM meta WHERE key = 'site_code'").pluck().get()).toBe('BLOSNE');
    } finally {
      ro.close();
    }
    await rpc(site.app, coord, 'stats.period', { from: '2026-10-01', to: '2026-10-31' });
    expect(Object.values(process.env).some((v) => v?.includes(site.keyHex))).toBe(false);
    expect(existsSync(site.file)).toBe(true);
  });
});
