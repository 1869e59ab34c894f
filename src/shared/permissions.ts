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
export const PERMISSIONS = ['public', 'authenticated', 'accounts.manage'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS_FR: Record<Permission, string> = {
  public: 'tout le monde, sans connexion',
  authenticated: 'toute personne connectée',
  'accounts.manage': 'administration',
};

const GRANTS: Record<Role, readonly Permission[]> = {
  agent_accueil: ['authenticated'],
  professionnel: ['authenticated'],
  coordinateur: ['authenticated'],
  admin: ['authenticated', 'accounts.manage'],
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
