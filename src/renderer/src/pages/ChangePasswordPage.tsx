/** Shown right after sign-in when an administrator has set a provisional password. */
import { useState, type FormEvent } from 'react';
import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { api } from '../api/client';
import { ErrorSummary, useFieldErrors } from '../forms/errors';
import { PASSWORD_GUIDANCE_FR } from '../../../shared/accounts/secrets';
import { useSession } from '../session/SessionContext';

export function ChangePasswordPage() {
  const { me, refresh, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const f = useFieldErrors('password', { currentPassword: 'Mot de passe provisoire', newPassword: 'Nouveau mot de passe', confirm: 'Confirmation' });
  const [busy, setBusy] = useState(false);

  const mismatch = confirm.length > 0 && next !== confirm;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = f.check({
      currentPassword: !current && 'Saisissez le mot de passe provisoire reçu.',
      newPassword: next.length < 10 && 'Le mot de passe doit contenir au moins 10 caractères.',
      confirm: next !== confirm && 'Les deux mots de passe ne sont pas identiques.',
    });
    if (!ok) return;
    setBusy(true);
    try {
      await api.call('session.changePassword', { currentPassword: current, newPassword: next });
      await refresh();
    } catch (err) {
      f.fail(err);
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
            <ErrorSummary form={f} />
            <PasswordInput
              label="Mot de passe provisoire"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              autoFocus
              {...f.props('currentPassword')}
            />
            <PasswordInput label="Nouveau mot de passe" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.currentTarget.value)} {...f.props('newPassword', { description: PASSWORD_GUIDANCE_FR })} />
            <PasswordInput
              label="Confirmez le nouveau mot de passe"
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              {...f.props('confirm')}
              error={f.error('confirm') ?? (mismatch ? 'Les deux mots de passe ne sont pas identiques.' : undefined)}
            />
            <Button type="submit" loading={busy}>
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
