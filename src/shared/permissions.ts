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
  'queue.configure',
  'contacts.log',
  'contacts.view',
  'contacts.correctAny',
  'directory.view',
  'directory.manage',
  'handoffs.create',
  'handoffs.receive',
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
  'queue.configure': 'coordination, administration',
  'contacts.log': 'accueil, professionnel·les, coordination',
  'contacts.view': 'accueil, professionnel·les (leurs contacts), coordination',
  'contacts.correctAny': 'coordination',
  'directory.view': 'toute personne connectée',
  'directory.manage': 'coordination, administration',
  'handoffs.create': 'accueil, professionnel·les, coordination',
  'handoffs.receive': 'professionnel·les et coordination, pour leur institution',
  'stats.view': 'toute personne connectée',
  'days.close': 'coordination',
  'audit.view': 'coordination, administration',
  'privacy.manage': 'coordination',
  'sync.view': 'coordination, administration',
};

const GRANTS: Record<Role, readonly Permission[]> = {
  agent_accueil: ['authenticated', 'queue.view', 'queue.register', 'queue.operate', 'contacts.log', 'contacts.view', 'directory.view', 'handoffs.create', 'stats.view'],
  professionnel: ['authenticated', 'queue.view', 'queue.operate', 'contacts.log', 'contacts.view', 'directory.view', 'handoffs.create', 'handoffs.receive', 'stats.view'],
  coordinateur: [
    'authenticated',
    'queue.view',
    'queue.register',
    'queue.operate',
    'queue.configure',
    'contacts.log',
    'contacts.view',
    'contacts.correctAny',
    'directory.view',
    'directory.manage',
    'handoffs.create',
    'handoffs.receive',
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
