/** The locked desk: nothing of the work is shown; the agent unlocks with the PIN (or password). */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { api, errorMessage } from '../api/client';
import { useSession } from '../session/SessionContext';

export function LockScreen() {
  const { me, refresh, signOut } = useSession();
  const usePin = !!me?.hasPin && me.role !== 'admin';
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('session.unlock', usePin ? { pin: secret } : { password: secret });
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center component="main" mih="100vh" bg="gray.1">
      <Paper withBorder shadow="sm" p="xl" w={400}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              Poste verrouillé
            </Title>
            <Text>
              Session de <strong>{me?.displayName}</strong>. {usePin ? 'Saisissez votre code personnel pour reprendre.' : 'Saisissez votre mot de passe pour reprendre.'}
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            {usePin ? (
              <PasswordInput label="Code personnel" inputMode="numeric" autoFocus value={secret} onChange={(e) => setSecret(e.currentTarget.value.replace(/\D/g, ''))} />
            ) : (
              <PasswordInput label="Mot de passe" autoFocus autoComplete="current-password" value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={() => void signOut()}>
                Changer d’agent
              </Button>
              <Button type="submit" loading={busy} disabled={!secret}>
                Déverrouiller
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
