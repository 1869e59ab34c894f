/**
 * The desktop installers' configuration (electron-builder.yml), loaded and validated the way
 * `electron-builder` itself does before packaging (app-builder-lib's getConfig and
 * validateConfiguration against its own JSON schema, scheme.json): packaging itself needs Electron
 * and the installer tools, downloaded on a release machine only (docs/release.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';

const root = process.cwd();
const load = () => getConfig(root, null, null);
const validate = (config: Configuration) => validateConfiguration(config, new DebugLogger(false));

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await load();
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('refuses a misspelt option, so the validation above can fail', async () => {
    const config = await load();
    await expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } as Configuration['nsis'] })).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.nsis/);
    await expect(validate({ ...config, asarUnpak: ['x'] } as unknown as Configuration)).rejects.toThrow(/asarUnpak/);
  });

  it('builds a per-machine NSIS installer for Windows, with the hub pre-configurable at install time', async () => {
    const config = await load();
    expect(JSON.stringify(config.win?.target)).toContain('"nsis"');
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, allowToChangeInstallationDirectory: false, deleteAppDataOnUninstall: false });
    const include = readFileSync(config.nsis!.include as string, 'utf8');
    expect(include).toContain('!macro customInstall');
    expect(include).toContain('${GetOptions} $R0 "/HUB="');
    expect(include).toContain('Accueil ESC\\poste.json');
  });

  it('builds an AppImage and a .deb for Linux', async () => {
    const config = await load();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.deb?.packageName).toBe('accueil-esc');
  });

  it('rebuilds the native SQLite module for Electron and unpacks it from the asar', async () => {
    const config = await load();
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(config.asarUnpack).toContain('**/*.node');
    // The module the app loads under that name is the SQLCipher-capable one.
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; main: string };
    expect(pkg.dependencies['better-sqlite3']).toMatch(/^npm:better-sqlite3-multiple-ciphers@/);
    expect(pkg.main).toBe('./out/main/index.js');
    // getConfig normalises `files` to [{ filter: [...] }].
    expect(JSON.stringify(config.files)).toContain('"out/main/**","out/preload/**","out/renderer/**"');
  });

  it('writes update feeds for a generic server at /mises-a-jour/ and ships an icon large enough for every target', async () => {
    const config = await load();
    const publish = (Array.isArray(config.publish) ? config.publish : [config.publish])[0] as { provider: string; url: string };
    expect(publish.provider).toBe('generic');
    expect(publish.url).toMatch(/\/mises-a-jour\/$/);
    expect(config.nsis?.differentialPackage).toBeTruthy();
    for (const icon of [config.win?.icon, config.linux?.icon]) {
      const file = `${config.directories?.buildResources}/${icon}`;
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file).width).toBeGreaterThanOrEqual(256);
    }
  });
});
