/**
 * The LAN hub's TLS certificate: generated at `hub init` (or at the first LAN start of an older
 * database) and kept, with its private key, in the encrypted site database; or provided by IT as
 * PEM files. Satellites pin its SHA-256 fingerprint, shown on the hub's console and admin screen.
 */
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { isIP, type AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import * as x509 from '@peculiar/x509';
import { readMeta, writeMeta, type Store } from '../store/open';
import { derToPem } from './pem';

export interface HubTls {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, "AB:CD:…" (as browsers and `openssl x509 -fingerprint -sha256` show it). */
  fingerprint: string;
}

const META_CERT = 'hub.tls_cert';
const META_KEY = 'hub.tls_key';

export function fingerprintOf(certPem: string): string {
  return new NodeX509(certPem).fingerprint256;
}

/** Names and IPv4 addresses the satellites may use to reach this machine. */
export function localNames(): { dns: string[]; ips: string[] } {
  const ips = new Set(['127.0.0.1']);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') ips.add(a.address);
  }
  const host = hostname();
  return { dns: [...new Set(['localhost', host, `${host}.local`])], ips: [...ips] };
}

/**
 * The https:// addresses the hub is really reachable on from the site network, for its banner and
 * the devices screen: the address it is bound to, or, bound to every interface, each network
 * address of the machine (IPv6 ones too when bound to `::`; link-local ones need a zone and are
 * left out), always with the port actually listened on.
 */
export function reachableUrls(bound: AddressInfo, givenHost: string, interfaces = networkInterfaces()): string[] {
  const url = (address: string) => `https://${address.includes(':') ? `[${address}]` : address}:${bound.port}/`;
  const wildcard = bound.address === '0.0.0.0' || bound.address === '::';
  if (!wildcard) {
    const named = isIP(givenHost.replace(/^\[|\]$/g, '')) === 0 ? [`https://${givenHost}:${bound.port}/`] : [];
    return [...named, url(bound.address)];
  }
  const families = bound.address === '::' ? ['IPv4', 'IPv6'] : ['IPv4'];
  const out: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) {
      if (a.internal || !families.includes(a.family) || a.address.toLowerCase().startsWith('fe80:')) continue;
      out.push(url(a.address));
    }
  }
  return [...new Set(out)];
}

type GeneratorParams = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0];

/** A self-signed ECDSA P-256 certificate for the hub, valid ten years, for the given names. */
export async function generateHubCertificate(commonName: string, names = localNames(), now = new Date()): Promise<HubTls> {
  const crypto = webcrypto;
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 10);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      name: `CN=${commonName.replace(/[,=+<>#;"\\]/g, ' ')}`,
      notBefore: new Date(now.getTime() - 3600_000),
      notAfter,
      signingAlgorithm: alg,
      keys: keys as unknown as GeneratorParams['keys'],
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([...names.dns.map((value) => ({ type: 'dns' as const, value })), ...names.ips.map((value) => ({ type: 'ip' as const, value }))]),
      ],
    },
    crypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  const certPem = cert.toString('pem') + '\n';
  const keyPem = derToPem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { cert: certPem, key: keyPem, fingerprint: fingerprintOf(certPem) };
}

/** The certificate kept in the site database, generated and stored there if missing. */
export async function ensureStoredCertificate(store: Store, commonName: string): Promise<HubTls> {
  const cert = readMeta(store, META_CERT);
  const key = readMeta(store, META_KEY);
  if (cert && key) return { cert, key, fingerprint: fingerprintOf(cert) };
  const fresh = await generateHubCertificate(commonName);
  store.sqlite.transaction(() => {
    writeMeta(store, META_CERT, fresh.cert);
    writeMeta(store, META_KEY, fresh.key);
  })();
  return fresh;
}

/** Certificate and key provided by IT (PEM); checks that they parse. */
export function providedCertificate(certPem: string, keyPem: string): HubTls {
  if (!certPem.includes('BEGIN CERTIFICATE') || !/BEGIN (EC |RSA )?PRIVATE KEY/.test(keyPem)) {
    throw new Error('Certificat ou clé TLS illisible : fichiers PEM attendus.');
  }
  return { cert: certPem, key: keyPem, fingerprint: fingerprintOf(certPem) };
}
