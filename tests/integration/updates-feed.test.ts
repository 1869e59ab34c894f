/**
 * The update feed the site hub serves at /mises-a-jour/, read by electron-updater's own code:
 * its generic provider (the one the desktop uses) finds the new version in latest.yml, and its
 * differential downloader rebuilds the new installer from the old one with real range requests
 * (several ranges per request, multipart/byteranges) against blockmaps made by electron-builder's
 * own blockmap builder, and latest.yml written by its YAML writer. Then the HTTP details one by one: content types, single and suffix
 * ranges, 416, HEAD, and every way out of the updates folder refused.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationToken, type BlockMap, type UpdateInfo } from 'builder-util-runtime';
import { GenericProvider } from 'electron-updater/out/providers/GenericProvider';
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider';
import type { AppUpdater } from 'electron-updater';
import { GenericDifferentialDownloader } from 'electron-updater/out/differentialDownloader/GenericDifferentialDownloader';
import { NodeHttpExecutor } from 'builder-util/out/nodeHttpExecutor';
import { serializeToYaml } from 'builder-util';
import { buildBlockMap } from 'app-builder-lib/out/targets/blockmap/blockmap';
import { startHub, type RunningHub } from '../../src/main/hub/server';
import { createTestSite, type TestSite } from '../fixtures/site';

let site: TestSite;
let hub: RunningHub;
let dir: string;
let updates: string;
const OLD = 'accueil-esc-setup-0.1.0.exe';
const NEW = 'accueil-esc-setup-0.2.0.exe';
const requests: { method: string; url: string; range: string | undefined }[] = [];
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const executor = new NodeHttpExecutor();

/** Deterministic "installer" bytes: a real installer is compressed data, as random as this. */
function bytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha512').update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha512').update(block).digest();
  }
  return out;
}

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64');

beforeAll(async () => {
  site = await createTestSite();
  dir = mkdtempSync(join(tmpdir(), 'esc-updates-'));
  updates = join(dir, 'mises-a-jour');
  mkdirSync(updates);
  // Version 0.2.0 keeps most of 0.1.0: three regions changed, 40 KiB inserted in the middle.
  const old = bytes('0.1.0', 1536 * 1024);
  const next = Buffer.concat([old.subarray(0, 700 * 1024), bytes('inserted', 40 * 1024), old.subarray(700 * 1024)]);
  bytes('patch-1', 3000).copy(next, 100_000);
  bytes('patch-2', 9000).copy(next, 1_100_000);
  bytes('patch-3', 500).copy(next, next.length - 2000);
  writeFileSync(join(updates, OLD), old);
  writeFileSync(join(updates, NEW), next);
  // The blockmaps electron-builder writes beside each installer (the old one stays for deltas).
  const oldInfo = await buildBlockMap(join(updates, OLD), 'gzip', join(updates, `${OLD}.blockmap`));
  const newInfo = await buildBlockMap(join(updates, NEW), 'gzip', join(updates, `${NEW}.blockmap`));
  expect(oldInfo.sha512).toBe(sha512(old));
  writeFileSync(
    join(updates, 'latest.yml'),
    serializeToYaml({ version: '0.2.0', files: [{ url: NEW, sha512: newInfo.sha512, size: newInfo.size }], path: NEW, sha512: newInfo.sha512, releaseDate: '2026-12-01T10:00:00.000Z' }),
  );
  writeFileSync(join(updates, 'accueil-esc-0.2.0-x86_64.AppImage'), bytes('appimage', 1000));
  writeFileSync(join(updates, 'accueil-esc_0.2.0_amd64.deb'), bytes('deb', 1000));
  writeFileSync(join(updates, '.cache'), 'hidden');
  mkdirSync(join(updates, 'ancien'));
  writeFileSync(join(updates, 'ancien', 'latest.yml'), 'version: 0.0.1');
  writeFileSync(join(dir, 'secret.txt'), 'outside the updates folder');
  symlinkSync(join(dir, 'secret.txt'), join(updates, 'lien.txt'));
  hub = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null, updatesDir: updates });
  hub.server.on('request', (req: { method: string; url: string; headers: Record<string, string | undefined> }) => requests.push({ method: req.method, url: req.url, range: req.headers.range }));
});

