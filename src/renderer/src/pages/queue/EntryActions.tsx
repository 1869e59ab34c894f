/** The actions a desk can take on one entry, following the state table and the permission module. */
import { useState, type FormEvent } from 'react';
import { ActionIcon, Button, Group, Menu, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import type { QueueConfig } from '../../../../shared/queue/config';
import { canTransition } from '../../../../shared/queue/states';
import { api } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { useContactForm } from '../contacts/ContactsProvider';
import { useHandoffForm } from '../handoffs/HandoffsProvider';
import { DANGER_TEXT } from '../../theme';

export type Run = (label: string, op: () => Promise<unknown>) => Promise<boolean>;

interface Props {
  entry: QueueEntry;
  config: QueueConfig;
  destination: string | null;
  waitingInService: QueueEntry[];
  run: Run;
  canOperate: boolean;
}

export function EntryActions({ entry, config, destination, waitingInService, run, canOperate }: Props) {
  const [dialog, setDialog] = useState<'move' | 'reorder' | 'cancel' | null>(null);
  const { may } = useSession();
  const { openForm } = useContactForm();
  const { openHandoff } = useHandoffForm();
  if (!canOperate) return null;

  // Finishing opens the contact form pre-filled from the queue (channel, time, duration, purpose).
  const finish = () =>
    void run(`Fin ${entry.ticket}`, async () => {
      const done = await api.call('queue.finish', t);
      if (may('contacts.log')) {
        const duration =
          done.startedAt && done.finishedAt ? Math.max(0, Math.round((Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 60_000)) : null;
        openForm({ kind: 'entry', entryId: done.id, ticket: done.ticket, purpose: done.purpose, appointment: done.appointmentAt !== null, durationMinutes: duration });
      }
    });
  const t = { id: entry.id, version: entry.version };
  const noDestination = !destination;
  const canNoShow = entry.state === 'called' && entry.callCount >= config.noShowAfterCalls;

  return (
    <Group gap={6} justify="flex-end" wrap="nowrap">
      {canTransition('call', entry.state) && (
        <Button
          size="xs"
          disabled={noDestination}
          title={noDestination ? 'Choisissez d’abord votre guichet ou bureau' : undefined}
          onClick={() => void run(`Appel ${entry.ticket}`, () => api.call('queue.call', { ...t, destination: destination! }))}
          aria-label={`Appeler ${entry.ticket}`}
        >
          Appeler
        </Button>
      )}
      {entry.state === 'called' && (
        <>
          <Button size="xs" onClick={() => void run(`Début ${entry.ticket}`, () => api.call('queue.start', t))} aria-label={`Commencer ${entry.ticket}`}>
            Commencer
          </Button>
          <Button
            size="xs"
            variant="light"
            onClick={() => void run(`Rappel ${entry.ticket}`, () => api.call('queue.recall', { ...t, ...(destination ? { destination } : {}) }))}
            aria-label={`Rappeler ${entry.ticket}`}
          >
            Rappeler
          </Button>
          <Button
            size="xs"
            variant="light"
            color="gray"
            disabled={!canNoShow}
            title={canNoShow ? undefined : `Possible après ${config.noShowAfterCalls} appels`}
            onClick={() => void run(`Absence ${entry.ticket}`, () => api.call('queue.noShow', t))}
            aria-label={`Absent·e ${entry.ticket}`}
          >
            Absent·e
          </Button>
        </>
      )}
      {entry.state === 'in_progress' && (
        <Button size="xs" color="teal" onClick={finish} aria-label={`Terminer ${entry.ticket}`}>
          Terminer
        </Button>
      )}
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Autres actions pour ${entry.ticket}`}>
            ⋯
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {entry.state === 'waiting' && (
            <Menu.Item onClick={() => void run(`Début ${entry.ticket}`, () => api.call('queue.start', t))}>Recevoir directement</Menu.Item>
          )}
          {may('handoffs.create') && (
            <Menu.Item
              onClick={() =>
                openHandoff({ queueEntryId: entry.id, ticket: entry.ticket, firstName: entry.firstName, domains: entry.purpose ? [entry.purpose] : [] })
              }
            >
              Passage de relais…
            </Menu.Item>
          )}
          {canTransition('move', entry.state) && <Menu.Item onClick={() => setDialog('move')}>Orienter vers un autre service…</Menu.Item>}
          {canTransition('reorder', entry.state) && <Menu.Item onClick={() => setDialog('reorder')}>Changer l’ordre de passage…</Menu.Item>}
          {canTransition('left', entry.state) && (
            <Menu.Item onClick={() => void run(`Départ ${entry.ticket}`, () => api.call('queue.left', t))}>Parti·e sans être reçu·e</Menu.Item>
          )}
          {canTransition('cancel', entry.state) && (
            <Menu.Item color={DANGER_TEXT} onClick={() => setDialog('cancel')}>
              Annuler (erreur d’enregistrement)…
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      {dialog && (
        <ReasonDialog
          entry={entry}
          kind={dialog}
          config={config}
          waitingInService={waitingInService}
          onClose={() => setDialog(null)}
          run={run}
        />
      )}
    </Group>
  );
}

function ReasonDialog({
  entry,
  kind,
  config,
  waitingInService,
  onClose,
  run,
}: {
  entry: QueueEntry;
  kind: 'move' | 'reorder' | 'cancel';
  config: QueueConfig;
  waitingInService: QueueEntry[];
  onClose: () => void;
  run: Run;
}) {
  const [reason, setReason] = useState('');
  const [service, setService] = useState<string | null>(null);
  const [before, setBefore] = useState<string | null>(null);
  const t = { id: entry.id, version: entry.version };
  const title = {
    move: `Orienter ${entry.ticket} vers un autre service`,
    reorder: `Changer l’ordre de passage de ${entry.ticket}`,
    cancel: `Annuler le ticket ${entry.ticket}`,
  }[kind];
  const others = waitingInService.filter((e) => e.id !== entry.id);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(title, () => {
      if (kind === 'move') return api.call('queue.move', { ...t, serviceCode: service ?? '', reason });
      if (kind === 'reorder') return api.call('queue.reorder', { ...t, beforeId: before === 'END' ? null : before, reason });
      return api.call('queue.cancel', { ...t, reason });
    });
    if (ok) onClose();
  };

  return (
    <Modal opened onClose={onClose} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {kind === 'move' && (
            <Select
              label="Nouveau service"
              required
              data={config.services.filter((s) => s.active && s.code !== entry.serviceCode).map((s) => ({ value: s.code, label: s.label }))}
              value={service}
              onChange={setService}
              data-autofocus
            />
          )}
          {kind === 'reorder' && (
            <Select
              label="Placer avant"
              required
              data={[...others.map((o) => ({ value: o.id, label: `${o.position ?? ''}. ${o.ticket}` })), { value: 'END', label: 'En fin de file' }]}
              value={before}
              onChange={setBefore}
              data-autofocus
            />
          )}
          <TextInput label="Motif" description="Enregistré dans l’historique (sans nom ni détail personnel)" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          {kind === 'cancel' && <Text size="sm">Un ticket annulé n’est pas compté comme un passage. Pour une personne partie, utilisez « Parti·e ».</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Fermer
            </Button>
            <Button type="submit" disabled={reason.trim().length < 3 || (kind === 'move' && !service) || (kind === 'reorder' && !before)}>
              Valider
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
