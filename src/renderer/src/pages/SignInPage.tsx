/** Sign-in screen: identifier and password, French errors, keyboard only. */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { api, errorMessage } from '../api/client';
import { versionText } from '../components/AboutDialog';
import { useSession } from '../session/SessionContext';

export function SignInPage() {
  const { signIn, signInWithPin } = useSession();
  const [mode, setMode] = useState<'password' | 'pin'>('password');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'pin') await signInWithPin(login, password);
      else await signIn(login, password);
    } catch (err) {
      setError(errorMessage(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center component="main" mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Accueil ESC
              </Title>
              <Text c="dimmed" size="sm">
                Espaces sociaux communs de Rennes – connexion
              </Text>
            </div>
            {error && (
              <Alert color="red" role="alert" title="Connexion impossible">
                {error}
              </Alert>
            )}
            <SegmentedControl
              value={mode}
              onChange={(v) => {
                setMode(v as 'password' | 'pin');
                setPassword('');
              }}
              data={[
                { value: 'password', label: 'Avec mot de passe' },
                { value: 'pin', label: 'Avec code personnel' },
              ]}
              aria-label="Mode de connexion"
              fullWidth
            />
            <TextInput
              label="Identifiant"
              autoComplete="username"
              autoFocus
              required
              value={login}
              onChange={(e) => setLogin(e.currentTarget.value)}
            />
            {mode === 'password' ? (
              <PasswordInput label="Mot de passe" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            ) : (
              <PasswordInput
                label="Code personnel"
                description="Après une connexion par mot de passe aujourd’hui sur le site"
                inputMode="numeric"
                autoComplete="off"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value.replace(/\D/g, ''))}
              />
            )}
            <Button type="submit" loading={busy} disabled={!login || !password}>
              Se connecter
            </Button>
            <VersionLine />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

/** The version serving this page, for IT at the desk (also in the À propos panel once signed in). */
function VersionLine() {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    api.call('system.about', {}).then(
      (a) => setText(`Accueil ESC, version ${versionText(a)}`),
      () => setText(null),
    );
  }, []);
  return text ? (
    <Text size="xs" c="dimmed" ta="center" data-testid="signin-version">
      {text}
    </Text>
  ) : null;
}
