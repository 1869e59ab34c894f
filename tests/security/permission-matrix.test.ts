/**
 * The permission matrix (issue 13 "Also", decision 010): every method listed by `rpc.schema` is
 * called as every caller (anonymous, reception agent, professional of an institution,
 * coordination with and without an institution, IT administrator), for every object scope of its
 * line, through the real router; the outcome must be the one `src/shared/permission-matrix.ts`
 * states. A method without a line there, or without a probe here, fails the test.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/api/app';
import type { Connection } from '../../src/main/api/types';
import { createAccount } from '../../src/main/core/accounts/accounts';
import { createPairingCode, pairDevice } from '../../src/main/core/devices/devices';
import { getHandoffConfig } from '../../src/main/core/handoffs/handoffs';
import { getQueueConfig } from '../../src/main/core/queue/config';
import { backupNow } from '../../src/main/store/backup';
import type { JsonRpcResponse } from '../../src/shared/api/jsonrpc';
import { CALLER_PRINCIPALS, CALLERS, PERMISSION_MATRIX, type Caller, type Outcome, type Scope } from '../../src/shared/permission-matrix';
import type { InstitutionCode } from '../../src/shared/reference/institutions';
import { ADMIN, createTestSite, rpc, type TestSite } from '../fixtures/site';

type Member = Exclude<Caller, 'anonyme'>;
const MEMBERS = CALLERS.filter((c): c is Member => c !== 'anonyme');
const LOGIN: Record<Member, string> = { agent: 'm.agent', pro: 'm.pro', coordInstitution: 'm.coordi', coordSite: 'm.coords', admin: ADMIN.login };
const PASSWORD: Record<Member, string> = {
  agent: 'matrice-agent-piano',
  pro: 'matrice-pro-piano',
  coordInstitution: 'matrice-coordi-piano',
  coordSite: 'matrice-coords-piano',
  admin: ADMIN.password,
};
const PIN = '4821';
const TODAY = '2026-11-23';
const OTHER_INSTITUTION: InstitutionCode = 'WEKER';

let site: TestSite;
let app: App;
const conn = new Map<Caller, Connection>();
/** Accounts that set up the objects the callers act on. */
const helper: Record<'agent' | 'weker' | 'coord' | 'spare', Connection> = {} as never;
let counter = 0;
const next = () => ++counter;

async function signInAs(login: string, password: string): Promise<Connection> {
  const c: Connection = { token: null };
  await rpc(app, c, 'session.login', { login, password });
  return c;
}

async function signEveryoneIn(): Promise<void> {
  for (const m of MEMBERS) conn.set(m, await signInAs(LOGIN[m], PASSWORD[m]));
  helper.agent = await signInAs('h.agent', 'aide-agent-piano-7');
  helper.weker = await signInAs('h.weker', 'aide-weker-piano-7');
  helper.coord = await signInAs('h.coord', 'aide-coord-piano-7');
  helper.spare = await signInAs('h.spare', 'aide-spare-piano-7');
}

beforeAll(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T09:00:00Z'); // Monday 10:00 in Paris
  // The same store, with a backup folder so that backups.* can answer.
  app = createApp(site.store, site.clock, { backups: { dir: mkdtempSync(join(site.dir, 'backups-')), keep: 50, keyHex: site.keyHex } });
  const core = app.core;
  for (const m of MEMBERS.filter((x) => x !== 'admin')) {
    await createAccount(core, null, { login: LOGIN[m], displayName: LOGIN[m], ...CALLER_PRINCIPALS[m], password: PASSWORD[m], mustChangePassword: false });
  }
  await createAccount(core, null, { login: 'h.agent', displayName: 'Aide accueil', role: 'agent_accueil', institution: null, password: 'aide-agent-piano-7', mustChangePassword: false });
  await createAccount(core, null, { login: 'h.weker', displayName: 'Aide We Ker', role: 'professionnel', institution: 'WEKER', password: 'aide-weker-piano-7', mustChangePassword: false });
  await createAccount(core, null, { login: 'h.coord', displayName: 'Aide coordination', role: 'coordinateur', institution: null, password: 'aide-coord-piano-7', mustChangePassword: false });
  await createAccount(core, null, { login: 'h.spare', displayName: 'Aide poste', role: 'agent_accueil', institution: null, password: 'aide-spare-piano-7', mustChangePassword: false });
  await signEveryoneIn();
  for (const m of MEMBERS.filter((x) => x !== 'admin')) await rpc(app, conn.get(m)!, 'session.setPin', { currentPassword: PASSWORD[m], pin: PIN });
  await rpc(app, helper.spare, 'session.setPin', { currentPassword: 'aide-spare-piano-7', pin: PIN });
}, 300_000);
afterAll(async () => {
  await app.close();
  site.close();
});

