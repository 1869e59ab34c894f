/**
 * The one permission module: "may this session do this?". The router calls it to refuse a
 * method, the UI calls it to hide what the signed-in person cannot do, so they never disagree.
 */
import type { InstitutionCode } from './reference/institutions';

export const ROLES = ['agent_accueil', 'professionnel', 'coordinateur', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_FR: Record<Role, string> = {
  agent_accueil: 'Agent d’accueil',
  professionnel: 'Professionnel·le',
  coordinateur: 'Coordination du site',
  admin: 'Administration',
};

/**
 * What a method requires. `public`: no session; `authenticated`: any signed-in account;
 * the others are capabilities granted to roles below.
 */
export const PERMISSIONS = [
  'public',
  'authenticated',
  'accounts.manage',
  'queue.view',
  'queue.register',
  'queue.operate',
  'queue.close',
  'queue.configure',
  'contacts.log',
  'contacts.view',
  'contacts.correctAny',
  'directory.view',
  'directory.manage',
  'handoffs.create',
  'handoffs.receive',
  'handoffs.oversee',
  'stats.view',
  'days.close',
  'audit.view',
  'privacy.manage',
  'sync.view',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS_FR: Record<Permission, string> = {
  public: 'tout le monde, sans connexion',
  authenticated: 'toute personne connectée',
  'accounts.manage': 'administration',
  'queue.view': 'accueil, professionnel·les, coordination',
  'queue.register': 'accueil, coordination',
  'queue.operate': 'accueil, coordination ; professionnel·les pour les services de leur institution',
  'queue.close': 'accueil, coordination (clore la file du jour)',
  'queue.configure': 'coordination, administration',
  'contacts.log': 'accueil, professionnel·les, coordination',
  'contacts.view': 'accueil, professionnel·les (leurs contacts), coordination',
  'contacts.correctAny': 'coordination',
  'directory.view': 'toute personne connectée',
  'directory.manage': 'coordination, administration',
  'handoffs.create': 'accueil, professionnel·les, coordination',
  'handoffs.receive': 'professionnel·les et coordination, pour leur institution',
  'handoffs.oversee': 'coordination : ceux de son institution, ou tout le site sans institution',
  'stats.view': 'toute personne connectée',
  'days.close': 'coordination',
  'audit.view': 'coordination, administration',
  'privacy.manage': 'coordination',
  'sync.view': 'coordination, administration',
};

const GRANTS: Record<Role, readonly Permission[]> = {
  agent_accueil: ['authenticated', 'queue.view', 'queue.register', 'queue.operate', 'queue.close', 'contacts.log', 'contacts.view', 'directory.view', 'handoffs.create', 'stats.view'],
  professionnel: ['authenticated', 'queue.view', 'queue.operate', 'contacts.log', 'contacts.view', 'directory.view', 'handoffs.create', 'handoffs.receive', 'stats.view'],
  coordinateur: [
    'authenticated',
    'queue.view',
    'queue.register',
    'queue.operate',
    'queue.close',
    'queue.configure',
    'contacts.log',
    'contacts.view',
    'contacts.correctAny',
    'directory.view',
    'directory.manage',
    'handoffs.create',
    'handoffs.receive',
    'handoffs.oversee',
    'stats.view',
    'days.close',
    'audit.view',
    'privacy.manage',
    'sync.view',
  ],
  admin: ['authenticated', 'accounts.manage', 'queue.configure', 'directory.view', 'directory.manage', 'stats.view', 'audit.view', 'sync.view'],
};

/** The part of a session that permissions depend on. */
export interface Principal {
  role: Role;
  institution: InstitutionCode | null;
}

/** A principal with its account, for rules about what one wrote or sent oneself. */
export interface Person extends Principal {
  accountId: string;
}

export function can(principal: Principal | null, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (!principal) return false;
  return GRANTS[principal.role].includes(permission);
}

export function permissionsOf(principal: Principal): Permission[] {
  return PERMISSIONS.filter((p) => can(principal, p));
}

/**
 * Object-level rule for the queue: professionals act only on the queues of their own
 * institution; reception and coordination act on every queue of the site.
 */
export function canOperateService(principal: Principal | null, serviceInstitution: InstitutionCode | null): boolean {
  if (!can(principal, 'queue.operate')) return false;
  if (principal!.role !== 'professionnel') return true;
  return serviceInstitution !== null && serviceInstitution === principal!.institution;
}

/** Professionals see the queues of their institution only; the others see every queue. */
export function canSeeService(principal: Principal | null, serviceInstitution: InstitutionCode | null): boolean {
  if (!can(principal, 'queue.view')) return false;
  if (principal!.role !== 'professionnel') return true;
  return serviceInstitution !== null && serviceInstitution === principal!.institution;
}

/**
 * Object-level rule for hand-overs: a professional receives only what is addressed to their
 * institution; a coordinator those of their institution, or all of the site when not attached
 * to one.
 */
export function canReceiveFor(principal: Principal | null, toInstitution: InstitutionCode): boolean {
  if (!can(principal, 'handoffs.receive')) return false;
  if (principal!.role === 'coordinateur' && principal!.institution === null) return true;
  return principal!.institution === toInstitution;
}

/**
 * Object-level rule for hand-overs: a coordinator oversees (lists, cancels, marks "person left",
 * reorients) the hand-overs from or to their institution, or all of the site when not attached to
 * one (decision 010).
 */
export function canOverseeHandoff(principal: Principal | null, h: { fromInstitution: InstitutionCode | null; toInstitution: InstitutionCode }): boolean {
  if (!can(principal, 'handoffs.oversee')) return false;
  const own = principal!.institution;
  return own === null || own === h.fromInstitution || own === h.toInstitution;
}

/** Who may know a hand-over exists (its sender, its receivers, its overseers): the rule of its lists and events. */
export function canSeeHandoff(person: Person | null, h: { fromAccountId: string; fromInstitution: InstitutionCode | null; toInstitution: InstitutionCode }): boolean {
  if (!can(person, 'handoffs.create') && !can(person, 'handoffs.receive')) return false;
  return h.fromAccountId === person!.accountId || canReceiveFor(person, h.toInstitution) || canOverseeHandoff(person, h);
}

/** Contacts: professionals see the ones they recorded; reception and coordination see all of the site. */
export function canSeeContact(person: Person | null, authorId: string): boolean {
  if (!can(person, 'contacts.view')) return false;
  return person!.role !== 'professionnel' || person!.accountId === authorId;
}

/**
 * The journal (audit.view) shows who did what, when, on which kind of object, to everyone who may
 * read it; the content of a change (its before/after values) only to those whose role shows that
 * kind of object through the methods. IT administrators thus see no content of queue, contact,
 * hand-over, day-closing or privacy entries (decision 010).
 */
export const AUDIT_CONTENT_PERMISSION: Readonly<Record<string, Permission>> = {
  queue_entry: 'queue.view',
  queue_day: 'queue.view',
  contact: 'contacts.view',
  handoff: 'handoffs.receive',
  day: 'days.close',
  privacy: 'privacy.manage',
};

export function canReadAuditContent(principal: Principal | null, entity: string): boolean {
  if (!can(principal, 'audit.view')) return false;
  const needed = Object.prototype.hasOwnProperty.call(AUDIT_CONTENT_PERMISSION, entity) ? AUDIT_CONTENT_PERMISSION[entity]! : 'audit.view';
  return can(principal, needed);
}
