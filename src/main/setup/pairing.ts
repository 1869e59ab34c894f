/**
 * Pairing this PC with its site hub, as a desktop satellite: the one module behind the first-start
 * screen (« Relier ce poste au hub du site », setup/first-start.ts) and the command
 * `npm run hub -- pair`. The hub's certificate is pinned (hub/satellite.ts: the one-time code is
 * proved over the fingerprint of the certificate actually received), then kept with the device
 * token in `satellite.json` (mode 0600) in the app's data folder.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { log } from '../api/log';
import { AppError } from '../../shared/api/errors';
import { pairSatellite, pinnedRequest, presentedCertificate, SatelliteError, type SatelliteConfig } from '../hub/satellite';

export const SATELLITE_FILE = 'satellite.json';
export const DEFAULT_HUB_PORT = 4780;

export interface PairRequest {
  hubUrl: string;
  code: string;
  deviceName: string;
  /** The fingerprint IT said to expect (machine-wide file), if any. */
  expectedFingerprint?: string | null | undefined;
}

/** `hub-blosne` → `https://hub-blosne:4780/`; keeps an explicit port and path-less https URL. */
export function normaliseHubUrl(input: string): string {
  const text = input.trim();
  if (!text) throw new AppError('VALIDATION', 'Indiquez l’adresse du hub du site, par exemple https://hub-blosne:4780/.', [{ path: 'hubUrl', message: 'Adresse du hub attendue.' }]);
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new AppError('VALIDATION', 'Adresse du hub illisible : attendu https://nom-du-hub:4780/.', [{ path: 'hubUrl', message: 'Adresse illisible.' }]);
  }
  if (u.protocol !== 'https:') {
    throw new AppError('VALIDATION', 'Le hub se joint en https:// depuis un autre poste (chiffré, certificat vérifié).', [{ path: 'hubUrl', message: 'https:// attendu.' }]);
  }
  if (u.username || u.password || u.search || u.hash || (u.pathname !== '/' && u.pathname !== '')) {
    throw new AppError('VALIDATION', 'Donnez seulement l’adresse du hub, sans chemin : https://nom-du-hub:4780/.', [{ path: 'hubUrl', message: 'Adresse sans chemin attendue.' }]);
  }
  return `https://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || DEFAULT_HUB_PORT}/`;
}

/** Turns a failure of the hub side into the error the screen and the CLI show (French, with the field). */
function pairingError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof SatelliteError) {
    if (err.kind === 'unreachable') {
      return new AppError('UNAVAILABLE', `${err.message.replace(/\.$/, '')} : vérifiez l’adresse du hub, qu’il est en marche et que ce poste est sur le réseau du site.`);
    }
    if (err.kind === 'address') return new AppError('VALIDATION', err.message, [{ path: 'hubUrl', message: err.message }]);
    if (err.kind === 'certificate') return new AppError('VALIDATION', err.message, [{ path: 'hubUrl', message: err.message }]);
    const field = /nom au poste/i.test(err.message) ? 'deviceName' : 'code';
    return new AppError('VALIDATION', err.message, [{ path: field, message: err.message }]);
  }
  log.error('pairing.failed', { error: err instanceof Error ? err.name : typeof err, code: String((err as { code?: unknown } | null)?.code ?? '') });
  return new AppError('UNAVAILABLE', 'Appairage impossible : erreur inattendue (voir le journal du poste).');
}

/** Pairs with the hub and writes what to keep to `outFile` (satellite.json); throws AppError (French, with the field) otherwise. */
export async function pairThisDesk(request: PairRequest, outFile: string): Promise<SatelliteConfig> {
  const hubUrl = normaliseHubUrl(request.hubUrl);
  const code = request.code.trim().toUpperCase();
  if (!/^[A-Z0-9]{4}-?[A-Z0-9]{4}-?[A-Z0-9]{4}$/.test(code)) {
    throw new AppError('VALIDATION', 'Le code d’appairage a 12 caractères (XXXX-XXXX-XXXX) : il est affiché sur le hub, écran « Postes du site ».', [{ path: 'code', message: 'Code XXXX-XXXX-XXXX attendu.' }]);
  }
  const deviceName = request.deviceName.trim();
  if (deviceName.length < 2 || deviceName.length > 60) {
    throw new AppError('VALIDATION', 'Donnez un nom au poste (2 à 60 caractères), par exemple « Guichet 1 » ou « Bureau CDAS 2 ».', [{ path: 'deviceName', message: 'Nom du poste attendu.' }]);
  }
  try {
    if (request.expectedFingerprint) {
      const presented = await presentedCertificate(hubUrl);
      if (presented.fingerprint.toUpperCase() !== request.expectedFingerprint.toUpperCase()) {
        throw new AppError(
          'VALIDATION',
          `Le hub présente un certificat dont l’empreinte (${presented.fingerprint}) n’est pas celle indiquée par le service informatique (${request.expectedFingerprint}) : appairage refusé. Vérifiez l’adresse, ou demandez au service informatique si le certificat du hub a changé.`,
          [{ path: 'hubUrl', message: 'Certificat inattendu.' }],
        );
      }
    }
    const config = await pairSatellite(hubUrl, code, deviceName);
    writeSatelliteConfig(outFile, config);
    return config;
  } catch (err) {
    throw pairingError(err);
  }
}

/** Writes satellite.json (secret: the device token) atomically, readable by this account only. */
export function writeSatelliteConfig(file: string, config: SatelliteConfig): string {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return file;
}

export function readSatelliteConfig(dir: string): SatelliteConfig | null {
  const file = join(dir, SATELLITE_FILE);
  if (!existsSync(file)) return null;
  const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<SatelliteConfig>;
  if (!c.hubUrl || !c.fingerprint || !c.deviceToken || !c.certificate || !c.deviceName) throw new Error(`${file} est incomplet : appairez de nouveau ce poste.`);
  return c as SatelliteConfig;
}

export type PairingCheck = { state: 'ok' } | { state: 'certificate_changed'; presented: string | null } | { state: 'unreachable'; message: string } | { state: 'revoked' };

/** At start: does the pinned hub still answer, with the same certificate, to this device? */
export async function checkPairing(config: SatelliteConfig): Promise<PairingCheck> {
  try {
    const res = await pinnedRequest(config, '/rpc/schema', { headers: { 'X-Esc-Device': config.deviceToken } });
    return res.status === 401 ? { state: 'revoked' } : { state: 'ok' };
  } catch (err) {
    if (err instanceof SatelliteError && err.kind === 'certificate') {
      const presented = await presentedCertificate(config.hubUrl).then(
        (p) => p.fingerprint,
        () => null,
      );
      return { state: 'certificate_changed', presented };
    }
    return { state: 'unreachable', message: err instanceof Error ? err.message : 'Hub injoignable.' };
  }
}
