/** Today's contacts of the site, filterable, with exact counts at the top and a correction history. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Drawer, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { Contact, ResultOfContactsGet } from './types';
import { CHANNELS, CHANNEL_LABELS_FR, CONTACT_ACTION_LABELS_FR, CONTACT_FLAG_LABELS_FR, type Channel } from '../../../../shared/contacts/vocabulary';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { formatDateTimeFr, localTime, localDay, formatDayFr } from '../../../../shared/time/paris';
import { api, errorMessage } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { useContactForm } from './ContactsProvider';
import { useHandoffForm } from '../handoffs/HandoffsProvider';
import { orientationLabel } from './labels';
import { useDomains } from './useDomains';

type ListResult = Awaited<ReturnType<typeof loadList>>;

function loadList(filters: { agentId?: string; channel?: Channel; domain?: string; orientation?: string; ticket?: string }) {
  return api.call('contacts.list', filters);
}

const FIELD_LABELS: Record<string, string> = {
  channel: 'Canal',
  domains: 'Domaines',
  actions: 'Fait',
  orientationKind: 'Type d’orientation',
  orientationTarget: 'Orientation',
  flags: 'Repères',
  durationMinutes: 'Durée (min)',
  note: 'Note',
  at: 'Heure',
  ticket: 'Ticket',
  agentInstitution: 'Institution',
  identified: 'Personne reconnue',
};

export function ContactsPage() {
  const { me } = useSession();
  const { openForm } = useContactForm();
  const domains = useDomains();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [channel, setChannel] = useState<string | null>(null);
  const [domain, setDomain] = useState<string | null>(null);
  const [orientation, setOrientation] = useState<string | null>(null);
  const [ticket, setTicket] = useState('');
  const [data, setData] = useState<ListResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ResultOfContactsGet | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(
        await loadList({
          ...(agentId ? { agentId } : {}),
          ...(channel ? { channel: channel as Channel } : {}),
          ...(domain ? { domain } : {}),
          ...(orientation ? { orientation } : {}),
          ...(ticket.trim() ? { ticket: ticket.trim() } : {}),
        }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [agentId, channel, domain, orientation, ticket]);

  useEffect(() => {
    void reload();
    return api.on('contacts.changed', () => void reload());
  }, [reload]);

  const open = async (c: Contact) => {
    try {
      setSelected(await api.call('contacts.get', { id: c.id }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const counts = data?.counts;
  const agentOptions = (counts?.byAgent ?? []).map((a) => ({ value: a.key, label: a.label }));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Contacts du jour {data ? `– ${formatDayFr(data.day)}` : ''}
        </Title>
        <Group gap="xs">
          <Button variant="light" onClick={() => openForm({ kind: 'quick', channel: 'telephone' })} title="Alt+T">
            Appel téléphonique
          </Button>
          <Button variant="light" onClick={() => openForm({ kind: 'quick', channel: 'email' })} title="Alt+E">
            Courriel
          </Button>
          <Button variant="light" onClick={() => openForm({ kind: 'quick', channel: 'sur_place' })}>
            Autre contact
          </Button>
        </Group>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {counts && (
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Card withBorder padding="sm">
            <Text size="sm" c="dimmed">
              Contacts (passages)
            </Text>
            <Text fz={34} fw={800} data-testid="contacts-total">
              {counts.total}
            </Text>
          </Card>
          <Card withBorder padding="sm">
            <Text size="sm" c="dimmed" mb={4}>
              Par canal
            </Text>
            <Stack gap={2} data-testid="counts-channel">
              {counts.byChannel.map((c) => (
                <Group key={c.key} justify="space-between">
                  <Text size="sm">{CHANNEL_LABELS_FR[c.key as Channel] ?? c.key}</Text>
                  <Text size="sm" fw={700}>
                    {c.count}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Card>
          <Card withBorder padding="sm">
            <Text size="sm" c="dimmed" mb={4}>
              Par domaine (un contact peut en avoir plusieurs)
            </Text>
            <Stack gap={2} data-testid="counts-domain">
              {counts.byDomain.map((c) => (
                <Group key={c.key} justify="space-between">
                  <Text size="sm">{domainLabel(c.key)}</Text>
                  <Text size="sm" fw={700}>
                    {c.count}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Card>
        </SimpleGrid>
      )}
      <Group align="flex-end" gap="sm">
        {me?.role !== 'professionnel' && <Select label="Agent" data={agentOptions} value={agentId} onChange={setAgentId} clearable placeholder="Tous" w={180} />}
        <Select label="Canal" data={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS_FR[c] }))} value={channel} onChange={setChannel} clearable placeholder="Tous" w={210} />
        <Select label="Domaine" data={domains.map((d) => ({ value: d.code, label: d.label }))} value={domain} onChange={setDomain} clearable searchable placeholder="Tous" w={230} />
        <Select
          label="Orientation"
          data={[{ value: 'AUCUNE', label: 'Sans orientation' }, ...(counts?.byOrientation ?? []).filter((o) => o.key !== 'AUCUNE').map((o) => ({ value: o.key, label: orientationLabel(o.key) }))]}
          value={orientation}
          onChange={setOrientation}
          clearable
          placeholder="Toutes"
          w={200}
        />
        <TextInput label="Ticket" placeholder="ex. C-014" value={ticket} onChange={(e) => setTicket(e.currentTarget.value)} w={120} />
      </Group>
      {data && data.contacts.length === 0 ? (
        <Text c="dimmed">Aucun contact {agentId || channel || domain || orientation || ticket ? 'pour ces critères' : 'enregistré aujourd’hui'}.</Text>
      ) : (
        <Table striped highlightOnHover aria-label="Contacts du jour">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Heure</Table.Th>
              <Table.Th scope="col">Ticket</Table.Th>
              <Table.Th scope="col">Canal</Table.Th>
              <Table.Th scope="col">Domaines</Table.Th>
              <Table.Th scope="col">Orientation</Table.Th>
              <Table.Th scope="col">Durée</Table.Th>
              <Table.Th scope="col">Agent</Table.Th>
              <Table.Th scope="col">
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.contacts.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{localTime(new Date(c.at))}</Table.Td>
                <Table.Td ff="monospace">{c.ticket ?? '—'}</Table.Td>
                <Table.Td>{CHANNEL_LABELS_FR[c.channel]}</Table.Td>
                <Table.Td>{c.domains.map(domainLabel).join(', ')}</Table.Td>
                <Table.Td>{orientationLabel(c.orientation?.target)}</Table.Td>
                <Table.Td>{c.durationMinutes !== null ? `${c.durationMinutes} min` : '—'}</Table.Td>
                <Table.Td>{c.agentName}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => void open(c)} aria-label={`Détail du contact de ${localTime(new Date(c.at))}`}>
                      Détail
                    </Button>
                    {c.editable && (
                      <Button size="xs" variant="light" onClick={() => openForm({ kind: 'edit', contact: c })} aria-label={`Corriger le contact de ${localTime(new Date(c.at))}`}>
                        Corriger
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Drawer opened={selected !== null} onClose={() => setSelected(null)} position="right" size="md" title="Détail du contact">
        {selected && <ContactDetail detail={selected} />}
      </Drawer>
    </Stack>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      return (JSON.parse(value) as string[]).map((v) => domainLabel(v)).join(', ') || '—';
    } catch {
      return value;
    }
  }
  return String(value);
}

function ContactDetail({ detail }: { detail: ResultOfContactsGet }) {
  const c = detail.contact;
  const { may } = useSession();
  const { openHandoff } = useHandoffForm();
  return (
    <Stack gap="xs">
      {may('handoffs.create') && (
        <Button variant="light" onClick={() => openHandoff({ contactId: c.id, ticket: c.ticket, domains: c.domains })}>
          Passage de relais pour ce contact…
        </Button>
      )}
      <Text>
        <strong>{formatDateTimeFr(new Date(c.at))}</strong> · {CHANNEL_LABELS_FR[c.channel]} · {c.agentName}
      </Text>
      <Text size="sm">Domaines : {c.domains.map(domainLabel).join(', ')}</Text>
      <Text size="sm">Fait : {c.actions.map((a) => CONTACT_ACTION_LABELS_FR[a]).join(', ') || '—'}</Text>
      <Text size="sm">Orientation : {orientationLabel(c.orientation?.target)}</Text>
      <Text size="sm">Repères : {c.flags.map((f) => CONTACT_FLAG_LABELS_FR[f]).join(', ') || '—'}</Text>
      <Text size="sm">Durée : {c.durationMinutes !== null ? `${c.durationMinutes} min` : '—'}</Text>
      {c.identified && <Badge variant="light">Personne reconnue (clé anonyme)</Badge>}
      {c.note && <Text size="sm">Note : {c.note}</Text>}
      <Title order={3} size="h5" mt="sm">
        Historique
      </Title>
      <Stack gap={6} data-testid="contact-history">
        {detail.history.map((h, i) => (
          <Card key={i} withBorder padding="xs">
            <Text size="sm" fw={600}>
              {h.action === 'contact.log' ? 'Enregistré' : 'Corrigé'} le {formatDateTimeFr(new Date(h.at))} par {h.actorLogin ?? '—'}
            </Text>
            {h.action !== 'contact.log' &&
              h.changes.map((ch) => (
                <Text key={ch.field} size="xs">
                  {FIELD_LABELS[ch.field] ?? ch.field} : {show(ch.before)} → {show(ch.after)}
                </Text>
              ))}
          </Card>
        ))}
      </Stack>
      <Text size="xs" c="dimmed">
        Jour : {formatDayFr(c.day)}
        {c.day !== localDay(new Date()) ? ' (journée passée)' : ''}
      </Text>
    </Stack>
  );
}
