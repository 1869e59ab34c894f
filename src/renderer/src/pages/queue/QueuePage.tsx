/**
 * The queue board of the site: arrival form, one tab per service, live waits with colour
 * thresholds, actions by permission, and keyboard shortcuts for the frequent ones.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, Grid, Group, Kbd, Modal, Paper, Select, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { QueueEntry } from '../../../../shared/api/methods/queue';
import { orderingRuleFr, type QueueConfig } from '../../../../shared/queue/config';
import { NEED_LABELS_FR, PRIORITY_LABELS_FR, STATE_LABELS_FR } from '../../../../shared/queue/states';
import { canOperateService, canSeeService } from '../../../../shared/permissions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { localTime } from '../../../../shared/time/paris';
import { api, errorMessage, RpcError } from '../../api/client';
import { useReportReceiving } from '../../receiving';
import { useNow } from '../../hooks';
import { useSession } from '../../session/SessionContext';
import { ArrivalForm, type ArrivalFormHandle } from './ArrivalForm';
import { EntryActions, type Run } from './EntryActions';
import { formatMinutes, serviceMinutes, waitedMinutes } from './format';
import { useQueue } from './useQueue';

const DESTINATION_KEY = 'accueil-esc.destination';
const ALL = 'ALL';

function waitColor(minutes: number, config: QueueConfig): string {
  if (minutes >= config.thresholds.alertMinutes) return 'red.8';
  if (minutes >= config.thresholds.warnMinutes) return 'orange.9';
  return 'dark';
}

export function QueuePage() {
  const { me, may } = useSession();
  const { entries, config, clockSkewMs, error, reload } = useQueue();
  const localNow = useNow(15_000);
  const now = new Date(localNow.getTime() + clockSkewMs);
  const arrivalRef = useRef<ArrivalFormHandle>(null);
  const [destination, setDestinationState] = useState<string | null>(() => localStorage.getItem(DESTINATION_KEY));
  const [tab, setTab] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);

  useReportReceiving(entries, destination);

  const setDestination = (d: string | null) => {
    setDestinationState(d);
    if (d) localStorage.setItem(DESTINATION_KEY, d);
    else localStorage.removeItem(DESTINATION_KEY);
  };

  const services = useMemo(() => (config ? config.services.filter((s) => s.active && canSeeService(me, s.institution)) : []), [config, me]);
  const professionalService = me?.role === 'professionnel' ? services[0]?.code : undefined;
  const currentTab = tab ?? professionalService ?? ALL;
  const serviceOf = useCallback((code: string) => config?.services.find((s) => s.code === code), [config]);

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
  const active = entries.filter((e) => (e.state === 'called' || e.state === 'in_progress') && inTab(e));
  const waiting = entries.filter((e) => e.state === 'waiting' && inTab(e));
  const ended = entries.filter((e) => !['waiting', 'called', 'in_progress'].includes(e.state) && inTab(e));

  const callNext = useCallback(async () => {
    if (currentTab === ALL) {
      notifications.show({ color: 'gray', message: 'Choisissez d’abord l’onglet du service à appeler.' });
      return;
    }
    if (!destination) {
      notifications.show({ color: 'orange', message: 'Choisissez d’abord votre guichet ou bureau (« Mon poste »).' });
      return;
    }
    try {
      const called = await api.call('queue.callNext', { serviceCode: currentTab, destination });
      notifications.show({ color: 'teal', message: `Ticket ${called.ticket} appelé vers ${destination}.` });
    } catch (err) {
      notifications.show({ color: err instanceof RpcError && err.code === 'NOT_FOUND' ? 'gray' : 'red', message: errorMessage(err) });
      await reload();
    }
  }, [currentTab, destination, reload]);

  const tabs = [ALL, ...services.map((s) => s.code)];
  useHotkeys([
    ['alt+N', () => arrivalRef.current?.focus()],
    ['alt+S', () => void callNext()],
    ...tabs.slice(0, 9).map((code, i) => [`alt+${i + 1}`, () => setTab(code)] as [string, () => void]),
  ]);

  if (!config) {
    return error ? (
      <Alert color="red" role="alert">
        {error}
      </Alert>
    ) : (
      <Text c="dimmed">Chargement de la file…</Text>
    );
  }

  const canRegister = may('queue.register');
  const canOperateTab = currentTab !== ALL && canOperateService(me, serviceOf(currentTab)?.institution ?? null);
  const countWaiting = (code: string) => entries.filter((e) => e.state === 'waiting' && (code === ALL || e.serviceCode === code)).length;

  const marks = (e: QueueEntry) => (
    <Group gap={4} miw={140}>
      {e.appointmentAt && (
        <Badge size="sm" tt="none" color="violet" variant="light">
          RDV {localTime(new Date(e.appointmentAt))}
          {e.appointmentWithName ? ` · ${e.appointmentWithName}` : ''}
        </Badge>
      )}
      {e.priorityReasons.map((p) => (
        <Badge key={p} size="sm" color="orange" variant="light">
          {PRIORITY_LABELS_FR[p]}
        </Badge>
      ))}
      {e.needs.map((n) => (
        <Badge key={n} size="sm" color="blue" variant="light">
          {NEED_LABELS_FR[n]}
        </Badge>
      ))}
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

  const serviceCell = (e: QueueEntry) => (currentTab === ALL ? <Table.Td>{serviceOf(e.serviceCode)?.label ?? e.serviceCode}</Table.Td> : null);

  return (
    <Grid gap="md">
      {canRegister && (
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ArrivalForm ref={arrivalRef} config={config} />
        </Grid.Col>
      )}
      <Grid.Col span={{ base: 12, md: canRegister ? 8 : 12 }}>
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end">
            <Title order={1} size="h2">
              File d’attente
            </Title>
            <Group gap="sm" align="flex-end">
              <Select
                label="Mon poste"
                placeholder="Guichet ou bureau"
                data={config.destinations}
                value={destination}
                onChange={setDestination}
                w={180}
                size="sm"
                error={destination ? undefined : 'À choisir pour appeler'}
              />
              <Button onClick={() => void callNext()} disabled={!canOperateTab} title="Alt+S">
                Appeler le suivant
              </Button>
            </Group>
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Tabs value={currentTab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              {tabs.map((code) => (
                <Tabs.Tab key={code} value={code}>
                  {code === ALL ? 'Toutes' : (serviceOf(code)?.label ?? code)}{' '}
                  <Badge size="sm" tt="none" variant="light" color="gray" c="dark" ml={4}>
                    {countWaiting(code)}
                  </Badge>
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>

          {active.length > 0 && (
            <Paper withBorder p="xs">
              <Title order={2} size="h5" mb={4}>
                Appelés et en cours
              </Title>
              <Table aria-label="Personnes appelées ou en cours d’entretien" verticalSpacing={6}>
                <Table.Tbody>
                  {active.map((e) => (
                    <Table.Tr key={e.id} data-testid={`entry-${e.ticket}`}>
                      <Table.Td w={90}>
                        <Text fw={800} ff="monospace" size="lg">
                          {e.ticket}
                        </Text>
                      </Table.Td>
                      {serviceCell(e)}
                      <Table.Td>{e.firstName ?? <Text c="dimmed">—</Text>}</Table.Td>
                      <Table.Td>
                        <Badge color={e.state === 'called' ? 'yellow' : 'teal'} variant="light" c="dark">
                          {STATE_LABELS_FR[e.state]}
                          {e.state === 'called' && e.calledTo ? ` → ${e.calledTo}` : ''}
                          {e.state === 'called' && e.callCount > 1 ? ` (${e.callCount} appels)` : ''}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          Attente {formatMinutes(waitedMinutes(e, now))}
                        </Text>
                      </Table.Td>
                      <Table.Td>{marks(e)}</Table.Td>
                      <Table.Td>
                        <EntryActions
                          entry={e}
                          config={config}
                          destination={destination}
                          waitingInService={entries.filter((w) => w.state === 'waiting' && w.serviceCode === e.serviceCode)}
                          run={run}
                          canOperate={canOperateService(me, serviceOf(e.serviceCode)?.institution ?? null)}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}

          <Paper withBorder p="xs">
            <Group justify="space-between" mb={4}>
              <Title order={2} size="h5">
                En attente ({waiting.length})
              </Title>
              <Text size="xs" c="dimmed">
                Seuils : orange dès {config.thresholds.warnMinutes} min, rouge dès {config.thresholds.alertMinutes} min
              </Text>
            </Group>
            {waiting.length === 0 ? (
              <Text c="dimmed" size="sm" py="sm">
                Personne n’attend{currentTab !== ALL ? ' pour ce service' : ''}.
              </Text>
            ) : (
              <Table aria-label="Personnes en attente, dans l’ordre d’appel" verticalSpacing={6} highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    {currentTab !== ALL && <Table.Th scope="col">N°</Table.Th>}
                    <Table.Th scope="col">Ticket</Table.Th>
                    {currentTab === ALL && <Table.Th scope="col">Service</Table.Th>}
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
                  {waiting.map((e) => {
                    const minutes = waitedMinutes(e, now);
                    return (
                      <Table.Tr key={e.id} data-testid={`entry-${e.ticket}`}>
                        {currentTab !== ALL && <Table.Td w={40}>{e.position}</Table.Td>}
                        <Table.Td w={90}>
                          <Text fw={800} ff="monospace" size="lg">
                            {e.ticket}
                          </Text>
                        </Table.Td>
                        {serviceCell(e)}
                        <Table.Td>{e.firstName ?? <Text c="dimmed">—</Text>}</Table.Td>
                        <Table.Td>{e.purpose ? domainLabel(e.purpose) : <Text c="dimmed">—</Text>}</Table.Td>
                        <Table.Td>
                          <Text fw={700} c={waitColor(minutes, config)} data-testid="waited">
                            {formatMinutes(minutes)}
                          </Text>
                        </Table.Td>
                        <Table.Td>{marks(e)}</Table.Td>
                        <Table.Td>
                          <EntryActions
                            entry={e}
                            config={config}
                            destination={destination}
                            waitingInService={entries.filter((w) => w.state === 'waiting' && w.serviceCode === e.serviceCode)}
                            run={run}
                            canOperate={canOperateService(me, serviceOf(e.serviceCode)?.institution ?? null)}
                          />
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Paper>

          <Text size="sm" c="dimmed" data-testid="ordering-rule">
            <strong>Ordre de passage.</strong> {orderingRuleFr(config)}
          </Text>
          <Text size="xs" c="dimmed">
            Raccourcis : <Kbd>Alt</Kbd>+<Kbd>N</Kbd> nouvelle arrivée · <Kbd>Alt</Kbd>+<Kbd>S</Kbd> appeler le suivant · <Kbd>Alt</Kbd>+
            <Kbd>1</Kbd>…<Kbd>9</Kbd> changer d’onglet
          </Text>

          {ended.length > 0 && (
            <Paper withBorder p="xs">
              <Title order={2} size="h5" mb={4}>
                Terminés aujourd’hui ({ended.length})
              </Title>
              <Table aria-label="Passages terminés aujourd’hui" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Ticket</Table.Th>
                    {currentTab === ALL && <Table.Th scope="col">Service</Table.Th>}
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
                      <Table.Tr key={e.id}>
                        <Table.Td ff="monospace">{e.ticket}</Table.Td>
                        {serviceCell(e)}
                        <Table.Td>{STATE_LABELS_FR[e.state]}</Table.Td>
                        <Table.Td>{e.firstCalledAt ? formatMinutes(waitedMinutes(e, now)) : '—'}</Table.Td>
                        <Table.Td>{service !== null ? formatMinutes(service) : '—'}</Table.Td>
                        <Table.Td>{e.servedByName ?? '—'}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Paper>
          )}

          {may('queue.operate') && me?.role !== 'professionnel' && (
            <Group justify="flex-end">
              <Button variant="subtle" color="gray" onClick={() => setClosing(true)}>
                Fermeture : clore la file du jour…
              </Button>
            </Group>
          )}
        </Stack>
      </Grid.Col>
      <Modal opened={closing} onClose={() => setClosing(false)} title="Clore la file du jour">
        <Stack>
          <Text>
            Les personnes encore en attente ou appelées seront comptées « non reçues – fermeture ». Les entretiens en cours ne sont pas
            modifiés.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setClosing(false)}>
              Annuler
            </Button>
            <Button
              color="red"
              onClick={() =>
                void run('Fermeture', async () => {
                  const r = await api.call('queue.closeDay', {});
                  notifications.show({ color: 'teal', message: `${r.closed} ticket(s) clos pour la fermeture.` });
                }).then(() => setClosing(false))
              }
            >
              Clore la file
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Grid>
  );
}
