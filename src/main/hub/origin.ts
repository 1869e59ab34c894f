/**
 * Who may talk to the hub from a browser (decision 008). Three checks, before anything else:
 * - Host must be one of the hub's own names or addresses: a page of another site whose name the
 *   attacker re-points to the hub (DNS rebinding) sends that other name and is refused;
 * - a request or WebSocket upgrade that carries an Origin (browsers do, for every POST, fetch and
 *   WebSocket) must come from the hub's own origin; clients that send none (CLI, satellites,
 *   scripts) are not browsers and pass;
 * - `POST /rpc` takes `application/json` only: the bodies a cross-site page can send without a
 *   CORS preflight (text/plain, forms) are refused before they are read.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

/** Loopback names: the hub machine itself, in both modes. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** The form a URL gives a host name (lower case, IPv6 in brackets, IPv4 canonical), or null. */
export function canonicalHost(name: string): string | null {
  const bare = name.trim().replace(/\.$/, '');
  if (!bare) return null;
  try {
    return new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return null;
  }
}

/** The host name of a Host header ("name:port", "[::1]:port", "name"), canonical, or null. */
export function hostOfHeader(header: string | undefined): string | null {
  if (!header) return null;
  try {
    const u = new URL(`http://${header}/`);
    if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return null;
    return u.hostname;
  } catch {
    return null;
  }
}

/** DNS names and IP addresses a certificate is valid for. */
export function certificateNames(certPem: string): string[] {
  const san = new X509Certificate(certPem).subjectAltName ?? '';
  return san
    .split(/,\s*/)
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry.trim())?.[1])
    .filter((v): v is string => Boolean(v));
}

export interface HostPolicyOptions {
  /** The address given to listen on (`--host`). */
  host: string;
  /** LAN mode: the machine's addresses and names and the certificate's names are the hub's too. */
  lan: boolean;
  certificate?: string | undefined;
  /** More names the hub answers to (e.g. a DNS alias set up by IT), from `--names`. */
  extraNames?: string[] | undefined;
}

export class HostPolicy {
  private readonly fixed = new Set<string>();
  private machine = new Set<string>();
  private machineReadAt = 0;
  private readonly wildcards: string[] = [];

  constructor(private readonly options: HostPolicyOptions) {
    const add = (name: string) => {
      if (name.startsWith('*.')) {
        this.wildcards.push(name.slice(1).toLowerCase());
        return;
      }
      const c = canonicalHost(name);
      if (c) this.fixed.add(c);
    };
    for (const n of LOOPBACK_NAMES) add(n);
    if (options.host !== '0.0.0.0' && options.host !== '::') add(options.host);
    for (const n of options.extraNames ?? []) add(n);
    if (options.lan && options.certificate) for (const n of certificateNames(options.certificate)) add(n);
    if (options.lan) this.readMachine(Date.now());
  }

  /** The machine's addresses and names (read again, at most every 5 s, when a name is not known). */
  private readMachine(now: number): void {
    const names = new Set<string>();
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) {
        const c = canonicalHost(a.address.replace(/%.*$/, ''));
        if (c) names.add(c);
      }
    }
    for (const n of [hostname(), `${hostname()}.local`]) {
      const c = canonicalHost(n);
      if (c) names.add(c);
    }
    this.machine = names;
    this.machineReadAt = now;
  }

  /** Whether a request's Host header names this hub. */
  allows(hostHeader: string | undefined, now = Date.now()): boolean {
    const host = hostOfHeader(hostHeader);
    if (!host) return false;
    if (this.fixed.has(host) || this.machine.has(host)) return true;
    if (this.wildcards.some((w) => host.endsWith(w) && !host.slice(0, -w.length).includes('.'))) return true;
    if (this.options.lan && now - this.machineReadAt > 5000) {
      this.readMachine(now);
      return this.machine.has(host);
    }
    return false;
  }
}

/** The origin of the hub as the client reached it: scheme and the (already checked) Host. */
export function ownOrigin(req: IncomingMessage, tls: boolean): string | null {
  try {
    return new URL(`${tls ? 'https' : 'http'}://${req.headers.host ?? ''}/`).origin;
  } catch {
    return null;
  }
}

/** Requests without Origin pass (not a browser); with one, it must be the hub's own. */
export function originAllowed(req: IncomingMessage, tls: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let o: string;
  try {
    o = new URL(origin).origin;
  } catch {
    return false;
  }
  return o !== 'null' && o === ownOrigin(req, tls);
}

/** `application/json`, with or without parameters, in any case. */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export const REFUSALS = {
  host: 'Nom d’hôte inconnu de ce hub : utilisez l’adresse du hub du site.',
  origin: 'Requête refusée : elle vient d’une page d’une autre origine que le hub.',
  contentType: 'Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).',
} as const;
