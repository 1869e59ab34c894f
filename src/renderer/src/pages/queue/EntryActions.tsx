/**
 * The actions a desk can take on one entry, following the state table and the permission module.
 * Three layouts: a waiting row (Appeler + ⋯), the person at my desk ("Mon poste": every action in
 * sight), and someone at another desk (all in the ⋯ menu, so the board stays narrow).
 */
import { useState, type FormEvent } from 'react';
import { ActionIcon, Button, Group, Menu, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import type { QueueConfig } from '../../../../shared/queue/config';
import { canTransition } from '../../../../shared/queue/states';
import { api } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { useHandoffForm } from '../handoffs/HandoffsProvider';
import { DANGER_TEXT } from '../../theme';

export type Run = (label: string, op: () => Promise<unknown>) => Promise<boolean>;

interface Props {
  entry: QueueEntry;
  config: QueueConfig;
  destination: string | null;
  /** The ticket at my desk, if any: another call is refused until it is finished. */
  busyWith: QueueEntry | null;
  waitingInService: QueueEntry[];
  run: Run;
  canOperate: boolean;
  mode: 'row' | 'desk' | 'menu';
  /** Terminer (and, with `next`, call the next person of the service). */
  onFinish: (entry: QueueEntry, next: boolean) => void;
}

export function EntryActions({ entry, config, destination, busyWith, waitingInService, run, canOperate, mode, onFinish }: Props) {
  const [dialog, setDialog] = useState<'move' | 'reorder' | 'cancel' | null>(null);
  const { may } = useSession();
  const { openHandoff } = useHandoffForm();
  if (!canOperate) return null;

  const t = { id: entry.id, version: entry.version };
  const canNoShow = entry.state === 'called' && entry.callCount >= config.noShowAfterCalls;
  const callBlocked = !destination ? 'Choisissez d’abord votre poste (guichet ou bureau)' : busyWith ? `${destination} reçoit déjà ${busyWith.ticket} : terminez d’abord` : null;
  const call = () => void run(`Appel ${entry.ticket}`, () => api.call('queue.call', { ...t, destination: destination! }));
  const start = () => void run(`Début ${entry.ticket}`, () => api.call('queue.start', { ...t, ...(entry.state === 'waiting' && destination && !busyWith ? { destination } : {}) }));
  const recall = () => void run(`Rappel ${entry.ticket}`, () => api.call('queue.recall', t));
  const noShow = () => void run(`Absence ${entry.ticket}`, () => api.call('queue.noShow', t));
  const atDesk = entry.state === 'called' || entry.state === 'in_progress';

  const menu = (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Autres actions pour ${entry.ticket}`}>
          ⋯
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {mode === 'menu' && atDesk && (
          <>
            <Menu.Item onClick={() => onFinish(entry, false)}>Terminer</Menu.Item>
            {entry.state === 'called' && <Menu.Item onClick={start}>Commencer l’entretien</Menu.Item>}
            {entry.state === 'called' && <Menu.Item onClick={recall}>Rappeler</Menu.Item>}
            {canNoShow && <Menu.Item onClick={noShow}>Absent·e</Menu.Item>}
            <Menu.Divider />
          </>
        )}
        {mode === 'desk' && entry.state === 'called' && <Menu.Item onClick={start}>Commencer l’entretien (facultatif)</Menu.Item>}
        {entry.state === 'waiting' && (
          <Menu.Item onClick={start} disabled={!!busyWith}>
            Recevoir directement{destination && !busyWith ? ` à ${destination}` : ''}
          </Menu.Item>
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
  );

  return (
    <Group gap={6} justify={mode === 'desk' ? 'flex-start' : 'flex-end'} wrap={mode === 'desk' ? 'wrap' : 'nowrap'}>
      {mode === 'row' && canTransition('call', entry.state) && (
        <Button size="xs" disabled={!!callBlocked} title={callBlocked ?? undefined} onClick={call} aria-label={`Appeler ${entry.ticket}`}>
          Appeler
        </Button>
      )}
      {mode === 'desk' && atDesk && (
        <>
          <Button size="sm" color="teal" onClick={() => onFinish(entry, false)} aria-label={`Terminer ${entry.ticket}`}>
            Terminer
          </Button>
          <Button size="sm" onClick={() => onFinish(entry, true)} aria-label={`Terminer et appeler le suivant (${entry.ticket})`}>
            Terminer et appeler le suivant
          </Button>
          {entry.state === 'called' && (
            <Button size="sm" variant="light" onClick={recall} aria-label={`Rappeler ${entry.ticket}`}>
              Rappeler
            </Button>
          )}
          {entry.state === 'called' && (
            <Button
              size="sm"
              variant="default"
              disabled={!canNoShow}
              title={canNoShow ? undefined : `Possible après ${config.noShowAfterCalls} appels sans réponse`}
              onClick={noShow}
              aria-label={`Absent·e ${entry.ticket}`}
            >
              Absent·e
            </Button>
          )}
        </>
      )}
      {menu}
      {dialog && <ReasonDialog entry={entry} kind={dialog} config={config} waitingInService={waitingInService} onClose={() => setDialog(null)} run={run} />}
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
          <TextInput
            label="Motif"
            description="Enregistré dans l’historique (sans nom ni détail personnel)"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            {...(kind === 'cancel' ? { 'data-autofocus': true } : {})}
          />
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
