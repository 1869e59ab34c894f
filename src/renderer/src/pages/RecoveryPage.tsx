/**
 * Desktop app only: the site's base could not be unlocked by this PC's keyring (keyring changed
 * or reset, base copied from another PC). The recovery key shown once at setup reopens it.
 */
import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { api, errorMessage } from '../api/client';

export function RecoveryPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('recovery.unlock', { key });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" component="main" p="md">
      <Paper withBorder p="xl" radius="md" maw={560} w="100%" component="form" onSubmit={(e: React.FormEvent) => void submit(e)}>
        <Stack>
          <Title order={1} size="h2">
            Clé de secours
          </Title>
          <Text>
            La base de ce poste n’a pas pu être déverrouillée : le trousseau du système a changé (réinstallation, nouveau profil) ou la clé n’est pas sur ce poste.
            Aucune donnée n’est perdue.
          </Text>
          <Text size="sm">
            Saisissez la <strong>clé de secours</strong> du site, notée à l’installation (8 groupes de 8 caractères, par exemple <code>1A2B3C4D-…</code>). Elle sera de
            nouveau protégée par le trousseau de ce poste.
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <PasswordInput
            label="Clé de secours"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            required
            autoComplete="off"
            autoFocus
            styles={{ input: { fontFamily: 'monospace' } }}
            error={error ? ' ' : undefined}
          />
          <Button type="submit" loading={busy} disabled={!key.trim()}>
            Rouvrir la base
          </Button>
          <Text size="xs" c="dimmed">
            Clé perdue ? Contactez l’administration du site : sans elle, la base de ce poste ne peut pas être rouverte.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
