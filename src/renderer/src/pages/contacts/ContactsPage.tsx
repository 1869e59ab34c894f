/** Today's contacts of the site, filterable, with exact counts at the top and a correction history. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Drawer, Group, Modal, Radio, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Contact, ResultOfContactsGet } from './types';
import {
  CHANNELS,
  CHANNEL_LABELS_FR,
  CONTACT_ACTION_LABELS_FR,
  CONTACT_CANCEL_REASONS,
  CONTACT_CANCEL_REASON_LABELS_FR,
  CONTACT_FLAG_LABELS_FR,
  type Channel,
  type ContactCancelReason,
} from '../../../../shared/contacts/vocabulary';
import { auditActionLabel, describeAuditChanges } from '../../../../shared/audit/labels';
import { formatCount, formatDuration } from '../../../../shared/format/fr';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { formatDateTimeFr, localTime, localDay, formatDayFr } from '../../../../shared/time/paris';
import { api, errorMessage } from '../../api/client';
import { ErrorSummary, useFieldErrors } from '../../forms/errors';
import { useSession } from '../../session/SessionContext';
import { useContactForm } from './ContactsProvider';
import { useHandoffForm } from '../handoffs/HandoffsProvider';
import { orientationLabel } from './labels';
import { useDomains } from './useDomains';

type ListResult = Awaited<ReturnType<typeof loadList>>;

function loadList(filters: { agentId?: string; channel?: Channel; domain?: string; orientation?: string; ticket?: string }) {
  return api.call('contacts.list', filters);
}


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
  const [cancelling, setCancelling] = useState<Contact | null>(null);

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
              {formatCount(counts.total)}
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
                    {formatCount(c.count)}
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
                    {formatCount(c.count)}
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
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{c.durationMinutes !== null ? formatDuration(c.durationMinutes) : '—'}</Table.Td>
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
                    {c.editable && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setCancelling(c)} aria-label={`Annuler le contact de ${localTime(new Date(c.at))}`}>
                        Annuler
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
      {cancelling && (
        <CancelContactDialog
          contact={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            void reload();
          }}
        />
      )}
    </Stack>
  );
}

/**
 * "Annuler ce contact": for a contact logged by mistake (its author the same day, the
 * coordination until the day is closed). Asks why, from a short list, and says what it does.
 */
function CancelContactDialog({ contact, onClose, onDone }: { contact: Contact; onClose: () => void; onDone: () => void }) {
  const [reason, setReason] = useState<ContactCancelReason | null>(null);
  const [busy, setBusy] = useState(false);
  const f = useFieldErrors('cancel-contact', { reason: 'Pourquoi annuler ce contact ?' });
  const when = localTime(new Date(contact.at));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!f.check({ reason: !reason && 'Choisissez pourquoi ce contact est annulé.' })) return;
    setBusy(true);
    try {
      await api.call('contacts.cancel', { id: contact.id, version: contact.version, reason: reason! });
      notifications.show({ color: 'teal', message: `Contact de ${when} annulé : il ne compte plus.` });
      onDone();
    } catch (err) {
      f.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Annuler le contact de ${when}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <ErrorSummary form={f} />
          <Text size="sm">
            {CHANNEL_LABELS_FR[contact.channel]} · {contact.domains.map(domainLabel).join(', ')}
            {contact.ticket ? ` · passage ${contact.ticket}` : ''} · {contact.agentName}
          </Text>
          <Text size="sm">
            Le contact sortira de tous les comptes (contacts du jour, statistiques, rapports). L’annulation est inscrite au journal ; elle ne se défait pas.
            {contact.ticket ? ' Le passage pourra être enregistré à nouveau.' : ''}
          </Text>
          <Radio.Group label="Pourquoi annuler ce contact ?" required value={reason} onChange={(v) => setReason(v as ContactCancelReason)} {...f.props('reason')}>
            <Stack gap={6} mt={6}>
              {CONTACT_CANCEL_REASONS.map((r) => (
                <Radio key={r} value={r} label={CONTACT_CANCEL_REASON_LABELS_FR[r]} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Garder le contact
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Annuler ce contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
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
      <Text size="sm">Durée : {c.durationMinutes !== null ? formatDuration(c.durationMinutes) : '—'}</Text>
      {c.identified && <Badge variant="light">Personne reconnue (clé anonyme)</Badge>}
      {c.note && <Text size="sm">Note : {c.note}</Text>}
      <Title order={3} size="h5" mt="sm">
        Historique
      </Title>
      <Stack gap={6} data-testid="contact-history">
        {detail.history.map((h, i) => (
          <Card key={i} withBorder padding="xs">
            <Text size="sm" fw={600}>
              {h.action === 'contact.log' ? 'Enregistré' : h.action === 'contact.update' ? 'Corrigé' : auditActionLabel(h.action)} le {formatDateTimeFr(new Date(h.at))} par{' '}
              {h.actorLogin ?? '—'}
            </Text>
            {h.action !== 'contact.log' &&
              describeAuditChanges('contact', h.changes).map((ch) => (
                <Text key={ch.field} size="xs">
                  {ch.label} : {ch.before} → {ch.after}
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