afterAll(async () => {
  await hub.close();
  site.close();
  rmSync(dir, { recursive: true, force: true });
});

function provider(platform: 'win32' | 'linux', isUseMultipleRangeRequest = true): GenericProvider {
  // What AppUpdater gives the provider: its channel (none) and cache-busting choice.
  const updater = { channel: null, isAddNoCacheQuery: false } as unknown as AppUpdater;
  const runtime = { executor: executor as unknown as ProviderRuntimeOptions['executor'], platform, isUseMultipleRangeRequest };
  return new GenericProvider({ provider: 'generic', url: new URL('mises-a-jour/', hub.url).href }, updater, runtime);
}

async function blockMap(url: URL): Promise<BlockMap> {
  const gz = await executor.downloadToBuffer(url, { headers: {}, cancellationToken: new CancellationToken(), timeout: 10_000 } as never);
  return JSON.parse(gunzipSync(gz).toString('utf8')) as BlockMap;
}

describe('electron-updater against the hub’s feed', () => {
  it('finds version 0.2.0 in latest.yml with the generic provider, as the desktop does', async () => {
    const info: UpdateInfo = await provider('win32').getLatestVersion();
    expect(info.version).toBe('0.2.0');
    const [file] = provider('win32').resolveFiles(info);
    expect(file!.url.href).toBe(new URL(`mises-a-jour/${NEW}`, hub.url).href);
    expect(file!.info.size).toBe(readFileSync(join(updates, NEW)).length);
  });

  it.each([
    ['several ranges per request (multipart/byteranges)', true],
    ['one range per request', false],
  ])('rebuilds the new installer from the old one with %s, downloading only what changed', async (_label, multiple) => {
    const p = provider('win32', multiple);
    const info = await p.getLatestVersion();
    const [file] = p.resolveFiles(info);
    const [oldUrl, newUrl] = await p.getBlockMapFiles(file!.url, '0.1.0', '0.2.0');
    expect(oldUrl!.pathname).toBe(`/mises-a-jour/${OLD}.blockmap`);
    const [oldMap, newMap] = await Promise.all([blockMap(oldUrl!), blockMap(newUrl!)]);
    const out = join(dir, `rebuilt-${String(multiple)}.exe`);
    const before = requests.length;
    await new GenericDifferentialDownloader(file!.info as never, executor as never, {
      newUrl: file!.url,
      oldFile: join(updates, OLD),
      newFile: out,
      logger: silent,
      requestHeaders: null,
      isUseMultipleRangeRequest: multiple,
      cancellationToken: new CancellationToken(),
    }).download(oldMap, newMap);
    expect(sha512(readFileSync(out))).toBe(info.sha512 ?? file!.info.sha512);
    const ranges = requests.slice(before).map((r) => r.range).filter((r): r is string => Boolean(r));
    expect(ranges.length).toBeGreaterThan(0);
    if (multiple) expect(ranges.some((r) => r.includes(','))).toBe(true);
    const asked = ranges.flatMap((r) => r.replace('bytes=', '').split(',')).reduce((n, spec) => {
      const [a, b] = spec.trim().split('-').map(Number);
      return n + (b! - a! + 1);
    }, 0);
    // Far less than the 1.5 MiB installer: the regions that changed and their blocks.
    expect(asked).toBeLessThan(readFileSync(join(updates, NEW)).length / 4);
  });

  it('serves latest-linux.yml to the Linux desks the same way', async () => {
    writeFileSync(join(updates, 'latest-linux.yml'), serializeToYaml({ version: '0.2.0', files: [{ url: 'accueil-esc-0.2.0-x86_64.AppImage', sha512: sha512(bytes('appimage', 1000)), size: 1000 }] }));
    const info = await provider('linux').getLatestVersion();
    expect(info.files[0]!.url).toBe('accueil-esc-0.2.0-x86_64.AppImage');
  });
});

