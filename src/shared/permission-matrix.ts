/**
 * The permission matrix as data (issue 13 "Also", decision 010): for every method of the
 * contract, what each kind of caller gets, per object scope. It states the policy that the router
 * (method permissions, `permissions.ts`) and the core (object rules) implement;
 * `tests/security/permission-matrix.test.ts` calls every method listed by `rpc.schema` as every
 * caller and compares the outcome with this table, and fails when a method has no line here.
 * docs/security.md summarises it.
 */
import type { MethodName } from './api/contract';
import type { Principal } from './permissions';

/** The callers of the matrix: anonymous, and one account of each role (coordination with and without an institution). */
export const CALLERS = ['anonyme', 'agent', 'pro', 'coordInstitution', 'coordSite', 'admin'] as const;
export type Caller = (typeof CALLERS)[number];

/** The principal each caller signs in as (the reception agent belongs to the CCAS, as most do). */
export const CALLER_PRINCIPALS: Record<Exclude<Caller, 'anonyme'>, Principal> = {
  agent: { role: 'agent_accueil', institution: 'CCAS' },
  pro: { role: 'professionnel', institution: 'CAF' },
  coordInstitution: { role: 'coordinateur', institution: 'CDAS' },
  coordSite: { role: 'coordinateur', institution: null },
  admin: { role: 'admin', institution: null },
};

/**
 * `ok`: done (or answered); `refused`: FORBIDDEN (UNAUTHENTICATED without a session);
 * `hidden`: the object is out of the caller's reach, so it does not exist for them (NOT_FOUND, or
 * left out of a list).
 */
export type Outcome = 'ok' | 'refused' | 'hidden';

/**
 * `any`: the method has no object-level rule. `own`: an object within the caller's reach by
 * institution or authorship (a ticket of their institution's queue, a contact they recorded, a
 * hand-over they sent to their institution); `other`: the same kind of object of another
 * institution (We Ker) or another person.
 */
export type Scope = 'any' | 'own' | 'other';

export type Line = Readonly<Record<Caller, Outcome>>;
export type MatrixEntry = Partial<Record<Scope, Line>>;

function only(...who: Caller[]): Line {
  return Object.fromEntries(CALLERS.map((c) => [c, who.includes(c) ? 'ok' : 'refused'])) as Record<Caller, Outcome>;
}
const with_ = (line: Line, changes: Partial<Record<Caller, Outcome>>): Line => ({ ...line, ...changes });

const EVERYONE = only(...CALLERS);
const SIGNED_IN = only('agent', 'pro', 'coordInstitution', 'coordSite', 'admin');
const ADMIN = only('admin');
const COORDINATION = only('coordInstitution', 'coordSite');
const QUEUE_VIEW = only('agent', 'pro', 'coordInstitution', 'coordSite');
const QUEUE_REGISTER = only('agent', 'coordInstitution', 'coordSite');
const CONFIGURE = only('coordInstitution', 'coordSite', 'admin');
const AUDIT_AND_SYNC = only('coordInstitution', 'coordSite', 'admin');
const DESK_WORK = only('agent', 'pro', 'coordInstitution', 'coordSite');
const RECEIVERS = only('pro', 'coordInstitution', 'coordSite');

/** A queue action: professionals only on their institution's queues (FORBIDDEN elsewhere). */
const OPERATE: MatrixEntry = { own: DESK_WORK, other: with_(DESK_WORK, { pro: 'refused' }) };
/** Reading the queue: professionals do not see other institutions' queues. */
const QUEUE_READ: MatrixEntry = { own: QUEUE_VIEW, other: with_(QUEUE_VIEW, { pro: 'hidden' }) };
/** Receiving a hand-over: its institution's professionals and coordination, or the site coordination. */
const RECEIVE: MatrixEntry = { own: RECEIVERS, other: with_(RECEIVERS, { pro: 'refused', coordInstitution: 'refused' }) };
/** Overseeing a hand-over (cancel, person left): its sender, or the coordination of its institutions or of the site. */
const OVERSEE: MatrixEntry = { own: DESK_WORK, other: with_(DESK_WORK, { agent: 'refused', pro: 'refused', coordInstitution: 'refused' }) };

