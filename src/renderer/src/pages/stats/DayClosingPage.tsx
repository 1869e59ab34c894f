/**
 * Day closing for the site coordination: what needs attention (each point fixable from here), a
 * remark, then closing freezes the day's figures; reopening needs a reason and is traced.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { statsMethods } from '../../../../shared/api/methods/stats';
import { fieldMaxLength } from '../../../../shared/api/limits';
import { notifications } from '@mantine/notifications';
import type { DayClosing, Figures, ReviewItem } from '../../../../shared/api/methods/stats';
import { addDays, formatDateTimeFr, formatDayFr, localDay } from '../../../../shared/time/paris';
import { api, errorMessage } from '../../api/client';
import { DayInput } from '../../components/dates';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';

const REMARK_MAX = fieldMaxLength(statsMethods['days.close'].params, 'remark');
const REASON_MAX = fieldMaxLength(statsMethods['days.reopen'].params, 'reason');
import { useContactForm } from '../contacts/ContactsProvider';
import { Kpi } from './parts';

const KIND_LABELS: Record<ReviewItem['kind'], string> = {
  queue_open: 'Ticket non terminé',
  no_contact: 'Passage sans contact',
  handoff_open: 'Relais ouvert',
  outside_hours: 'Hors horaires',
};

export function DayClosingPage() {
  const [day, setDay] = useState(() => localDay(new Date()));
  const [data, setData] = useState<{ closing: DayClosing | null; items: ReviewItem[]; figures: Figures } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [remark, setRemark] = useState('');
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const { openForm } = useContactForm();
  const closeForm = useFieldErrors('close-day', { remark: 'Remarque sur la journée' });
  const reopenForm = useFieldErrors('reopen-day', { reason: 'Motif' });

  const load = useCallback(async () => {
    try {
      const r = await api.call('days.review', { day });
      setData(r);
      setRemark(r.closing?.remark ?? '');
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [day]);

  useEffect(() => {
    void load();
    const offs = [api.on('queue.changed', () => void load()), api.on('contacts.changed', () => void load()), api.on('handoff.changed', () => void load()), api.on('day.changed', () => void load())];
    return () => offs.forEach((o) => o());
  }, [load]);

  // Success shows in the list itself (it updates live); only failures get a notification.
  const act = async (_label: string, op: () => Promise<unknown>) => {
    try {
      await op();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
    await load();
  };

  const fixes = (item: ReviewItem) => {
    const t = { id: item.id, version: item.version };
    switch (item.kind) {
      case 'queue_open':
        return item.state === 'in_progress' ? (
          <Button size="xs" onClick={() => void act(`Ticket ${item.ticket} terminé.`, () => api.call('queue.finish', t))}>
            Terminer
          </Button>
        ) : (
          <Button size="xs" variant="light" onClick={() => void act(`Ticket ${item.ticket} compté parti.`, () => api.call('queue.left', t))}>
            Parti·e sans être reçu·e
          </Button>
        );
      case 'no_contact':
        return (
          <Button size="xs" variant="light" onClick={() => openForm({ kind: 'entry', entryId: item.id, ticket: item.ticket ?? '', purpose: null, appointment: false, durationMinutes: null })}>
            Enregistrer le contact
          </Button>
        );
      case 'handoff_open':
        return (
          <Group gap={4}>
            <Button size="xs" variant="light" onClick={() => void act('Relais clos : personne partie.', () => api.call('handoffs.personLeft', t))}>
              Personne partie
            </Button>
            <Button size="xs" variant="subtle" color="gray" onClick={() => void act('Relais annulé.', () => api.call('handoffs.cancel', t))}>
              Annuler
            </Button>
          </Group>
        );
      default:
        return <Text size="xs" c="dimmed">À vérifier</Text>;
    }
  };

  const closed = data?.closing?.state === 'closed';
  const blocking = data?.items.filter((i) => i.blocking).length ?? 0;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Clôture de la journée
        </Title>
        <Group gap="xs" align="flex-end">
          <Button variant="default" onClick={() => setDay((d) => addDays(d, -1))} aria-label="Jour précédent">
            ←
          </Button>
          <DayInput label="Journée" value={day} maxDate={localDay(new Date())} onChange={(d) => d && setDay(d)} w={150} />
          <Button variant="default" onClick={() => setDay((d) => addDays(d, 1))} disabled={day >= localDay(new Date())} aria-label="Jour suivant">
            →
          </Button>
        </Group>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {data && (
        <>
          {data.closing && (
            <Alert color={closed ? 'teal' : 'yellow'} title={closed ? `Journée du ${formatDayFr(day)} clôturée` : `Journée du ${formatDayFr(day)} rouverte`} data-testid="closing-status">
              {closed
                ? `Clôturée le ${formatDateTimeFr(new Date(data.closing.closedAt))} par ${data.closing.closedByName ?? '—'}. Ses chiffres sont figés ; les modifications sont refusées.`
                : `Rouverte le ${formatDateTimeFr(new Date(data.closing.reopenedAt!))} par ${data.closing.reopenedByName ?? '—'} : « ${data.closing.reopenReason} ».`}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            <Kpi code="arrivals" value={data.figures.arrivals} />
            <Kpi code="contacts" value={data.figures.contacts} />
            <Kpi code="waitMedian" value={data.figures.waitMedian} />
            <Kpi code="handoffs" value={data.figures.handoffs} />
          </SimpleGrid>
          <Card withBorder padding="sm">
            <Title order={2} size="h4" mb="xs">
              Points à vérifier ({data.items.length})
            </Title>
            {data.items.length === 0 ? (
              <Text c="dimmed">Rien à signaler pour cette journée.</Text>
            ) : (
              <Table aria-label="Points à vérifier avant clôture" data-testid="review-items">
                <Table.Tbody>
                  {data.items.map((i) => (
                    <Table.Tr key={`${i.kind}-${i.id}`}>
                      <Table.Td w={170}>
                        <Badge color={i.blocking ? 'red' : 'gray'} variant="light" c={i.blocking ? 'red.9' : 'dark'}>
                          {KIND_LABELS[i.kind]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{i.label}</Table.Td>
                      <Table.Td ta="right">{!closed && fixes(i)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
          {!closed ? (
            <Card withBorder padding="sm">
              <Stack gap="sm">
                <ErrorSummary form={closeForm} />
                <Textarea
                  label="Remarque sur la journée (facultatif)"
                  value={remark}
                  autosize
                  minRows={2}
                  onChange={(e) => setRemark(e.currentTarget.value)}
                  {...closeForm.props('remark', {
                    value: remark,
                    max: REMARK_MAX,
                    description: 'Incident, manque de personnel, fermeture exceptionnelle… Sans nom de personne accueillie.',
                  })}
                />
                {blocking > 0 && <Text c="red.8">Terminez d’abord les tickets non terminés : la journée ne peut pas être clôturée avec des passages ouverts.</Text>}
                <Group justify="flex-end">
                  <Button
                    disabled={blocking > 0}
                    onClick={() => {
                      if (!closeForm.check({ remark: tooLong(remark, REMARK_MAX) })) return;
                      void act(`Journée du ${formatDayFr(day)} clôturée.`, () => api.call('days.close', { day, remark }));
                    }}
                  >
                    Clôturer la journée
                  </Button>
                </Group>
              </Stack>
            </Card>
          ) : (
            <Group justify="flex-end">
              <Button variant="light" color="orange" onClick={() => setReopening(true)}>
                Rouvrir la journée…
              </Button>
            </Group>
          )}
        </>
      )}
      <Modal opened={reopening} onClose={() => setReopening(false)} title={`Rouvrir la journée du ${formatDayFr(day)}`}>
        <Stack>
          <ErrorSummary form={reopenForm} />
          <Text size="sm">La réouverture est tracée dans le journal. Pensez à clôturer à nouveau après correction.</Text>
          <TextInput
            label="Motif"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
            {...reopenForm.props('reason', { value: reason, max: REASON_MAX, description: '5 caractères au moins, sans nom de personne accueillie.' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setReopening(false)}>
              Annuler
            </Button>
            <Button
              color="orange"
              onClick={() => {
                const ok = reopenForm.check({
                  reason: reason.trim().length < 5 ? 'Indiquez le motif de la réouverture (5 caractères au moins).' : tooLong(reason, REASON_MAX),
                });
                if (!ok) return;
                void act(`Journée du ${formatDayFr(day)} rouverte.`, () => api.call('days.reopen', { day, reason })).then(() => {
                  setReopening(false);
                  setReason('');
                });
              }}
            >
              Rouvrir
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
