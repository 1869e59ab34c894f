/** First start of a site database: which site it serves, its secret, its first administrator. */
import { randomBytes } from 'node:crypto';
import type { SiteCode } from '../../../shared/reference/sites';
import { readMeta, writeMeta, type Store } from '../../store/open';
import { createAccount } from '../accounts/accounts';
import type { Clock, CoreContext } from '../context';
import { findSite } from '../../../shared/reference/sites';

export interface SiteSetup {
  siteCode: SiteCode;
  admin: { login: string; displayName: string; password: string };
}

export async function setupSite(store: Store, setup: SiteSetup, clock: Clock): Promise<void> {
  if (readMeta(store, 'site_code')) throw new Error('This database already serves a site.');
  const site = findSite(setup.siteCode);
  if (!site) throw new Error(`Unknown site ${setup.siteCode}`);
  store.sqlite.transaction(() => {
    writeMeta(store, 'site_code', site.code);
    writeMeta(store, 'created_at', clock.now().toISOString());
    // Per-site secret for pseudonymous keys; never leaves the site.
    writeMeta(store, 'site_secret', randomBytes(32).toString('hex'));
  })();
  const ctx: CoreContext = { store, site, clock, events: { emit: () => undefined } };
  await createAccount(ctx, null, { ...setup.admin, role: 'admin', institution: null, mustChangePassword: false });
}
