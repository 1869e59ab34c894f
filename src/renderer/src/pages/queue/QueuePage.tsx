/**
 * The queue board of the site, laid out for a 1366×768 reception PC: the arrival form on the left
 * (sticky), and on the right "Mon poste" (the person(s) this desk is serving, every action in
 * sight), the service tabs on one line, the waiting list, the other desks and the day's ended
 * passages. Everything fits the width: long purposes are truncated (full text on hover and for
 * screen readers), times never wrap. Keyboard shortcuts are declared once (shortcuts.tsx).
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { Alert, Anchor, Badge, Box, Button, Collapse, Group, Modal, Paper, Select, Stack, Table, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import { orderingRuleFr, type QueueConfig } from '../../../../shared/queue/config';
import { NEED_LABELS_FR, PRIORITY_LABELS_FR, STATE_LABELS_FR } from '../../../../shared/queue/states';
import { HANDOFF_STATE_LABELS_FR } from '../../../../shared/handoffs/states';
import { canOperateService, canSeeService } from '../../../../shared/permissions';
import { institutionLabel } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { formatDateTimeFr, localTime } from '../../../../shared/time/paris';
import { api, errorMessage, RpcError } from '../../api/client';
import { useReportReceiving } from '../../receiving';
import { useNow } from '../../hooks';
import { navigate } from '../../router';
import { useSession } from '../../session/SessionContext';
import { ShortcutHint, useShortcuts, type Shortcut } from '../../shortcuts';
import { useContactForm } from '../contacts/ContactsProvider';
import { ArrivalForm, type ArrivalFormHandle } from './ArrivalForm';
import { EntryActions, type Run } from './EntryActions';
import { formatMinutes, serviceMinutes, waitedMinutes } from './format';
import { useTodayClosing } from './useDayClosing';
import { useQueue } from './useQueue';

const DESTINATION_KEY = 'accueil-esc.destination';
const TAB_KEY = 'accueil-esc.queue.tab';
const ALL = 'ALL';

function waitColor(minutes: number, config: QueueConfig): string {
  if (minutes >= config.thresholds.alertMinutes) return 'red.8';
  if (minutes >= config.thresholds.warnMinutes) return 'orange.9';
  return 'dark';
}

/** A waited time, never wrapped ("10 min", "1 h 05"). */
function Waited({ minutes, config }: { minutes: number; config?: QueueConfig }) {
  return (
    <Text span fw={config ? 700 : 400} size="sm" c={config ? waitColor(minutes, config) : undefined} style={{ whiteSpace: 'nowrap' }} data-testid="waited">
      {formatMinutes(minutes)}
    </Text>
  );
}

/** One line, cut with an ellipsis; the whole text in a tooltip and for screen readers. */
function Truncated({ text, w }: { text: string; w: number }) {
  return (
    <Text size="sm" truncate="end" maw={w} title={text}>
      {text}
    </Text>
  );
}

