/**
 * The app's navigation: one entry per capability, shown only to those the permission module
 * allows. Capabilities add their page here when they land. `/` opens the first entry allowed.
 */
import type { ComponentType } from 'react';
import type { Permission } from '../../shared/permissions';
import { SitePage } from './pages/SitePage';
import { AccountsPage } from './pages/AccountsPage';
import { QueuePage } from './pages/queue/QueuePage';
import { QueueSettingsPage } from './pages/queue/QueueSettingsPage';
import { ContactsPage } from './pages/contacts/ContactsPage';
import { HandoffsPage } from './pages/handoffs/HandoffsPage';
import { StatsPage } from './pages/stats/StatsPage';
import { DayClosingPage } from './pages/stats/DayClosingPage';
import { AuditPage } from './pages/audit/AuditPage';
import { BackupsPage } from './pages/BackupsPage';
import { PrivacyPage } from './pages/PrivacyPage';
import { SyncPage } from './pages/SyncPage';
import { DevicesPage } from './pages/DevicesPage';
import { SupportPage } from './pages/SupportPage';

export interface NavEntry {
  path: string;
  label: string;
  permission: Permission;
  component: ComponentType;
}

export const NAV: NavEntry[] = [
  { path: '/file', label: 'File d’attente', permission: 'queue.view', component: QueuePage },
  { path: '/contacts', label: 'Contacts', permission: 'contacts.view', component: ContactsPage },
  { path: '/relais', label: 'Passages de relais', permission: 'handoffs.create', component: HandoffsPage },
  { path: '/statistiques', label: 'Statistiques', permission: 'stats.view', component: StatsPage },
  { path: '/cloture', label: 'Clôture des journées', permission: 'days.close', component: DayClosingPage },
  { path: '/reglages-file', label: 'Réglages de la file', permission: 'queue.configure', component: QueueSettingsPage },
  { path: '/comptes', label: 'Comptes', permission: 'accounts.manage', component: AccountsPage },
  { path: '/postes', label: 'Postes du site', permission: 'accounts.manage', component: DevicesPage },
  { path: '/sauvegardes', label: 'Sauvegardes', permission: 'accounts.manage', component: BackupsPage },
  { path: '/synchronisation', label: 'Synchronisation', permission: 'sync.view', component: SyncPage },
  { path: '/donnees-personnelles', label: 'Données personnelles', permission: 'privacy.manage', component: PrivacyPage },
  { path: '/journal', label: 'Journal', permission: 'audit.view', component: AuditPage },
  { path: '/assistance', label: 'Assistance', permission: 'accounts.manage', component: SupportPage },
  { path: '/site', label: 'Site et horaires', permission: 'authenticated', component: SitePage },
];