// ---- objects in the caller's reach (own) or not (other) ----

const ownInstitution = (c: Caller): InstitutionCode => (c === 'pro' ? 'CAF' : c === 'coordInstitution' ? 'CDAS' : 'CCAS');
const SERVICE_OF: Record<InstitutionCode, string> = { CCAS: 'CCAS', CDAS: 'CDAS', CAF: 'CAF', ARCS: 'ARCS', WEKER: 'WEKER' };
const serviceFor = (c: Caller, scope: Scope) => SERVICE_OF[scope === 'other' ? OTHER_INSTITUTION : ownInstitution(c)];
/** Whether the caller records contacts and sends hand-overs themselves (desk work). */
const doesDeskWork = (c: Caller) => c !== 'anonyme' && c !== 'admin';

/** A desk receives one person at a time: whoever a probe left at that desk is finished first. */
async function freeDesk(destination: string) {
  const { entries } = await rpc(app, helper.coord, 'queue.list', {});
  for (const e of entries) {
    if (e.calledTo === destination && (e.state === 'called' || e.state === 'in_progress')) await rpc(app, helper.coord, 'queue.finish', { id: e.id, version: e.version });
  }
}

async function ticket(service: string, state: 'waiting' | 'called' | 'calledTwice' | 'in_progress' = 'waiting', firstName?: string) {
  let e = await rpc(app, helper.agent, 'queue.add', { serviceCode: service, ...(firstName ? { firstName } : {}) });
  if (state === 'waiting') return e;
  if (state === 'in_progress') return rpc(app, helper.agent, 'queue.start', { id: e.id, version: e.version });
  await freeDesk('Guichet 1');
  e = await rpc(app, helper.agent, 'queue.call', { id: e.id, version: e.version, destination: 'Guichet 1' });
  if (state === 'calledTwice') e = await rpc(app, helper.agent, 'queue.recall', { id: e.id, version: e.version });
  return e;
}

async function contact(c: Caller, scope: Scope) {
  const author = scope === 'own' && doesDeskWork(c) ? conn.get(c)! : helper.agent;
  return rpc(app, author, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] });
}

/** Own: sent by the caller (when they may send) to their institution; other: from We Ker to We Ker. */
async function handoff(c: Caller, scope: Scope, state: 'proposed' | 'accepted' = 'proposed') {
  const from = scope === 'other' ? helper.weker : doesDeskWork(c) ? conn.get(c)! : helper.agent;
  const to = scope === 'other' ? OTHER_INSTITUTION : ownInstitution(c);
  const h = await rpc(app, from, 'handoffs.create', { toInstitution: to, domains: ['LOGEMENT'], mode: 'rappel', consent: true, sharedFields: ['name'], personName: 'Mme Test' });
  return state === 'accepted' ? rpc(app, helper.coord, 'handoffs.accept', { id: h.id, version: h.version }) : h;
}

let dayOffset = 0;
/** A past day of its own for each closing probe (nothing open on it). */
const freshDay = () => new Date(Date.UTC(2026, 8, 1) + dayOffset++ * 86_400_000).toISOString().slice(0, 10);

// ---- probes: one per method; they set up what the call needs, then call as the caller ----

