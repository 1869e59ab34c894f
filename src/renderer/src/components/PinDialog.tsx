/** Choosing one's personal PIN for quick switching on shared desks. */
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PIN_GUIDANCE_FR, pinWeakness } from '../../../shared/accounts/secrets';
import { api, errorMessage, fieldErrorsOf } from '../api/client';
import { useSession } from '../session/SessionContext';

export function PinDialog({ onClose }: { onClose: () => void }) {
  const { refresh } = useSession();
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The same rule as the server, shown as soon as the PIN has its length.
  const weakness = pin.length >= 4 ? pinWeakness(pin) : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({});
    setError(null);
    try {
      await api.call('session.setPin', { currentPassword: password, pin });
      notifications.show({ color: 'teal', message: 'Code personnel enregistré.' });
      await refresh();
      onClose();
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setErrors(fields);
      setError(Object.keys(fields).length > 0 ? null : errorMessage(err));
    }
  };
  return (
    <Modal opened onClose={onClose} title="Mon code personnel">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            Sur un poste partagé, le code personnel (4 à 8 chiffres) permet de reprendre la main ou de changer d’agent rapidement, après une connexion par mot
            de passe dans la journée.
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <PasswordInput label="Mot de passe actuel" value={password} error={errors.currentPassword} onChange={(e) => setPassword(e.currentTarget.value)} data-autofocus />
          <PasswordInput
            label="Nouveau code personnel"
            description={PIN_GUIDANCE_FR}
            inputMode="numeric"
            maxLength={8}
            value={pin}
            error={weakness ?? errors.pin}
            onChange={(e) => setPin(e.currentTarget.value.replace(/\D/g, ''))}
          />
          <PasswordInput
            label="Confirmez le code"
            inputMode="numeric"
            maxLength={8}
            value={confirm}
            error={confirm && confirm !== pin ? 'Les deux codes ne sont pas identiques.' : undefined}
            onChange={(e) => setConfirm(e.currentTarget.value.replace(/\D/g, ''))}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" disabled={!password || pin.length < 4 || pin !== confirm || weakness !== null}>
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
