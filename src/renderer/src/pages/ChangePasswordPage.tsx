/** Shown right after sign-in when an administrator has set a provisional password. */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { PASSWORD_GUIDANCE_FR } from '../../../shared/accounts/secrets';
import { api, errorMessage, fieldErrorsOf } from '../api/client';
import { useSession } from '../session/SessionContext';

export function ChangePasswordPage() {
  const { me, refresh, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const mismatch = confirm.length > 0 && next !== confirm;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== confirm) return;
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api.call('session.changePassword', { currentPassword: current, newPassword: next });
      await refresh();
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setErrors(fields);
      // A field's own error is shown under it; the banner is for the rest.
      setError(Object.keys(fields).length > 0 ? null : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center component="main" mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Title order={1} size="h3">
              Choisissez votre mot de passe
            </Title>
            <Text size="sm">
              Bonjour {me?.displayName}. Votre mot de passe est provisoire : choisissez-en un personnel.
            </Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput
              label="Mot de passe provisoire"
              autoComplete="current-password"
              required
              value={current}
              error={errors.currentPassword}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              autoFocus
            />
            <PasswordInput
              label="Nouveau mot de passe"
              description={PASSWORD_GUIDANCE_FR}
              autoComplete="new-password"
              required
              value={next}
              error={errors.newPassword}
              onChange={(e) => setNext(e.currentTarget.value)}
            />
            <PasswordInput
              label="Confirmez le nouveau mot de passe"
              autoComplete="new-password"
              required
              value={confirm}
              error={mismatch ? 'Les deux mots de passe ne sont pas identiques.' : undefined}
              onChange={(e) => setConfirm(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy} disabled={!current || next.length < 10 || next !== confirm}>
              Enregistrer
            </Button>
            <Button variant="subtle" onClick={() => void signOut()}>
              Se déconnecter
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
