/** Chooses what to show: sign-in, password change, or the signed-in app with its pages. */
import { Center, Loader, Text, Title, Stack } from '@mantine/core';
import { useSession } from './session/SessionContext';
import { SignInPage } from './pages/SignInPage';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { LockScreen } from './pages/LockScreen';
import { Shell } from './layout/Shell';
import { NAV } from './nav';
import { navigate, usePath } from './router';
import { DisplayPage } from './pages/display/DisplayPage';
import { RecoveryPage } from './pages/RecoveryPage';
import { FirstStartPage } from './pages/FirstStartPage';
import { ContactsProvider } from './pages/contacts/ContactsProvider';
import { HandoffsProvider } from './pages/handoffs/HandoffsProvider';
import { HELP_PATH, HelpPage } from './pages/help/HelpPage';
import { VersionMismatchPage } from './pages/VersionMismatchPage';
import { useVersionMismatch } from './hooks';

export function App() {
  const { me, loading, may } = useSession();
  const path = usePath();
  const mismatch = useVersionMismatch();

  // The hub cannot serve this page's version: nothing else would work, say what to do.
  if (mismatch) return <VersionMismatchPage mismatch={mismatch} />;
  // The waiting-room screen needs no sign-in and shows no personal data.
  if (path === '/display') return <DisplayPage />;
  // Desktop only: the base is locked until the recovery key is given (src/main/desktop/main.ts).
  if (path === '/recuperation' && window.escApi) return <RecoveryPage />;
  // Desktop only: this PC is neither paired with its hub nor a standalone desk yet (setup/first-start.ts).
  if (path === '/premier-demarrage' && window.escApi) return <FirstStartPage />;
  if (loading) {
    return (
      <Center mih="100vh" component="main">
        <Loader aria-label="Chargement" />
      </Center>
    );
  }
  if (!me) return <SignInPage />;
  if (me.locked) return <LockScreen />;
  if (me.mustChangePassword) return <ChangePasswordPage />;

  const entries = NAV.filter((e) => may(e.permission));
  // The user guide: every signed-in person, every role's guide.
  if (path === HELP_PATH || path.startsWith(`${HELP_PATH}/`)) {
    return (
      <ContactsProvider>
        <HandoffsProvider>
          <Shell entries={entries} path={path}>
            <HelpPage path={path} />
          </Shell>
        </HandoffsProvider>
      </ContactsProvider>
    );
  }
  const current = entries.find((e) => e.path === (path === '/' ? entries[0]?.path : path));
  if (!current) {
    return (
      <Shell entries={entries} path={path}>
        <Stack>
          <Title order={1} size="h2">
            Page introuvable
          </Title>
          <Text>
            Cette page n’existe pas ou vous n’y avez pas accès.{' '}
            <a
              href="/"
              onClick={(e) => {
                e.preventDefault();
                navigate('/');
              }}
            >
              Revenir à l’accueil
            </a>
          </Text>
        </Stack>
      </Shell>
    );
  }
  const Page = current.component;
  return (
    <ContactsProvider>
      <HandoffsProvider>
        <Shell entries={entries} path={current.path}>
          <Page />
        </Shell>
      </HandoffsProvider>
    </ContactsProvider>
  );
}
