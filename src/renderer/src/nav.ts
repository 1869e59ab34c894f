/**
 * The app's navigation: one entry per capability, shown only to those the permission module
 * allows. Capabilities add their page here when they land.
 */
import type { ComponentType } from 'react';
import type { Permission } from '../../shared/permissions';
import { SitePage } from './pages/SitePage';
import { AccountsPage } from './pages/AccountsPage';

export interface NavEntry {
  path: string;
  label: string;
  permission: Permission;
  component: ComponentType;
}

export const NAV: NavEntry[] = [
  { path: '/', label: 'Site', permission: 'authenticated', component: SitePage },
  { path: '/comptes', label: 'Comptes', permission: 'accounts.manage', component: AccountsPage },
];