type Probe = (caller: Caller, scope: Scope) => Promise<JsonRpcResponse | Outcome>;
/** Calls as the caller (anonymous: a fresh connection each time, since signing in attaches a session to it). */
const call = (caller: Caller, method: string, params: unknown): Promise<JsonRpcResponse> =>
  app.router.handle({ jsonrpc: '2.0', id: 1, method, params }, caller === 'anonyme' ? { token: null } : conn.get(caller)!) as Promise<JsonRpcResponse>;
/** Calls on a fresh session of the caller (for methods that end or lock it). */
const onFreshSession = async (caller: Caller, method: string, params: unknown): Promise<JsonRpcResponse> => {
  const c = caller === 'anonyme' ? { token: null } : await signInAs(LOGIN[caller], PASSWORD[caller]);
  return app.router.handle({ jsonrpc: '2.0', id: 1, method, params }, c) as Promise<JsonRpcResponse>;
};
/** For list methods: 'hidden' when the answer leaves the object out. */
const listed = async (r: JsonRpcResponse, pick: (result: never) => { id: string }[], id: string): Promise<JsonRpcResponse | Outcome> =>
  'error' in r ? r : pick(r.result as never).some((x) => x.id === id) ? 'ok' : 'hidden';
/** Some methods answer "unavailable" here by design (no central server, no desktop recovery): past the gate. */
const unavailableIsOk = (r: JsonRpcResponse): JsonRpcResponse | Outcome => ('error' in r && r.error.data.code === 'UNAVAILABLE' ? 'ok' : r);

const queueAction =
  (method: string, state: Parameters<typeof ticket>[1], extra: (c: Caller, s: Scope) => Record<string, unknown> = () => ({})): Probe =>
  async (c, s) => {
    const e = await ticket(serviceFor(c, s), state);
    return call(c, method, { id: e.id, version: e.version, ...extra(c, s) });
  };

const handoffAction =
  (method: string, state: 'proposed' | 'accepted' = 'proposed', extra: Record<string, unknown> = {}): Probe =>
  async (c, s) => {
    const h = await handoff(c, s, state);
    return call(c, method, { id: h.id, version: h.version, ...extra });
  };

