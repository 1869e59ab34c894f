/**
 * How this app connects to the central PostgreSQL server: the address (a postgres:// URL), an
 * optional CA certificate, TLS rules, and French messages for what goes wrong. Passwords never
 * reach a message or a log: every text built here goes through `redact`.
 */
import pg from 'pg';

export interface CentralTarget {
  /** postgres://user:password@host:port/database?sslmode=verify-full */
  url: string;
  /** PEM of the CA that signed the server certificate (else the system's CAs). */
  ca?: string | null | undefined;
}

export class CentralError extends Error {
  constructor(
    message: string,
    readonly code: string = 'CENTRAL',
  ) {
    super(message);
    this.name = 'CentralError';
  }
}

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export interface ParsedTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  sslmode: SslMode;
}

/** Parses and checks a central address; throws CentralError in French. */
export function parseCentralUrl(url: string): ParsedTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CentralError('Adresse du serveur central illisible : attendu postgres://utilisateur:motdepasse@hôte:5432/base?sslmode=verify-full.', 'BAD_URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new CentralError('L’adresse du serveur central doit commencer par postgres://.', 'BAD_URL');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !u.username || !database) {
    throw new CentralError('L’adresse du serveur central doit indiquer l’hôte, l’utilisateur et la base.', 'BAD_URL');
  }
  const rawMode = u.searchParams.get('sslmode');
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let sslmode: SslMode;
  if (rawMode !== null && !(SSL_MODES as readonly string[]).includes(rawMode)) {
    throw new CentralError(`sslmode « ${rawMode} » non pris en charge : utilisez verify-full.`, 'BAD_URL');
  }
  if (LOOPBACK.has(host)) {
    sslmode = (rawMode as SslMode | null) ?? 'disable';
  } else if (rawMode === 'verify-full') {
    sslmode = 'verify-full';
  } else {
    // Beyond this machine, only a checked certificate for the right host name protects the
    // password and the data (decision 022): require and verify-ca are refused like no TLS.
    throw new CentralError(
      rawMode === null
        ? `La connexion au serveur central ${host} doit être chiffrée : ajoutez ?sslmode=verify-full à l’adresse (certificat et nom d’hôte vérifiés).`
        : `sslmode=${rawMode} refusé pour le serveur central ${host} : hors de cette machine, seul sslmode=verify-full (certificat et nom d’hôte vérifiés) est accepté.`,
      'TLS_REQUIRED',
    );
  }
  return {
    host,
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database,
    sslmode,
  };
}

/** The pg client configuration for a target: verify-full checks the chain and the host name. */
export function clientConfig(target: CentralTarget, applicationName = 'accueil-esc'): pg.ClientConfig {
  const p = parseCentralUrl(target.url);
  let ssl: pg.ClientConfig['ssl'] = false;
  if (p.sslmode === 'require') ssl = { rejectUnauthorized: false };
  else if (p.sslmode === 'verify-ca') ssl = { rejectUnauthorized: true, ...(target.ca ? { ca: target.ca } : {}), checkServerIdentity: () => undefined };
  else if (p.sslmode === 'verify-full') ssl = { rejectUnauthorized: true, ...(target.ca ? { ca: target.ca } : {}), servername: p.host };
  return {
    host: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
    database: p.database,
    ssl,
    application_name: applicationName,
    connectionTimeoutMillis: 15_000,
    query_timeout: 120_000,
    keepAlive: true,
  };
}

/** A connected client; connection errors become CentralError. */
export async function connectCentral(target: CentralTarget, applicationName?: string): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(target, applicationName));
  // A connection dropped while idle emits 'error': the caller sees it on its next query.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toCentralError(err, target.url);
  }
  return client;
}

/** The address without its password, for screens and messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(adresse illisible)';
  }
}

/** Host, port and database only: what the UI shows of the central target. */
export function describeTarget(url: string): string {
  try {
    const p = parseCentralUrl(url);
    return `${p.host}:${p.port}/${p.database} (${p.user}, TLS ${p.sslmode === 'disable' ? 'désactivé' : p.sslmode})`;
  } catch {
    return '(adresse illisible)';
  }
}

/** A French, password-free message for a connection or query failure. */
export function toCentralError(err: unknown, url?: string): CentralError {
  if (err instanceof CentralError) return err;
  const e = err as { code?: string; message?: string } | undefined;
  const code = e?.code ?? '';
  const raw = e?.message ?? '';
  let message: string;
  if (code === 'ECONNREFUSED') message = 'Serveur central injoignable : connexion refusée.';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = 'Serveur central introuvable : vérifiez le nom d’hôte et le réseau.';
  else if (code === 'ETIMEDOUT' || /timeout/i.test(raw)) message = 'Serveur central injoignable : délai dépassé.';
  else if (code === 'ECONNRESET' || /Connection terminated|ended unexpectedly|Client has encountered a connection error|not queryable/i.test(raw))
    message = 'Connexion au serveur central interrompue.';
  else if (code === '28P01' || code === '28000') message = 'Identifiants refusés par le serveur central : réinscrivez le site (central enroll-site) et reconfigurez-le.';
  else if (code === '3D000') message = 'Base centrale introuvable sur le serveur : vérifiez le nom de la base dans l’adresse.';
  else if (code === '42501') message = 'Droits insuffisants sur la base centrale pour cette opération.';
  else if (code === '42P01' || code === '3F000') message = 'La base centrale n’est pas initialisée : lancez « npm run central -- migrate ».';
  else if (/does not support SSL/i.test(raw)) message = 'Le serveur central n’accepte pas les connexions chiffrées (TLS).';
  else if (/certificate|self.signed|altname|unable to verify|CERT_/i.test(raw) || /CERT|ALTNAME/.test(code))
    message = `Certificat du serveur central refusé (${code || 'TLS'}) : vérifiez le certificat de l’autorité (--ca) et le nom d’hôte.`;
  else message = `Erreur du serveur central${code ? ` (${code})` : ''}.`;
  const out = new CentralError(message, code || 'CENTRAL');
  if (url) out.message = out.message.split(parsePasswordSafe(url)).join('***');
  return out;
}

function parsePasswordSafe(url: string): string {
  try {
    const pw = decodeURIComponent(new URL(url).password);
    return pw.length >= 4 ? pw : '\u0000never';
  } catch {
    return '\u0000never';
  }
}