export function QueuePage() {
  const { me, may } = useSession();
  const { entries, config, clockSkewMs, error, reload } = useQueue();
  const closing = useTodayClosing();
  const { openForm } = useContactForm();
  const localNow = useNow(15_000);
  const now = new Date(localNow.getTime() + clockSkewMs);
  const arrivalRef = useRef<ArrivalFormHandle>(null);
  const [destination, setDestinationState] = useState<string | null>(() => localStorage.getItem(DESTINATION_KEY));
  const [tab, setTabState] = useState<string | null>(() => localStorage.getItem(TAB_KEY));
  const [closingQueue, setClosingQueue] = useState(false);
  const [ruleOpen, setRuleOpen] = useState(false);
  const deskSelect = useRef<HTMLInputElement>(null);
  /** Why the last call from this desk did not go through: shown in "Mon poste", where the agent looks. */
  const [deskNotice, setDeskNotice] = useState<{ color: string; text: string } | null>(null);

  useReportReceiving(entries, destination);

  const setDestination = (d: string | null) => {
    setDeskNotice(null);
    setDestinationState(d);
    if (d) localStorage.setItem(DESTINATION_KEY, d);
    else localStorage.removeItem(DESTINATION_KEY);
  };
  const setTab = (t: string | null) => {
    setTabState(t);
    if (t) localStorage.setItem(TAB_KEY, t);
  };

  const services = useMemo(() => (config ? config.services.filter((s) => s.active && canSeeService(me, s.institution)) : []), [config, me]);
  // With one service (a professional's office) there is nothing to choose: no "Toutes" tab.
  const tabs = services.length > 1 ? [ALL, ...services.map((s) => s.code)] : services.map((s) => s.code);
  const currentTab = tab && tabs.includes(tab) ? tab : (tabs[0] ?? ALL);
  const serviceOf = useCallback((code: string) => config?.services.find((s) => s.code === code), [config]);
  const canOperateAny = services.some((s) => canOperateService(me, s.institution));
  const validDestination = destination && config?.destinations.includes(destination) ? destination : null;

  const run: Run = useCallback(
    async (label, op) => {
      try {
        await op();
        return true;
      } catch (err) {
        notifications.show({
          color: err instanceof RpcError && err.code === 'CONFLICT' ? 'orange' : 'red',
          title: label,
          message: errorMessage(err),
        });
        await reload();
        return false;
      }
    },
    [reload],
  );

  const inTab = (e: QueueEntry) => currentTab === ALL || e.serviceCode === currentTab;
  const mine = validDestination ? entries.filter((e) => (e.state === 'called' || e.state === 'in_progress') && e.calledTo === validDestination) : [];
  const busyWith = mine[0] ?? null;
  const others = entries.filter((e) => (e.state === 'called' || e.state === 'in_progress') && !mine.includes(e) && inTab(e));
  const waiting = entries.filter((e) => e.state === 'waiting' && inTab(e));
  const ended = entries.filter((e) => !['waiting', 'called', 'in_progress'].includes(e.state) && inTab(e));
  const nextService = currentTab !== ALL ? currentTab : null;
  const canCallNext = !!validDestination && !!nextService && canOperateService(me, serviceOf(nextService)?.institution ?? null) && !closing;
  const callNextHint = !validDestination
    ? 'Choisissez d’abord votre poste'
    : !nextService
      ? 'Choisissez l’onglet du service à appeler'
      : closing
        ? 'La journée est clôturée'
        : null;

  const callNext = useCallback(
    async (service: string | null = nextService) => {
      if (!validDestination) {
        setDeskNotice({ color: 'gray', text: 'Choisissez d’abord votre poste (guichet ou bureau).' });
        deskSelect.current?.focus();
        return;
      }
      if (!service) {
        setDeskNotice({ color: 'gray', text: 'Choisissez d’abord l’onglet du service à appeler (Alt+1…9).' });
        return;
      }
      try {
        const called = await api.call('queue.callNext', { serviceCode: service, destination: validDestination });
        setDeskNotice(null);
        notifications.show({ color: 'teal', message: `Ticket ${called.ticket} appelé vers ${validDestination}.` });
      } catch (err) {
        setDeskNotice({ color: err instanceof RpcError && err.code === 'NOT_FOUND' ? 'gray' : 'orange', text: errorMessage(err) });
        await reload();
      }
    },
    [nextService, validDestination, reload],
  );

  /** Terminer (then, in the same action, call the next person), then the contact form. */
  const finish = useCallback(
    async (entry: QueueEntry, next: boolean) => {
      let finished: QueueEntry;
      try {
        finished = await api.call('queue.finish', { id: entry.id, version: entry.version });
      } catch (err) {
        notifications.show({ color: err instanceof RpcError && err.code === 'CONFLICT' ? 'orange' : 'red', title: `Fin ${entry.ticket}`, message: errorMessage(err) });
        await reload();
        return;
      }
      if (next) await callNext(nextService ?? finished.serviceCode);
      if (may('contacts.log')) {
        openForm({
          kind: 'entry',
          entryId: finished.id,
          ticket: finished.ticket,
          purpose: finished.purpose,
          appointment: finished.appointmentAt !== null,
          durationMinutes: serviceMinutes(finished),
        });
      }
    },
    [reload, callNext, nextService, may, openForm],
  );

  const canRegister = may('queue.register');
  const shortcuts: Shortcut[] = [
    ...(canRegister ? [{ keys: 'Alt+N', label: 'Nouvelle arrivée (aller au choix du service)', run: () => arrivalRef.current?.focus() }] : []),
    ...(canOperateAny
      ? [
          { keys: 'Alt+S', label: 'Appeler le suivant', run: () => void callNext(), enabled: canCallNext || !validDestination },
          { keys: 'Alt+F', label: 'Terminer (la personne à mon poste)', run: () => busyWith && void finish(busyWith, false), enabled: !!busyWith },
          { keys: 'Alt+Enter', label: 'Terminer et appeler le suivant', run: () => busyWith && void finish(busyWith, true), enabled: !!busyWith },
        ]
      : []),
    ...(tabs.length > 1 ? [{ keys: 'Alt+1-9', label: 'Changer d’onglet de service', run: (d: number | null) => d && tabs[d - 1] && setTab(tabs[d - 1]!) }] : []),
  ];
  useShortcuts('File d’attente', shortcuts);

  if (!config) {
    return error ? (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    ) : (
      <Text c="dimmed">Chargement de la file…</Text>
    );
  }

  const countWaiting = (code: string) => entries.filter((e) => e.state === 'waiting' && (code === ALL || e.serviceCode === code)).length;
  const showService = currentTab === ALL;
  const operate = (e: QueueEntry) => canOperateService(me, serviceOf(e.serviceCode)?.institution ?? null);
  const waitingIn = (e: QueueEntry) => entries.filter((w) => w.state === 'waiting' && w.serviceCode === e.serviceCode);
  const actions = (e: QueueEntry, mode: 'row' | 'desk' | 'menu') => (
    <EntryActions
      entry={e}
      config={config}
      destination={validDestination}
      busyWith={busyWith}
      waitingInService={waitingIn(e)}
      run={run}
      canOperate={operate(e)}
      mode={mode}
      onFinish={(x, next) => void finish(x, next)}
    />
  );

  const marks = (e: QueueEntry) => (
    <Group gap={4}>
      {e.appointmentAt && (
        <Badge size="sm" tt="none" color="violet" variant="light" c="violet.9">
          RDV {localTime(new Date(e.appointmentAt))}
          {e.appointmentWithName ? ` · ${e.appointmentWithName}` : ''}
        </Badge>
      )}
      {e.priorityReasons.map((p) => (
        <Badge key={p} size="sm" tt="none" color="orange" variant="light" c="dark">
          {PRIORITY_LABELS_FR[p]}
        </Badge>
      ))}
      {e.needs.map((n) => (
        <Badge key={n} size="sm" tt="none" color="blue" variant="light" c="blue.9">
          {NEED_LABELS_FR[n]}
        </Badge>
      ))}
      {e.handoff && e.state === 'waiting' && (
        <Badge size="sm" tt="none" color="grape" variant="light" c="grape.9">
          Relais reçu
        </Badge>
      )}
      {e.outsideHours && (
        <Badge size="sm" tt="none" color="gray" variant="light" c="dark">
          Hors horaires
        </Badge>
      )}
      {e.sortOverride && (
        <Badge size="sm" tt="none" color="gray" variant="outline" c="dark">
          Ordre modifié
        </Badge>
      )}
    </Group>
  );
  const serviceCell = (e: QueueEntry) =>
    showService ? (
      <Table.Td>
        <Truncated text={serviceOf(e.serviceCode)?.label ?? e.serviceCode} w={120} />
      </Table.Td>
    ) : null;
  const ticketText = (e: QueueEntry, size: 'md' | 'lg' = 'md') => (
    <Text fw={800} ff="monospace" size={size} style={{ whiteSpace: 'nowrap' }}>
      {e.ticket}
    </Text>
  );
  const stateText = (e: QueueEntry) =>
    `${STATE_LABELS_FR[e.state]}${e.state === 'called' && e.calledTo ? ` → ${e.calledTo}` : ''}${e.state === 'in_progress' && e.calledTo ? ` · ${e.calledTo}` : ''}${
      e.state === 'called' && e.callCount > 1 ? ` (${e.callCount} appels)` : ''
    }`;

  return (
    <Box style={{ display: 'flex', gap: 'var(--mantine-spacing-md)', alignItems: 'flex-start' }}>
      {canRegister && (
        <Box w={320} style={{ flex: '0 0 320px', position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + var(--mantine-spacing-md))' }}>
          <ArrivalForm ref={arrivalRef} config={config} />
        </Box>
      )}
      <Stack gap="sm" style={{ flex: '1 1 0', minWidth: 0 }}>
        {closing && (
          <Alert color="orange" variant="light" title="Journée clôturée" role="status" data-testid="day-closed-banner">
            <Text size="sm">
              La journée a été clôturée le {formatDateTimeFr(new Date(closing.closedAt))} par {closing.closedByName ?? 'la coordination'} : les arrivées et les contacts du
              jour sont refusés. Pour continuer, la coordination peut la rouvrir (avec un motif) dans{' '}
              {may('days.close') ? (
                <Anchor
                  href="/cloture"
                  onClick={(ev) => {
                    ev.preventDefault();
                    navigate('/cloture');
                  }}
                >
                  Clôture des journées
                </Anchor>
              ) : (
                '« Clôture des journées »'
              )}
              .
            </Text>
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}

        {canOperateAny && (
          <Paper
            withBorder
            p="xs"
            radius="md"
            // Sticky: the person at my desk and their actions stay on screen while the list scrolls.
            style={{ borderColor: 'var(--mantine-color-teal-6)', borderWidth: 2, position: 'sticky', top: 'calc(var(--app-shell-header-height, 56px) + 8px)', zIndex: 3 }}
            component="section"
            aria-labelledby="my-desk-title"
            data-testid="my-desk"
          >
            <Group justify="space-between" align="center" gap="xs" wrap="nowrap">
              <Group gap="xs" wrap="nowrap">
                <Title order={2} size="h5" id="my-desk-title" style={{ whiteSpace: 'nowrap' }}>
                  Mon poste
                </Title>
                <Select
                  ref={deskSelect}
                  aria-label="Mon poste"
                  placeholder="Guichet ou bureau"
                  data={config.destinations}
                  value={validDestination}
                  onChange={setDestination}
                  w={190}
                  size="xs"
                  allowDeselect={false}
                />
              </Group>
              {!busyWith && (
                <Button onClick={() => void callNext()} disabled={!canCallNext} title={callNextHint ?? 'Alt+S'}>
                  Appeler le suivant{nextService ? ` (${serviceOf(nextService)?.label ?? nextService})` : ''}
                </Button>
              )}
            </Group>
            {deskNotice && (
              <Alert color={deskNotice.color} variant="light" mt={6} p="xs" role="alert" withCloseButton closeButtonLabel="Fermer le message" onClose={() => setDeskNotice(null)}>
                <Text size="sm">{deskNotice.text}</Text>
              </Alert>
            )}
            {!validDestination ? (
              <Stack gap={6} mt={6} data-testid="choose-desk">
                <Text size="sm">À quel poste travaillez-vous ? Choisissez-le une fois : il est gardé sur cet ordinateur et les personnes appelées y sont envoyées.</Text>
                <Group gap={6}>
                  {config.destinations.map((d) => (
                    <Button key={d} size="xs" variant="default" onClick={() => setDestination(d)}>
                      {d}
                    </Button>
                  ))}
                </Group>
              </Stack>
            ) : mine.length === 0 ? (
              <Text size="sm" c="dimmed" mt={6}>
                Personne à votre poste.{callNextHint ? ` ${callNextHint}.` : ''}
              </Text>
            ) : (
              <Stack gap={8} mt={6}>
                {mine.map((e) => (
                  <Stack key={e.id} gap={4} data-testid={`desk-${e.ticket}`}>
                    <Group gap="sm" wrap="nowrap">
                      {ticketText(e, 'lg')}
                      <Text size="sm" style={{ minWidth: 0 }} truncate="end">
                        {e.firstName ?? 'Sans prénom'} · {serviceOf(e.serviceCode)?.label ?? e.serviceCode}
                        {e.purpose ? ` · ${domainLabel(e.purpose)}` : ''}
                      </Text>
                      <Badge color={e.state === 'called' ? 'yellow' : 'teal'} variant="light" c="dark" tt="none" style={{ flexShrink: 0 }}>
                        {stateText(e)}
                      </Badge>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        attente <Waited minutes={waitedMinutes(e, now)} />
                      </Text>
                    </Group>
                    {marks(e)}
                    {actions(e, 'desk')}
                  </Stack>
                ))}
                <Text size="xs" c="dimmed">
                  <ShortcutHint keys="Alt+F">terminer</ShortcutHint> · <ShortcutHint keys="Alt+Enter">terminer et appeler le suivant</ShortcutHint> ·{' '}
                  <em>Terminer</em> suffit : l’entretien compte depuis l’appel.
                </Text>
              </Stack>
            )}
          </Paper>
        )}

        <Tabs value={currentTab} onChange={setTab} keepMounted={false}>
          <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
            {tabs.map((code) => (
              <Tabs.Tab key={code} value={code} style={{ flexShrink: 0 }} px={10}>
                <span style={{ whiteSpace: 'nowrap' }}>
                  {code === ALL ? 'Toutes' : (serviceOf(code)?.label ?? code)}{' '}
                  <Badge size="sm" tt="none" variant="light" color="gray" c="dark" ml={2}>
                    {countWaiting(code)}
                  </Badge>
                </span>
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>

        <Paper withBorder p="xs">
          <Group justify="space-between" mb={4} wrap="nowrap">
            <Title order={2} size="h5">
              En attente ({waiting.length})
            </Title>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              orange dès {config.thresholds.warnMinutes} min, rouge dès {config.thresholds.alertMinutes} min
            </Text>
          </Group>
          {waiting.length === 0 ? (
            <Text c="dimmed" size="sm" py="sm">
              Personne n’attend{currentTab !== ALL ? ' pour ce service' : ''}.
            </Text>
          ) : (
            <Table aria-label="Personnes en attente, dans l’ordre d’appel" verticalSpacing={4} horizontalSpacing={6} highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  {!showService && (
                    <Table.Th scope="col" w={32}>
                      N°
                    </Table.Th>
                  )}
                  <Table.Th scope="col">Ticket</Table.Th>
                  {showService && <Table.Th scope="col">Service</Table.Th>}
                  <Table.Th scope="col">Prénom</Table.Th>
                  <Table.Th scope="col">Motif</Table.Th>
                  <Table.Th scope="col">Attente</Table.Th>
                  <Table.Th scope="col">Repères</Table.Th>
                  <Table.Th scope="col">
                    <span className="sr-only">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {waiting.map((e) => (
                  <Table.Tr key={e.id} data-testid={`entry-${e.ticket}`}>
                    {!showService && <Table.Td>{e.position}</Table.Td>}
                    <Table.Td>{ticketText(e)}</Table.Td>
                    {serviceCell(e)}
                    <Table.Td>{e.firstName ? <Truncated text={e.firstName} w={100} /> : <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td>{e.purpose ? <Truncated text={domainLabel(e.purpose)} w={showService ? 120 : 220} /> : <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td>
                      <Waited minutes={waitedMinutes(e, now)} config={config} />
                    </Table.Td>
                    <Table.Td>{marks(e)}</Table.Td>
                    <Table.Td>{actions(e, 'row')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>

        {others.length > 0 && (
          <Paper withBorder p="xs">
            <Title order={2} size="h5" mb={4}>
              Appelés et en cours aux autres postes
            </Title>
            <Table aria-label="Personnes appelées ou en cours d’entretien" verticalSpacing={4} horizontalSpacing={6}>
              <Table.Tbody>
                {others.map((e) => (
                  <Table.Tr key={e.id} data-testid={`entry-${e.ticket}`}>
                    <Table.Td w={80}>{ticketText(e)}</Table.Td>
                    {serviceCell(e)}
                    <Table.Td>{e.firstName ? <Truncated text={e.firstName} w={100} /> : <Text c="dimmed">—</Text>}</Table.Td>
                    <Table.Td>
                      <Badge color={e.state === 'called' ? 'yellow' : 'teal'} variant="light" c="dark" tt="none">
                        {stateText(e)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Waited minutes={waitedMinutes(e, now)} />
                    </Table.Td>
                    <Table.Td>{actions(e, 'menu')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}

        <div>
          <UnstyledButton onClick={() => setRuleOpen((o) => !o)} aria-expanded={ruleOpen} aria-controls="ordering-rule">
            <Text size="sm" c="teal.9" td="underline">
              {ruleOpen ? '▾' : '▸'} Ordre de passage : comment la file est triée (?)
            </Text>
          </UnstyledButton>
          <Collapse expanded={ruleOpen} id="ordering-rule">
            <Text size="sm" c="dimmed" data-testid="ordering-rule" mt={4}>
              {orderingRuleFr(config)}
            </Text>
          </Collapse>
          <Text size="xs" c="dimmed" mt={4}>
            Raccourcis :{' '}
            {shortcuts.map((s, i) => (
              <span key={s.keys}>
                {i > 0 && ' · '}
                <ShortcutHint keys={s.keys}>{s.label.toLowerCase()}</ShortcutHint>
              </span>
            ))}
            {' · '}
            <ShortcutHint keys="?">tous les raccourcis</ShortcutHint>
          </Text>
        </div>

        {ended.length > 0 && (
          <Paper withBorder p="xs">
            <Title order={2} size="h5" mb={4}>
              Terminés aujourd’hui ({ended.length})
            </Title>
            <Table aria-label="Passages terminés aujourd’hui" verticalSpacing={4} horizontalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Ticket</Table.Th>
                  {showService && <Table.Th scope="col">Service</Table.Th>}
                  <Table.Th scope="col">Issue</Table.Th>
                  <Table.Th scope="col">Attente</Table.Th>
                  <Table.Th scope="col">Entretien</Table.Th>
                  <Table.Th scope="col">Reçu·e par</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ended.map((e) => {
                  const service = serviceMinutes(e);
                  return (
                    <Table.Tr key={e.id} data-testid={`ended-${e.ticket}`}>
                      <Table.Td ff="monospace">{e.ticket}</Table.Td>
                      {serviceCell(e)}
                      <Table.Td>
                        <Text size="sm">
                          {STATE_LABELS_FR[e.state]}
                          {e.handoff && e.state === 'handed_over' && (
                            <Text span size="xs" c="dimmed">
                              {' '}
                              → {institutionLabel(e.handoff.toInstitution)} : {HANDOFF_STATE_LABELS_FR[e.handoff.state].toLowerCase()}
                            </Text>
                          )}
                        </Text>
                      </Table.Td>
                      <Table.Td>{e.firstCalledAt ? <Waited minutes={waitedMinutes(e, now)} /> : '—'}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{service !== null ? formatMinutes(service) : '—'}</Table.Td>
                      <Table.Td>{e.servedByName ? <Truncated text={e.servedByName} w={140} /> : '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Paper>
        )}

        {may('queue.close') && (
          <Group justify="flex-end">
            <Button variant="subtle" color="gray" c="dark" onClick={() => setClosingQueue(true)}>
              Fermeture : clore la file du jour…
            </Button>
          </Group>
        )}
      </Stack>

      <Modal opened={closingQueue} onClose={() => setClosingQueue(false)} title="Clore la file du jour">
        <Stack>
          <Text>
            Les personnes encore en attente ou appelées seront comptées « non reçues – fermeture ». Les entretiens en cours ne sont pas
            modifiés.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosingQueue(false)}>
              Annuler
            </Button>
            <Button
              color="red"
              onClick={() =>
                void run('Fermeture', async () => {
                  const r = await api.call('queue.closeDay', {});
                  notifications.show({ color: 'teal', message: `${r.closed} ticket(s) clos pour la fermeture.` });
                }).then(() => setClosingQueue(false))
              }
            >
              Clore la file
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Box>
  );
}