export const PERMISSION_MATRIX: Record<MethodName, MatrixEntry> = {
  'rpc.schema': { any: EVERYONE },
  'site.info': { any: SIGNED_IN },
  // Version and build (the À propos panel, version checks before signing in).
  'system.about': { any: EVERYONE },
  // Answered by the desktop's first-start screen only; the hub says UNAVAILABLE to anyone.
  'setup.status': { any: EVERYONE },
  'setup.pair': { any: EVERYONE },
  'setup.standalone': { any: EVERYONE },
  'setup.retry': { any: EVERYONE },
  // Versions, settings without secrets, last problems, sync state: administration only.
  'support.bundle': { any: ADMIN },

  // Signing in: public, with one's own secret; administrators have no PIN.
  'session.login': { any: EVERYONE },
  'session.pinLogin': { any: with_(EVERYONE, { admin: 'refused' }) },
  'session.resume': { any: EVERYONE },
  'session.lock': { any: SIGNED_IN },
  'session.unlock': { any: SIGNED_IN },
  'session.setPin': { any: with_(SIGNED_IN, { admin: 'refused' }) },
  'session.logout': { any: SIGNED_IN },
  'session.me': { any: SIGNED_IN },
  'session.changePassword': { any: SIGNED_IN },

  'accounts.list': { any: ADMIN },
  'accounts.create': { any: ADMIN },
  'accounts.update': { any: ADMIN },
  'accounts.resetPassword': { any: ADMIN },

  // No person in it: desks need it to work, administrators to edit it (decision 018).
  'queue.getConfig': { any: SIGNED_IN },
  'queue.updateConfig': { any: CONFIGURE },
  'queue.professionals': { any: QUEUE_REGISTER },
  'queue.add': { any: QUEUE_REGISTER },
  'queue.list': QUEUE_READ,
  'queue.call': OPERATE,
  'queue.callNext': OPERATE,
  'queue.recall': OPERATE,
  'queue.start': OPERATE,
  'queue.finish': OPERATE,
  'queue.noShow': OPERATE,
  'queue.left': OPERATE,
  'queue.cancel': OPERATE,
  'queue.move': OPERATE,
  'queue.reorder': OPERATE,
  // Closing the day's queue ends every waiting ticket of every service: reception and coordination only.
  'queue.closeDay': { any: only('agent', 'coordInstitution', 'coordSite') },
  'display.board': { any: EVERYONE },

  'taxonomy.list': { any: SIGNED_IN },
  'contacts.log': { any: DESK_WORK },
  // Correcting: its author (the same day) or the coordination; professionals do not see others' contacts.
  'contacts.update': { own: DESK_WORK, other: with_(DESK_WORK, { agent: 'refused', pro: 'hidden' }) },
  'contacts.cancel': { own: DESK_WORK, other: with_(DESK_WORK, { agent: 'refused', pro: 'hidden' }) },
  'contacts.get': { own: DESK_WORK, other: with_(DESK_WORK, { pro: 'hidden' }) },
  'contacts.list': { own: DESK_WORK, other: with_(DESK_WORK, { pro: 'hidden' }) },
  'contacts.persons': { any: DESK_WORK },

  'directory.list': { any: SIGNED_IN },
  'directory.saveEntry': { any: CONFIGURE },
  'directory.savePartner': { any: CONFIGURE },

  'handoffs.getConfig': { any: SIGNED_IN },
  'handoffs.updateConfig': { any: CONFIGURE },
  // From a ticket: only one the caller can see.
  'handoffs.create': { own: DESK_WORK, other: with_(DESK_WORK, { pro: 'hidden' }) },
  'handoffs.inbox': { own: RECEIVERS, other: with_(RECEIVERS, { pro: 'hidden', coordInstitution: 'hidden' }) },
  // With `all`: the coordination lists what it oversees; the others their own.
  'handoffs.sent': { own: DESK_WORK, other: with_(DESK_WORK, { agent: 'hidden', pro: 'hidden', coordInstitution: 'hidden' }) },
  // Personal details: the sender and the receivers only (every read is journaled).
  'handoffs.details': { own: DESK_WORK, other: with_(DESK_WORK, { agent: 'refused', pro: 'refused', coordInstitution: 'refused' }) },
  'handoffs.seen': RECEIVE,
  'handoffs.accept': RECEIVE,
  'handoffs.decline': RECEIVE,
  'handoffs.complete': RECEIVE,
  'handoffs.cancel': OVERSEE,
  'handoffs.personLeft': OVERSEE,

  'stats.today': { any: SIGNED_IN },
  'stats.period': { any: SIGNED_IN },
  'days.list': { any: SIGNED_IN },
  'exports.report': { any: SIGNED_IN },
  // A prepared file is fetched once, by the session that asked for it.
  'exports.download': { own: SIGNED_IN, other: with_(SIGNED_IN, { agent: 'hidden', pro: 'hidden', coordInstitution: 'hidden', coordSite: 'hidden', admin: 'hidden' }) },
  'days.review': { any: COORDINATION },
  'days.close': { any: COORDINATION },
  'days.closeRemaining': { any: COORDINATION },
  'days.reopen': { any: COORDINATION },

  // The journal: content per kind of object (canReadAuditContent), tested on its own.
  'audit.list': { any: AUDIT_AND_SYNC },
  'exports.audit': { any: AUDIT_AND_SYNC },

  'backups.list': { any: ADMIN },
  'backups.run': { any: ADMIN },
  'backups.restore': { any: ADMIN },
  // Answered by the desktop app before its base is open; a hub says so to anyone.
  'recovery.unlock': { any: EVERYONE },

  'privacy.getRetention': { any: COORDINATION },
  'privacy.updateRetention': { any: COORDINATION },
  'privacy.search': { any: COORDINATION },
  'privacy.erase': { any: COORDINATION },

  'sync.status': { any: AUDIT_AND_SYNC },
  'sync.run': { any: AUDIT_AND_SYNC },
  'sync.configure': { any: ADMIN },

  'devices.list': { any: ADMIN },
  'devices.pairingCode': { any: ADMIN },
  'devices.revoke': { any: ADMIN },
};
