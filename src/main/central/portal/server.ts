/**
 * The central portal (`npm run central -- serve`, decision 023): HTTPS (node:https), server-
 * rendered French pages without any script, and a small JSON API (zod-validated, French errors)
 * over the same functions. Two database pools with two roles: `portal` (accounts, journal, site
 * status) and `portal_data`, a member of the APRAS role, for every figure (monthly aggregates
 * only: it cannot read a row table, a day or an hour). Sessions are in memory (a restart signs
 * everyone out), in an HttpOnly, Secure, SameSite=Strict cookie; every POST must come from the
 * portal's own origin.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import { z } from 'zod';
import { SITE_CODES } from '../../../shared/reference/sites';
import { localDay } from '../../../shared/time/paris';
import { readSiteStates } from '../admin';
import { addMonths, buildSummary, DEFINITIONS, monthsBetween, periodMonths, PORTAL_PERIOD_KINDS, SummaryError, type PortalPeriodKind } from '../summary';
import { summaryCsv, summaryFileBase, summaryPdf, summaryXlsx } from '../summary-export';
import { journal, SignInError, signIn, type PortalAccount, type PortalRole } from './accounts';
import { dashboardPage, errorPage, helpPage, PORTAL_CSS, signInPage, sitesPage, summaryHtml, type DashboardForm } from './pages';

export interface PortalOptions {
  host: string;
  port: number;
  tls: { cert: string; key: string };
  /** Accounts, journal, site status. */
  portalDb: pg.Pool;
  /** Figures: a role that reads the monthly aggregates only. */
  dataDb: pg.Pool;
  threshold?: number | undefined;
  /** Idle minutes before a session ends (default 30). */
  idleMinutes?: number | undefined;
  now?: (() => Date) | undefined;
}

interface Session {
  account: PortalAccount;
  expires: number;
  absolute: number;
}

