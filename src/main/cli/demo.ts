/**
 * Demo content for `npm run hub` with no arguments: the accounts documented in the README, so a
 * new user can sign in and try every role.
 */
import type { Role } from '../../shared/permissions';
import type { InstitutionCode } from '../../shared/reference/institutions';
import { createAccount } from '../core/accounts/accounts';
import { addEntry } from '../core/queue/queue';
import { resolveSession, login } from '../core/accounts/sessions';
import type { CoreContext } from '../core/context';

export interface DemoAccount {
  login: string;
  displayName: string;
  role: Role;
  institution: InstitutionCode | null;
  password: string;
}

export const DEMO_ADMIN: DemoAccount = {
  login: 'admin',
  displayName: 'Administration du site',
  role: 'admin',
  institution: null,
  password: 'demo-admin-esc',
};

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: 'agent', displayName: 'Camille Martin', role: 'agent_accueil', institution: 'CCAS', password: 'demo-agent-esc' },
  { login: 'agent2', displayName: 'Yann Le Goff', role: 'agent_accueil', institution: 'CDAS', password: 'demo-agent-esc' },
  { login: 'cdas', displayName: 'Nadia Benali', role: 'professionnel', institution: 'CDAS', password: 'demo-cdas-esc' },
  { login: 'caf', displayName: 'Paul Riou', role: 'professionnel', institution: 'CAF', password: 'demo-caf-esc' },
  { login: 'coord', displayName: 'Sophie Durand', role: 'coordinateur', institution: 'CCAS', password: 'demo-coord-esc' },
];

export async function createDemoContent(ctx: CoreContext): Promise<void> {
  for (const a of DEMO_ACCOUNTS) {
    await createAccount(ctx, null, { ...a, mustChangePassword: false });
  }
  // A few people already waiting, so the board is not empty on first look (no real names).
  const { token } = await login(ctx, 'agent', 'demo-agent-esc');
  const agent = resolveSession(ctx, token)!;
  addEntry(ctx, agent, { serviceCode: 'ACCUEIL', firstName: 'M. D.', purpose: 'LOGEMENT' });
  addEntry(ctx, agent, { serviceCode: 'CDAS', purpose: 'PARENTALITE', priorityReasons: ['enfant'] });
  addEntry(ctx, agent, { serviceCode: 'CAF', firstName: 'Amina', purpose: 'DROITS', needs: ['interprete'] });
  addEntry(ctx, agent, { serviceCode: 'CCAS', purpose: 'BUDGET' });
}
