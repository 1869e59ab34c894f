/** The frame of every signed-in page: header (site, date, agent, sign-out), navigation, content. */
import { useCallback, useState, type ReactNode } from 'react';
import { AppShell, Badge, Button, Group, Menu, NavLink, Text } from '@mantine/core';
import { ROLE_LABELS_FR } from '../../../shared/permissions';
import { institutionLabel } from '../../../shared/reference/institutions';
import { formatDateFr, localTime } from '../../../shared/time/paris';
import { useSession } from '../session/SessionContext';
import { useNow } from '../hooks';
import { navigate } from '../router';
import type { NavEntry } from '../nav';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { PinDialog } from '../components/PinDialog';
import { AboutDialog } from '../components/AboutDialog';
import { useInactivityLock } from '../inactivity';
import { ShortcutsHelp, useShortcuts } from '../shortcuts';
import { HELP_PATH, helpPathFor } from '../pages/help/HelpPage';

export function Shell({ entries, path, children }: { entries: NavEntry[]; path: string; children: ReactNode }) {
  const { me, signOut, lock } = useSession();
  const now = useNow(10_000);
  const [pinOpen, setPinOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [aboutOpen, setAboutOpen] = useState(false);
  const lockNow = useCallback(() => void lock().catch(() => undefined), [lock]);
  useInactivityLock(me?.lockAfterMinutes ?? null, lockNow);
  useShortcuts('Partout', [
    { keys: 'Alt+L', label: 'Verrouiller le poste', run: lockNow, scope: 'always' },
    { keys: '?', label: 'Afficher les raccourcis de la page (hors saisie)', run: () => setHelpOpen((o) => !o), scope: 'always' },
    // F1 opens the guide of one's role (its last section lists the shortcuts), even from a field.
    { keys: 'F1', label: 'Ouvrir l’aide (guide de votre rôle)', run: () => me && navigate(helpPathFor(me.role)), scope: 'always' },
  ]);
  if (!me) return null;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 210, breakpoint: 0 }} padding="md">
      <a href="#contenu" className="skip-link">
        Aller au contenu
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Text fw={700} size="lg">
              Accueil ESC
            </Text>
            <Text c="dimmed" aria-label="Site">
              {me.siteName}
            </Text>
            <ConnectionBadge />
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text aria-label="Date et heure">
              {formatDateFr(now)} · {localTime(now)}
            </Text>
            <Group gap={6} wrap="nowrap">
              <Text fw={600} data-testid="signed-in-name">
                {me.displayName}
              </Text>
              <Badge variant="light" color="gray" c="dark">
                {ROLE_LABELS_FR[me.role]}
                {me.institution ? ` · ${institutionLabel(me.institution)}` : ''}
              </Badge>
            </Group>
            <Button
              component="a"
              href={helpPathFor(me.role)}
              variant={path.startsWith(HELP_PATH) ? 'light' : 'subtle'}
              size="xs"
              title="F1"
              aria-current={path.startsWith(HELP_PATH) ? 'page' : undefined}
              onClick={(e: React.MouseEvent) => {
                e.preventDefault();
                navigate(helpPathFor(me.role));
              }}
            >
              Aide
            </Button>
            <Button variant="default" size="xs" onClick={lockNow} title="Alt+L">
              Verrouiller
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="subtle" size="xs" color="gray" aria-label="Mon compte">
                  ▾
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                {me.role !== 'admin' && (
                  <Menu.Item onClick={() => setPinOpen(true)}>{me.hasPin ? 'Changer mon code personnel' : 'Choisir mon code personnel'}</Menu.Item>
                )}
                <Menu.Item onClick={() => setAboutOpen(true)}>À propos</Menu.Item>
              </Menu.Dropdown>
            </Menu>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Se déconnecter
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Navigation principale">
        {entries.map((e) => (
          <NavLink
            key={e.path}
            href={e.path}
            label={e.label}
            variant="filled"
            active={e.path === path}
            aria-current={e.path === path ? 'page' : undefined}
            onClick={(ev) => {
              ev.preventDefault();
              navigate(e.path);
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="contenu" tabIndex={-1}>
        {children}
      </AppShell.Main>
      {pinOpen && <PinDialog onClose={() => setPinOpen(false)} />}
      <ShortcutsHelp opened={helpOpen} onClose={() => setHelpOpen(false)} />
      {aboutOpen && <AboutDialog onClose={() => setAboutOpen(false)} />}
    </AppShell>
  );
}