describe('the /mises-a-jour/ HTTP details', () => {
  const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, hub.url), init);

  it('gives each file its content type, byte ranges and revalidation', async () => {
    const cases: [string, string][] = [
      ['latest.yml', 'text/yaml; charset=utf-8'],
      [NEW, 'application/vnd.microsoft.portable-executable'],
      [`${NEW}.blockmap`, 'application/octet-stream'],
      ['accueil-esc-0.2.0-x86_64.AppImage', 'application/vnd.appimage'],
      ['accueil-esc_0.2.0_amd64.deb', 'application/vnd.debian.binary-package'],
    ];
    for (const [name, type] of cases) {
      const res = await get(`/mises-a-jour/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(type);
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(updates, name)))).toBe(true);
    }
  });

  it('answers one range with 206 and Content-Range, a suffix range, HEAD, and 416 beyond the end', async () => {
    const file = readFileSync(join(updates, NEW));
    const one = await get(`/mises-a-jour/${NEW}`, { headers: { Range: 'bytes=10-19' } });
    expect(one.status).toBe(206);
    expect(one.headers.get('content-range')).toBe(`bytes 10-19/${file.length}`);
    expect(Buffer.from(await one.arrayBuffer()).equals(file.subarray(10, 20))).toBe(true);
    const tail = await get(`/mises-a-jour/${NEW}`, { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 5))).toBe(true);
    const head = await get(`/mises-a-jour/${NEW}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(file.length));
    const beyond = await get(`/mises-a-jour/${NEW}`, { headers: { Range: `bytes=${file.length + 10}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${file.length}`);
    // Overlapping ranges adding up to more than the file: the whole file instead (no amplification).
    const greedy = await get(`/mises-a-jour/${NEW}`, { headers: { Range: `bytes=0-,0-,0-` } });
    expect(greedy.status).toBe(200);
    expect(Number(greedy.headers.get('content-length'))).toBe(file.length);
    await greedy.arrayBuffer();
  });

  it('answers several ranges with one multipart/byteranges body, parts in the order asked', async () => {
    const file = readFileSync(join(updates, NEW));
    const res = await get(`/mises-a-jour/${NEW}`, { headers: { Range: 'bytes=100-109, 5-9' } });
    expect(res.status).toBe(206);
    const boundary = /boundary=(\S+)/.exec(res.headers.get('content-type')!)![1]!;
    expect(res.headers.get('content-type')).toMatch(/^multipart\/byteranges; boundary=/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    const text = body.toString('latin1');
    const parts = text.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain(`Content-Range: bytes 100-109/${file.length}`);
    expect(parts[1]).toContain(`Content-Range: bytes 5-9/${file.length}`);
    expect(Buffer.from(parts[0]!.split('\r\n\r\n')[1]!.replace(/\r\n$/, ''), 'latin1').equals(file.subarray(100, 110))).toBe(true);
    expect(text.endsWith(`--${boundary}--\r\n`)).toBe(true);
  });

  it('never leaves the updates folder, never lists it, and only reads', async () => {
    for (const path of [
      '/mises-a-jour/',
      '/mises-a-jour/../package.json',
      '/mises-a-jour/%2e%2e/%2e%2e/package.json',
      '/mises-a-jour/..%2f..%2fpackage.json',
      '/mises-a-jour/%2fetc%2fpasswd',
      '/mises-a-jour/ancien/latest.yml',
      '/mises-a-jour/ancien%2flatest.yml',
      '/mises-a-jour/.cache',
      '/mises-a-jour/lien.txt',
      '/mises-a-jour/..%5c..%5csecret.txt',
      '/mises-a-jour/%E0%A4%A',
      '/mises-a-jour/inconnu.exe',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('outside the updates folder');
    }
    expect((await get(`/mises-a-jour/${NEW}`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('answers 404 when the hub has no updates folder', async () => {
    const bare = await startHub({ app: site.app, host: '127.0.0.1', port: 0, staticDir: null });
    try {
      expect((await fetch(new URL('mises-a-jour/latest.yml', bare.url))).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
