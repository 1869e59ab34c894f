/** Choosing one's personal PIN for quick switching on shared desks. */
import { useState, type FormEvent } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PIN_GUIDANCE_FR, pinWeakness } from '../../../shared/accounts/secrets';
import { api } from '../api/client';
import { ErrorSummary, useFieldErrors } from '../forms/errors';
import { useSession } from '../session/SessionContext';

export function PinDialog({ onClose }: { onClose: () => void }) {
  const { refresh } = useSession();
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const f = useFieldErrors('pin', { currentPassword: 'Mot de passe actuel', pin: 'Nouveau code personnel', confirm: 'Confirmation du code' });
  // The same rule as the server, shown as soon as the PIN has its length.
  const weakness = pin.length >= 4 ? pinWeakness(pin) : null;
  const pinProblem = (v: string) => (!/^\d{4,8}$/.test(v) ? `Le code personnel compte 4 à 8 chiffres (vous en avez saisi ${v.length}).` : pinWeakness(v));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = f.check({
      currentPassword: !password && 'Saisissez votre mot de passe actuel.',
      pin: pinProblem(pin),
      confirm: confirm !== pin && 'Les deux codes ne sont pas identiques.',
    });
    if (!ok) return;
    try {
      await api.call('session.setPin', { currentPassword: password, pin });
      notifications.show({ color: 'teal', message: 'Code personnel enregistré.' });
      await refresh();
      onClose();
    } catch (err) {
      f.fail(err);
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
          <ErrorSummary form={f} />
          <PasswordInput label="Mot de passe actuel" value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-autofocus {...f.props('currentPassword')} />
          <PasswordInput
            label="Nouveau code personnel"
            inputMode="numeric"
            maxLength={8}
            value={pin}
            onChange={(e) => {
              const v = e.currentTarget.value.replace(/\D/g, '');
              setPin(v);
              // A refused PIN's message follows what is typed next.
              if (f.error('pin')) f.set('pin', pinProblem(v));
            }}
            {...f.props('pin', { description: PIN_GUIDANCE_FR })}
            error={f.error('pin') ?? weakness ?? undefined}
          />
          <PasswordInput
            label="Confirmez le code"
            inputMode="numeric"
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value.replace(/\D/g, ''))}
            {...f.props('confirm')}
            error={f.error('confirm') ?? (confirm && confirm !== pin ? 'Les deux codes ne sont pas identiques.' : undefined)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit">
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