const COOKIE = 'portail_session';
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const zQuery = z.strictObject({
  periode: z.enum(PORTAL_PERIOD_KINDS, { message: 'Type de période inconnu.' }).optional(),
  mois: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Mois attendu au format AAAA-MM.' }).optional(),
  fin: z.union([z.literal(''), z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Dernier mois attendu au format AAAA-MM.' })]).optional(),
  esc: z.array(z.enum(SITE_CODES, { message: 'ESC inconnu.' })).max(6).optional(),
  format: z.enum(['xlsx', 'csv', 'pdf'], { message: 'Format : xlsx, csv ou pdf.' }).optional(),
});
type Query = z.infer<typeof zQuery>;

const zSignIn = z.strictObject({ login: z.string().max(200), password: z.string().max(400) });

function parseQuery(url: URL): Query {
  const raw: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    if (k === 'esc') raw.esc = [...((raw.esc as string[] | undefined) ?? []), v];
    else raw[k] = v;
  }
  const r = zQuery.safeParse(raw);
  if (!r.success) throw new SummaryError(r.error.issues.map((i) => i.message).join(' '));
  return r.data;
}

const ALLOWED: Record<string, readonly PortalRole[]> = {
  tableau: ['apras', 'gtesc'],
  export: ['apras'],
  sites: ['apras', 'it'],
  apiSummary: ['apras', 'gtesc'],
  apiSites: ['apras', 'it'],
};

export class PortalServer {
  readonly server: Server;
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => Date;
  private readonly idleMs: number;

  constructor(private readonly options: PortalOptions) {
    this.now = options.now ?? (() => new Date());
    this.idleMs = (options.idleMinutes ?? 30) * 60_000;
    this.server = createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, (req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) this.html(res, 500, errorPage(null, 'Erreur', 'Erreur interne du portail : réessayez ; si elle persiste, prévenez le service informatique.'));
        else res.end();
      });
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        const a = this.server.address();
        const port = typeof a === 'object' && a ? a.port : this.options.port;
        resolve(`https://${this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host}:${port}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- plumbing

  private headers(res: ServerResponse, type: string): void {
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: with it, browsers send `Origin: null` on form POSTs, which the origin check refuses.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
  }

  private html(res: ServerResponse, status: number, body: string): void {
    this.headers(res, 'text/html; charset=utf-8');
    res.writeHead(status);
    res.end(body);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    this.headers(res, 'application/json; charset=utf-8');
    res.writeHead(status);
    res.end(JSON.stringify(body));
  }

  private redirect(res: ServerResponse, to: string): void {
    this.headers(res, 'text/plain; charset=utf-8');
    res.writeHead(303, { Location: to });
    res.end();
  }

  private session(req: IncomingMessage): { token: string; s: Session } | null {
    const cookie = req.headers.cookie ?? '';
    const token = cookie
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === COOKIE)?.[1];
    if (!token) return null;
    const s = this.sessions.get(token);
    const t = this.now().getTime();
    if (!s || s.expires < t || s.absolute < t) {
      if (s) this.sessions.delete(token);
      return null;
    }
    s.expires = t + this.idleMs;
    return { token, s };
  }

  /** POSTs must come from this portal's own pages (no cross-site form or fetch). */
  private sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (!origin || !host) return false;
    return origin === `https://${host}`;
  }

  private async body(req: IncomingMessage, limit = 16_384): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > limit) throw new SummaryError('Requête trop grande.');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private allowed(account: PortalAccount, what: keyof typeof ALLOWED): boolean {
    return ALLOWED[what]!.includes(account.role);
  }

  private home(account: PortalAccount): string {
    return account.role === 'it' ? '/sites' : '/tableau';
  }

  // ---- routes

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://portail.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/portail.css') {
      this.headers(res, 'text/css; charset=utf-8');
      res.setHeader('Cache-Control', 'max-age=3600');
      res.writeHead(200);
      res.end(PORTAL_CSS);
      return;
    }
    if (path === '/sante') return this.json(res, 200, { ok: true });
    if (path === '/connexion' && method === 'GET') return this.html(res, 200, signInPage(null));
    if (path === '/connexion' && method === 'POST') return this.signInForm(req, res);
    if (path === '/api/session' && method === 'POST') return this.signInApi(req, res);

    const current = this.session(req);
    if (path.startsWith('/api/')) {
      if (!current) return this.json(res, 401, { error: { code: 'UNAUTHENTICATED', message: 'Connectez-vous au portail.' } });
      return this.api(req, res, path, url, current.s.account);
    }
    if (!current) return this.redirect(res, '/connexion');
    const account = current.s.account;
    if (path === '/deconnexion' && method === 'POST') {
      if (!this.sameOrigin(req)) return this.html(res, 403, errorPage(account, 'Refusé', 'Requête refusée : elle ne vient pas du portail.'));
      this.sessions.delete(current.token);
      await journal(this.options.portalDb, account.login, 'signout', true);
      res.setHeader('Set-Cookie', `${COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
      return this.redirect(res, '/connexion');
    }
    if (method !== 'GET') return this.html(res, 405, errorPage(account, 'Méthode refusée', 'Cette adresse ne s’utilise pas ainsi.'));
    if (path === '/') return this.redirect(res, this.home(account));
    if (path === '/aide') return this.html(res, 200, helpPage(account, Object.values(DEFINITIONS)));
    if (path === '/tableau') {
      if (!this.allowed(account, 'tableau')) return this.html(res, 403, errorPage(account, 'Accès refusé', 'Le tableau de bord est réservé à l’APRAS et au GTESC.'));
      return this.dashboard(res, url, account);
    }
    if (path === '/export') {
      if (!this.allowed(account, 'export')) return this.html(res, 403, errorPage(account, 'Accès refusé', 'Les exports sont réservés aux analystes de l’APRAS.'));
      return this.export(res, url, account);
    }
    if (path === '/sites') {
      if (!this.allowed(account, 'sites')) return this.html(res, 403, errorPage(account, 'Accès refusé', 'L’état des sites est réservé au service informatique et à l’APRAS.'));
      const now = this.now();
      const states = await readSiteStates(this.options.portalDb, now);
      const schema = Number((await this.options.portalDb.query<{ v: number }>('SELECT max(id) AS v FROM esc.__migrations__').catch(() => ({ rows: [{ v: 0 }] }))).rows[0]?.v ?? 0);
      return this.html(res, 200, sitesPage(account, states, now, schema));
    }
    return this.html(res, 404, errorPage(account, 'Page introuvable', 'Cette page n’existe pas.'));
  }

  private openSession(res: ServerResponse, account: PortalAccount): void {
    const token = randomBytes(32).toString('base64url');
    const t = this.now().getTime();
    this.sessions.set(token, { account, expires: t + this.idleMs, absolute: t + 10 * 3600_000 });
    res.setHeader('Set-Cookie', `${COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict`);
  }

  private async signInForm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.sameOrigin(req)) return this.html(res, 403, errorPage(null, 'Refusé', 'Requête refusée : elle ne vient pas du portail.'));
    const form = new URLSearchParams(await this.body(req));
    const login = form.get('login') ?? '';
    try {
      const account = await signIn(this.options.portalDb, login, form.get('password') ?? '');
      this.openSession(res, account);
      return this.redirect(res, this.home(account));
    } catch (err) {
      if (err instanceof SignInError) return this.html(res, 401, signInPage(err.message, login.slice(0, 63)));
      throw err;
    }
  }

  private async signInApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.sameOrigin(req)) return this.json(res, 403, { error: { code: 'FORBIDDEN', message: 'Requête refusée : elle ne vient pas du portail.' } });
    let parsed: z.infer<typeof zSignIn>;
    try {
      parsed = zSignIn.parse(JSON.parse(await this.body(req)));
    } catch {
      return this.json(res, 400, { error: { code: 'VALIDATION', message: 'Attendu : {"login": "…", "password": "…"}.' } });
    }
    try {
      const account = await signIn(this.options.portalDb, parsed.login, parsed.password);
      this.openSession(res, account);
      return this.json(res, 200, { login: account.login, displayName: account.displayName, role: account.role });
    } catch (err) {
      if (err instanceof SignInError) return this.json(res, 401, { error: { code: 'UNAUTHENTICATED', message: err.message } });
      throw err;
    }
  }

  /** The months offered: from the oldest month with figures (or three years back) to the current one. */
  private async monthChoices(): Promise<string[]> {
    const current = localDay(this.now()).slice(0, 7);
    const r = await this.options.dataDb.query<{ m: string | null }>("SELECT to_char(min(month), 'YYYY-MM') AS m FROM esc.agg_month");
    const first = r.rows[0]?.m && r.rows[0].m < current ? r.rows[0].m : addMonths(current, -36);
    return monthsBetween(first < addMonths(current, -120) ? addMonths(current, -120) : first, current).reverse();
  }

  /**
   * The months of the chosen period. A quarter or a year under way stops at the current month
   * (said in the notes); a custom period ending in the future is refused by the summary.
   */
  private requestOf(q: Query): { form: DashboardForm; from: string; to: string; declaredTo: string } {
    const current = localDay(this.now()).slice(0, 7);
    const kind: PortalPeriodKind = q.periode ?? 'month';
    const month = q.mois ?? addMonths(current, -1);
    const to = q.fin ?? '';
    const p = periodMonths(kind, month, to || undefined);
    const ongoing = kind !== 'custom' && p.from <= current && p.to > current;
    return { form: { kind, month, to, sites: q.esc ?? [] }, from: p.from, to: ongoing ? current : p.to, declaredTo: p.to };
  }

  private async dashboard(res: ServerResponse, url: URL, account: PortalAccount): Promise<void> {
    const months = await this.monthChoices();
    const current = localDay(this.now()).slice(0, 7);
    let form: DashboardForm = { kind: 'month', month: addMonths(current, -1), to: '', sites: [] };
    try {
      const q = parseQuery(url);
      const r = this.requestOf(q);
      form = r.form;
      const summary = await buildSummary(this.options.dataDb, { from: r.from, to: r.to, sites: q.esc, threshold: this.options.threshold, declaredTo: r.declaredTo }, this.now());
      const exportQuery = new URLSearchParams([
        ['periode', form.kind],
        ['mois', form.month],
        ...(form.to ? [['fin', form.to] as [string, string]] : []),
        ...summary.sites.map((s) => ['esc', s.code] as [string, string]),
      ]).toString();
      return this.html(res, 200, dashboardPage(account, form, months, summaryHtml(summary), null, exportQuery));
    } catch (err) {
      if (err instanceof SummaryError) return this.html(res, 400, dashboardPage(account, form, months, '', err.message, null));
      throw err;
    }
  }

  private async export(res: ServerResponse, url: URL, account: PortalAccount): Promise<void> {
    try {
      const q = parseQuery(url);
      const format = q.format ?? 'xlsx';
      const r = this.requestOf(q);
      const summary = await buildSummary(this.options.dataDb, { from: r.from, to: r.to, sites: q.esc, threshold: this.options.threshold, declaredTo: r.declaredTo }, this.now());
      const file = format === 'csv' ? summaryCsv(summary) : format === 'pdf' ? await summaryPdf(summary) : await summaryXlsx(summary);
      await journal(this.options.portalDb, account.login, 'export', true, `${format} ${summary.from}..${summary.to} ${summary.sites.map((s) => s.code).join(',')}`);
      this.headers(res, format === 'csv' ? 'text/csv; charset=utf-8' : format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="${summaryFileBase(summary)}.${format}"`);
      res.writeHead(200);
      res.end(file);
    } catch (err) {
      if (err instanceof SummaryError) return this.html(res, 400, errorPage(account, 'Export impossible', err.message));
      throw err;
    }
  }

  private async api(req: IncomingMessage, res: ServerResponse, path: string, url: URL, account: PortalAccount): Promise<void> {
    if (req.method !== 'GET') return this.json(res, 405, { error: { code: 'VALIDATION', message: 'Méthode non prise en charge.' } });
    try {
      if (path === '/api/summary') {
        if (!this.allowed(account, 'apiSummary')) return this.json(res, 403, { error: { code: 'FORBIDDEN', message: 'Réservé à l’APRAS et au GTESC.' } });
        const q = parseQuery(url);
        const r = this.requestOf(q);
        return this.json(res, 200, await buildSummary(this.options.dataDb, { from: r.from, to: r.to, sites: q.esc, threshold: this.options.threshold, declaredTo: r.declaredTo }, this.now()));
      }
      if (path === '/api/sites') {
        if (!this.allowed(account, 'apiSites')) return this.json(res, 403, { error: { code: 'FORBIDDEN', message: 'Réservé au service informatique et à l’APRAS.' } });
        return this.json(res, 200, { generatedAt: this.now().toISOString(), sites: await readSiteStates(this.options.portalDb, this.now()) });
      }
      return this.json(res, 404, { error: { code: 'NOT_FOUND', message: 'Méthode inconnue.' } });
    } catch (err) {
      if (err instanceof SummaryError) return this.json(res, 400, { error: { code: 'VALIDATION', message: err.message } });
      throw err;
    }
  }
}