const PROBES: Record<string, Probe> = {
  'rpc.schema': (c) => call(c, 'rpc.schema', {}),
  'site.info': (c) => call(c, 'site.info', {}),

  'session.login': (c) => call(c, 'session.login', c === 'anonyme' ? { login: 'h.spare', password: 'aide-spare-piano-7' } : { login: LOGIN[c], password: PASSWORD[c] }),
  'session.pinLogin': (c) => call(c, 'session.pinLogin', { login: c === 'anonyme' ? 'h.spare' : LOGIN[c], pin: PIN }),
  'session.resume': (c) => call(c, 'session.resume', { token: (c === 'anonyme' ? helper.spare : conn.get(c)!).token }),
  'session.lock': (c) => onFreshSession(c, 'session.lock', {}),
  'session.unlock': async (c) => {
    const fresh = c === 'anonyme' ? { token: null } : await signInAs(LOGIN[c], PASSWORD[c]);
    if (fresh.token) await rpc(app, fresh, 'session.lock', {});
    const secret = c === 'admin' ? { password: PASSWORD.admin } : { pin: PIN };
    return app.router.handle({ jsonrpc: '2.0', id: 1, method: 'session.unlock', params: secret }, fresh) as Promise<JsonRpcResponse>;
  },
  'session.setPin': (c) => call(c, 'session.setPin', { currentPassword: c === 'anonyme' ? 'x' : PASSWORD[c], pin: PIN }),
  'session.logout': (c) => onFreshSession(c, 'session.logout', {}),
  'session.me': (c) => call(c, 'session.me', {}),
  'session.changePassword': async (c) => {
    const current = c === 'anonyme' ? 'aide-spare-piano-7' : PASSWORD[c];
    const r = await call(c, 'session.changePassword', { currentPassword: current, newPassword: `${current}-bis` });
    if (!('error' in r)) await rpc(app, conn.get(c)!, 'session.changePassword', { currentPassword: `${current}-bis`, newPassword: current });
    return r;
  },

  'system.about': (c) => call(c, 'system.about', {}),
  'setup.status': async (c) => unavailableIsOk(await call(c, 'setup.status', {})),
  'setup.pair': async (c) => unavailableIsOk(await call(c, 'setup.pair', { hubUrl: 'https://hub.esc.local:4780', code: '123456', deviceName: 'Accueil 1' })),
  'setup.standalone': async (c) => unavailableIsOk(await call(c, 'setup.standalone', {})),
  'setup.retry': async (c) => unavailableIsOk(await call(c, 'setup.retry', {})),
  'support.bundle': (c) => call(c, 'support.bundle', {}),
  'accounts.list': (c) => call(c, 'accounts.list', {}),
  'accounts.create': (c) => call(c, 'accounts.create', { login: `nouveau.${next()}`, displayName: 'Nouveau compte', role: 'agent_accueil', password: 'Tramway-Kleber-piano-7' }),
  'accounts.update': async (c) => {
    const a = await createAccount(app.core, null, { login: `cible.${next()}`, displayName: 'Cible', role: 'agent_accueil', password: 'Tramway-Kleber-piano-7', mustChangePassword: true });
    return call(c, 'accounts.update', { id: a.id, version: a.version, displayName: 'Cible renommée' });
  },
  'accounts.resetPassword': async (c) => {
    const a = await createAccount(app.core, null, { login: `cible.${next()}`, displayName: 'Cible', role: 'agent_accueil', password: 'Tramway-Kleber-piano-7', mustChangePassword: true });
    return call(c, 'accounts.resetPassword', { id: a.id, password: 'Autre-tramway-piano-8' });
  },

  'queue.getConfig': (c) => call(c, 'queue.getConfig', {}),
  'queue.updateConfig': (c) => call(c, 'queue.updateConfig', { config: getQueueConfig(app.core) }),
  'queue.professionals': (c) => call(c, 'queue.professionals', {}),
  'queue.add': (c) => call(c, 'queue.add', { serviceCode: 'ACCUEIL' }),
  'queue.list': async (c, s) => {
    const e = await ticket(serviceFor(c, s));
    return listed(await call(c, 'queue.list', {}), (r: { entries: { id: string }[] }) => r.entries, e.id);
  },
  'queue.call': async (c, s) => {
    const e = await ticket(serviceFor(c, s));
    await freeDesk('Bureau 1');
    return call(c, 'queue.call', { id: e.id, version: e.version, destination: 'Bureau 1' });
  },
  'queue.callNext': async (c, s) => {
    await ticket(serviceFor(c, s));
    await freeDesk('Bureau 1');
    return call(c, 'queue.callNext', { serviceCode: serviceFor(c, s), destination: 'Bureau 1' });
  },
  'queue.recall': queueAction('queue.recall', 'called'),
  'queue.start': queueAction('queue.start', 'called'),
  'queue.finish': queueAction('queue.finish', 'in_progress'),
  'queue.noShow': queueAction('queue.noShow', 'calledTwice'),
  'queue.left': queueAction('queue.left', 'waiting'),
  'queue.cancel': queueAction('queue.cancel', 'waiting', () => ({ reason: 'Erreur de saisie' })),
  'queue.move': queueAction('queue.move', 'waiting', (c, s) => ({ serviceCode: serviceFor(c, s) === 'ACCUEIL' ? 'CCAS' : 'ACCUEIL', reason: 'Mauvais service' })),
  'queue.reorder': queueAction('queue.reorder', 'waiting', () => ({ beforeId: null, reason: 'Ordre de passage' })),
  'queue.closeDay': (c) => call(c, 'queue.closeDay', {}),
  'display.board': (c) => call(c, 'display.board', {}),

  'taxonomy.list': (c) => call(c, 'taxonomy.list', {}),
  'contacts.log': (c) => call(c, 'contacts.log', { channel: 'telephone', domains: ['LOGEMENT'] }),
  'contacts.update': async (c, s) => {
    const x = await contact(c, s);
    return call(c, 'contacts.update', { id: x.id, version: x.version, domains: ['AUTRE'] });
  },
  'contacts.cancel': async (c, s) => {
    const x = await contact(c, s);
    return call(c, 'contacts.cancel', { id: x.id, version: x.version, reason: 'doublon' });
  },
  'contacts.get': async (c, s) => call(c, 'contacts.get', { id: (await contact(c, s)).id }),
  'contacts.list': async (c, s) => {
    const x = await contact(c, s);
    return listed(await call(c, 'contacts.list', {}), (r: { contacts: { id: string }[] }) => r.contacts, x.id);
  },
  'contacts.persons': (c) => call(c, 'contacts.persons', { from: TODAY, to: TODAY }),

  'directory.list': (c) => call(c, 'directory.list', {}),
  'directory.saveEntry': (c) => call(c, 'directory.saveEntry', { institution: 'CCAS', kind: 'team', name: `Équipe ${next()}` }),
  'directory.savePartner': (c) => call(c, 'directory.savePartner', { code: `PARTENAIRE_${next()}`, name: 'Partenaire de test' }),

  'handoffs.getConfig': (c) => call(c, 'handoffs.getConfig', {}),
  'handoffs.updateConfig': (c) => call(c, 'handoffs.updateConfig', { config: getHandoffConfig(app.core) }),
  'handoffs.create': async (c, s) => {
    const e = await ticket(serviceFor(c, s));
    return call(c, 'handoffs.create', { toInstitution: 'CDAS', domains: ['LOGEMENT'], mode: 'rappel', consent: false, queueEntryId: e.id });
  },
  'handoffs.inbox': async (c, s) => {
    const h = await handoff(c, s);
    return listed(await call(c, 'handoffs.inbox', {}), (r: { handoffs: { id: string }[] }) => r.handoffs, h.id);
  },
  'handoffs.sent': async (c, s) => {
    const h = await handoff(c, s);
    return listed(await call(c, 'handoffs.sent', { all: true }), (r: { handoffs: { id: string }[] }) => r.handoffs, h.id);
  },
  'handoffs.details': async (c, s) => call(c, 'handoffs.details', { id: (await handoff(c, s)).id }),
  'handoffs.seen': handoffAction('handoffs.seen'),
  'handoffs.accept': handoffAction('handoffs.accept'),
  'handoffs.decline': handoffAction('handoffs.decline', 'proposed', { reason: 'indisponible' }),
  'handoffs.complete': handoffAction('handoffs.complete', 'accepted'),
  'handoffs.cancel': handoffAction('handoffs.cancel'),
  'handoffs.personLeft': handoffAction('handoffs.personLeft'),

  'stats.today': (c) => call(c, 'stats.today', {}),
  'stats.period': (c) => call(c, 'stats.period', { from: '2026-11-16', to: TODAY }),
  'days.list': (c) => call(c, 'days.list', { from: '2026-11-16', to: TODAY }),
  'exports.report': (c) => call(c, 'exports.report', { from: TODAY, to: TODAY, format: 'csv' }),
  'exports.download': async (c, s) => {
    const asker = s === 'own' && c !== 'anonyme' ? conn.get(c)! : helper.coord;
    const file = await rpc(app, asker, 'exports.report', { from: TODAY, to: TODAY, format: 'csv' });
    return call(c, 'exports.download', { downloadId: file.downloadId });
  },
  'days.review': (c) => call(c, 'days.review', { day: TODAY }),
  'days.close': (c) => call(c, 'days.close', { day: freshDay() }),
  'days.closeRemaining': (c) => call(c, 'days.closeRemaining', { day: freshDay(), reason: 'Fin de journée' }),
  'days.reopen': async (c) => {
    const day = freshDay();
    await rpc(app, helper.coord, 'days.close', { day });
    return call(c, 'days.reopen', { day, reason: 'Correction demandée' });
  },

  'audit.list': (c) => call(c, 'audit.list', { from: TODAY, to: TODAY, limit: 5 }),
  'exports.audit': (c) => call(c, 'exports.audit', { from: TODAY, to: TODAY, entity: 'account' }),

  'backups.list': (c) => call(c, 'backups.list', {}),
  'backups.run': (c) => {
    site.clock.advance(1000);
    return call(c, 'backups.run', {});
  },
  'backups.restore': async (c) => {
    site.clock.advance(1000);
    const b = backupNow(app.core.store, site.keyHex, app.services.backups!.dir, 50, site.clock.now());
    const r = await call(c, 'backups.restore', { name: b.name });
    // A restore closes every session: everyone signs in again.
    if (!('error' in r)) await signEveryoneIn();
    return r;
  },
  'recovery.unlock': async (c) => unavailableIsOk(await call(c, 'recovery.unlock', { key: 'a'.repeat(64) })),

  'privacy.getRetention': (c) => call(c, 'privacy.getRetention', {}),
  'privacy.updateRetention': (c) => call(c, 'privacy.updateRetention', { retention: { contactNotesDays: 90, personKeysDays: 730 } }),
  'privacy.search': (c) => call(c, 'privacy.search', { lastName: 'Durand' }),
  'privacy.erase': async (c) => {
    const e = await ticket('ACCUEIL', 'waiting', 'Durand');
    return call(c, 'privacy.erase', { items: [{ kind: 'queue_first_name', id: e.id }], reason: 'demande_personne' });
  },

  'sync.status': (c) => call(c, 'sync.status', {}),
  'sync.run': async (c) => unavailableIsOk(await call(c, 'sync.run', {})),
  'sync.configure': (c) => call(c, 'sync.configure', { url: null }),

  'devices.list': (c) => call(c, 'devices.list', {}),
  'devices.pairingCode': (c) => call(c, 'devices.pairingCode', {}),
  'devices.revoke': async (c) => {
    const { code } = createPairingCode(app.core, null);
    const { deviceId } = pairDevice(app.core, { name: `Poste ${next()}`, code, fingerprint: '', address: '192.168.1.20' });
    return call(c, 'devices.revoke', { id: deviceId });
  },
};

