/**
 * The satellite side of pairing, for desks that pin the hub's certificate (the desktop app in
 * satellite mode, `npm run hub -- pair`): read the certificate the hub presents, prove knowledge
 * of the one-time code over THAT certificate's fingerprint, then trust only that certificate.
 * A man in the middle presents another certificate: its fingerprint gives another proof, which
 * the hub refuses; and later connections to any other certificate are refused here.
 */
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { request } from 'node:https';
import { pairingProof } from '../core/devices/devices';
import { derToPem } from './pem';

export interface SatelliteConfig {
  /** https://host:port/ of the hub. */
  hubUrl: string;
  /** SHA-256 fingerprint of the pinned certificate ("AB:CD:…"). */
  fingerprint: string;
  /** PEM of the pinned certificate (the only trust anchor for this hub). */
  certificate: string;
  /** Device token, sent as cookie `esc_device` / header `X-Esc-Device`. */
  deviceToken: string;
  deviceName: string;
}

/** Why talking to the hub failed: its address, the network, its certificate, or its answer. */
export type SatelliteFailure = 'address' | 'unreachable' | 'certificate' | 'refused';

export class SatelliteError extends Error {
  constructor(
    message: string,
    readonly kind: SatelliteFailure = 'refused',
  ) {
    super(message);
  }
}

/** Electron shows certificate fingerprints as "sha256/<base64>"; Node as "AB:CD:…". */
export function electronFingerprint(colonHex: string): string {
  return `sha256/${Buffer.from(colonHex.replace(/:/g, ''), 'hex').toString('base64')}`;
}

function parseHub(hubUrl: string): URL {
  let u: URL;
  try {
    u = new URL(hubUrl);
  } catch {
    throw new SatelliteError('Adresse du hub illisible : attendu https://nom-du-hub:4780/.', 'address');
  }
  if (u.protocol !== 'https:') throw new SatelliteError('Le hub doit être joint en https:// (TLS) depuis un autre poste.', 'address');
  return u;
}

/** The certificate the hub presents (not trusted yet: it is what the proof will cover). */
export function presentedCertificate(hubUrl: string): Promise<{ fingerprint: string; pem: string }> {
  const u = parseHub(hubUrl);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: u.hostname, port: Number(u.port || 443), servername: u.hostname, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate(true) as PeerCertificate;
      socket.end();
      if (!cert?.raw) reject(new SatelliteError('Le hub n’a présenté aucun certificat.', 'certificate'));
      else resolve({ fingerprint: cert.fingerprint256, pem: derToPem('CERTIFICATE', cert.raw) });
    });
    socket.setTimeout(10_000, () => socket.destroy(new SatelliteError('Hub injoignable : délai dépassé.', 'unreachable')));
    socket.on('error', (e) => reject(e instanceof SatelliteError ? e : new SatelliteError(`Hub injoignable (${(e as NodeJS.ErrnoException).code ?? 'réseau'}).`, 'unreachable')));
  });
}

export interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTPS request that succeeds only if the hub presents exactly the pinned certificate. */
export function pinnedRequest(
  pin: { hubUrl: string; fingerprint: string; certificate: string },
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<PinnedResponse> {
  const u = parseHub(pin.hubUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: Number(u.port || 443),
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        servername: u.hostname,
        // The pinned certificate is the only trust anchor, and its fingerprint must match exactly.
        ca: pin.certificate,
        checkServerIdentity: (_host, cert) =>
          cert.fingerprint256 === pin.fingerprint ? undefined : new SatelliteError('Certificat du hub différent de celui appairé : connexion refusée.', 'certificate'),
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new SatelliteError('Hub injoignable : délai dépassé.', 'unreachable')));
    req.on('error', (e) =>
      reject(
        e instanceof SatelliteError
          ? e
          : /certificate|self.signed|CERT/i.test(e.message)
            ? new SatelliteError('Certificat du hub différent de celui appairé : connexion refusée.', 'certificate')
            : new SatelliteError(`Hub injoignable (${(e as NodeJS.ErrnoException).code ?? 'réseau'}).`, 'unreachable'),
      ),
    );
    if (init.body) req.write(init.body);
    req.end();
  });
}

/** Pairs this machine with the hub using the code shown there; returns what to keep. */
export async function pairSatellite(hubUrl: string, code: string, deviceName: string): Promise<SatelliteConfig> {
  const presented = await presentedCertificate(hubUrl);
  const pin = { hubUrl, fingerprint: presented.fingerprint, certificate: presented.pem };
  const res = await pinnedRequest(pin, '/appairage', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: deviceName, proof: pairingProof(code, presented.fingerprint) }),
  });
  let parsed: { token?: string; error?: string } = {};
  try {
    parsed = JSON.parse(res.body) as typeof parsed;
  } catch {
    parsed = {};
  }
  if (res.status !== 200 || !parsed.token) throw new SatelliteError(parsed.error ?? `Appairage refusé par le hub (HTTP ${res.status}).`, 'refused');
  return { ...pin, deviceToken: parsed.token, deviceName };
}
