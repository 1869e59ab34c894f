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
import { addDays, formatDateTimeFr, formatDayFr, hhmmToMinutes, isoWeekday, localDay, localMinutes, localTime } from '../../../../shared/time/paris';
import { closingTime, findSite } from '../../../../shared/reference/sites';
import { useSession } from '../../session/SessionContext';
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
  const [confirming, setConfirming] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [bulkReason, setBulkReason] = useState('');
  const { openForm } = useContactForm();
  const { me } = useSession();
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
  const open = data?.items.filter((i) => i.kind === 'queue_open') ?? [];
  const countOf = (state: string) => open.filter((i) => i.state === state).length;
  const isToday = day === localDay(new Date());
  const site = me ? findSite(me.siteCode) : undefined;
  const closesAt = site ? closingTime(site, isoWeekday(day)) : null;
  const early = isToday && closesAt !== null && localMinutes(new Date()) < hhmmToMinutes(closesAt);
  const people = (n: number, what: string) => `${n} ${what}`;
  const stillOpen = [
    countOf('waiting') ? people(countOf('waiting'), countOf('waiting') > 1 ? 'personnes en attente' : 'personne en attente') : null,
    countOf('called') ? people(countOf('called'), countOf('called') > 1 ? 'personnes appelées' : 'personne appelée') : null,
    countOf('in_progress') ? people(countOf('in_progress'), countOf('in_progress') > 1 ? 'entretiens en cours' : 'entretien en cours') : null,
  ].filter(Boolean) as string[];

  const closeRemaining = (why: string) => api.call('days.closeRemaining', { day, reason: why });
  const closeTheDay = () => api.call('days.close', { day, remark, ...(isToday ? { early: true } : {}) });

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
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h4">
                Points à vérifier ({data.items.length})
              </Title>
              {!closed && open.length > 0 && (
                <Button size="xs" variant="light" onClick={() => setBulk(true)}>
                  Clore les {open.length} ticket{open.length > 1 ? 's' : ''} restant{open.length > 1 ? 's' : ''}…
                </Button>
              )}
            </Group>
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
                {blocking > 0 && !isToday && (
                  <Text c="red.8">Terminez d’abord les tickets non terminés (un par un, ou tous à la fois avec un motif) : la journée ne peut pas être clôturée avec des passages ouverts.</Text>
                )}
                <Group justify="flex-end">
                  {isToday ? (
                    <Button
                      onClick={() => {
                        if (closeForm.check({ remark: tooLong(remark, REMARK_MAX) })) setConfirming(true);
                      }}
                    >
                      Clôturer la journée…
                    </Button>
                  ) : (
                    <Button
                      disabled={blocking > 0}
                      onClick={() => {
                        if (!closeForm.check({ remark: tooLong(remark, REMARK_MAX) })) return;
                        void act(`Journée du ${formatDayFr(day)} clôturée.`, closeTheDay);
                      }}
                    >
                      Clôturer la journée
                    </Button>
                  )}
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
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Clôturer la journée d’aujourd’hui ?" size="lg">
        <Stack data-testid="close-today-dialog">
          {early && (
            <Text fw={600}>
              Il est {localTime(new Date())} : l’accueil ferme à {closesAt}.
            </Text>
          )}
          <Text size="sm">
            Après la clôture, aucun poste ne pourra plus enregistrer d’arrivée ni de contact pour aujourd’hui (un bandeau l’annonce sur chaque poste), et les
            chiffres du jour sont figés. La coordination peut rouvrir la journée, avec un motif.
          </Text>
          <Text size="sm" data-testid="close-today-counts">
            {stillOpen.length > 0 ? `Encore dans la file : ${stillOpen.join(', ')}.` : 'Personne n’attend dans la file.'}
          </Text>
          {open.length > 0 && (
            <TextInput
              label={`Motif pour clore ${open.length > 1 ? `les ${open.length} tickets restants` : 'le ticket restant'}`}
              description="Les personnes en attente ou appelées sont comptées « non reçues – fermeture » ; un entretien en cours est compté reçu."
              value={bulkReason}
              onChange={(e) => setBulkReason(e.currentTarget.value)}
              data-autofocus
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Annuler
            </Button>
            <Button
              disabled={open.length > 0 && bulkReason.trim().length < 3}
              onClick={() =>
                void act(`Journée du ${formatDayFr(day)} clôturée.`, async () => {
                  if (open.length > 0) await closeRemaining(bulkReason);
                  await closeTheDay();
                }).then(() => {
                  setConfirming(false);
                  setBulkReason('');
                })
              }
            >
              {open.length > 0 ? 'Clore les tickets et clôturer la journée' : 'Clôturer la journée'}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={bulk} onClose={() => setBulk(false)} title={`Clore les tickets restants du ${formatDayFr(day)}`}>
        <Stack>
          <Text size="sm">
            {stillOpen.join(', ')}. Les personnes en attente ou appelées seront comptées « non reçues – fermeture » ; un entretien en cours est compté reçu. Le
            motif est gardé dans l’historique de chaque ticket.
          </Text>
          <TextInput label="Motif" required value={bulkReason} onChange={(e) => setBulkReason(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setBulk(false)}>
              Annuler
            </Button>
            <Button
              disabled={bulkReason.trim().length < 3}
              onClick={() =>
                void act('Tickets clos.', () => closeRemaining(bulkReason)).then(() => {
                  setBulk(false);
                  setBulkReason('');
                })
              }
            >
              Clore les tickets
            </Button>
          </Group>
        </Stack>
      </Modal>
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