function outcomeOf(r: JsonRpcResponse | Outcome): string {
  if (typeof r === 'string') return r;
  if (!('error' in r)) return 'ok';
  const code = r.error.data.code;
  if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return 'refused';
  if (code === 'NOT_FOUND') return 'hidden';
  return `${code}: ${r.error.message}`;
}

let methods: string[] = [];
beforeAll(async () => {
  methods = Object.keys((await rpc(app, { token: null }, 'rpc.schema', {})).methods);
});

describe('the permission matrix', () => {
  it('has a line and a probe for every method listed by rpc.schema', () => {
    expect(methods.length).toBeGreaterThan(70);
    expect(methods.filter((m) => !Object.prototype.hasOwnProperty.call(PERMISSION_MATRIX, m))).toEqual([]);
    expect(methods.filter((m) => !Object.prototype.hasOwnProperty.call(PROBES, m))).toEqual([]);
    expect(Object.keys(PERMISSION_MATRIX).filter((m) => !methods.includes(m))).toEqual([]);
  });

  it('matches every method called as every caller, in every scope', async () => {
    const mismatches: string[] = [];
    for (const method of methods) {
      const entry = PERMISSION_MATRIX[method as keyof typeof PERMISSION_MATRIX];
      const probe = PROBES[method];
      if (!entry || !probe) continue;
      for (const [scope, line] of Object.entries(entry) as [Scope, Record<Caller, Outcome>][]) {
        for (const caller of CALLERS) {
          const got = outcomeOf(await probe(caller, scope));
          if (got !== line[caller]) mismatches.push(`${method} [${scope}] as ${caller}: expected ${line[caller]}, got ${got}`);
        }
      }
    }
    expect(mismatches.join('\n')).toBe('');
  }, 900_000);
});
