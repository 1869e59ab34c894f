/** The journal (audit log) for coordination and administration: filter, read, export. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AuditRowView } from '../../../../shared/api/methods/audit';
import { addDays, formatDateTimeFr, localDay } from '../../../../shared/time/paris';
import { api, errorMessage } from '../../api/client';
import { downloadExport } from '../../download';

const ENTITIES = [
  { value: 'account', label: 'Comptes' },
  { value: 'session', label: 'Connexions' },
  { value: 'queue_entry', label: 'File d’attente' },
  { value: 'contact', label: 'Contacts' },
  { value: 'handoff', label: 'Passages de relais' },
  { value: 'day', label: 'Clôtures' },
  { value: 'setting', label: 'Réglages' },
  { value: 'directory_entry', label: 'Annuaire' },
  { value: 'partner', label: 'Partenaires' },
  { value: 'privacy', label: 'Données personnelles' },
  { value: 'backup', label: 'Sauvegardes' },
  { value: 'sync', label: 'Synchronisation' },
  { value: 'device', label: 'Postes du site' },
  { value: 'key', label: 'Clé de la base' },
];

const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

export function AuditPage() {
  const today = localDay(new Date());
  const [from, setFrom] = useState(addDays(today, -7));
  const [to, setTo] = useState(today);
  const [entity, setEntity] = useState<string | null>(null);
  const [actor, setActor] = useState('');
  const [rows, setRows] = useState<AuditRowView[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filters = { from, to, ...(entity ? { entity } : {}), ...(actor.trim() ? { actorLogin: actor.trim() } : {}) };

  const load = useCallback(
    async (append: boolean, beforeId?: string) => {
      try {
        const r = await api.call('audit.list', { ...filters, limit: 200, ...(beforeId ? { beforeId } : {}) });
        setRows((old) => (append ? [...old, ...r.rows] : r.rows));
        setMore(r.more);
        setError(null);
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [from, to, entity, actor],
  );

  useEffect(() => {
    void load(false);
  }, [load]);

  const exportCsv = async () => {
    try {
      const f = await api.call('exports.audit', filters);
      await downloadExport(f);
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Journal
        </Title>
        <Button variant="light" onClick={() => void exportCsv()}>
          Export CSV
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Chaque modification et chaque consultation d’informations personnelles d’un passage de relais y est inscrite ; le journal ne peut être ni modifié ni effacé.
      </Text>
      <Group align="flex-end">
        <TextInput label="Du" type="date" value={from} onChange={(e) => e.currentTarget.value && setFrom(e.currentTarget.value)} />
        <TextInput label="Au" type="date" value={to} onChange={(e) => e.currentTarget.value && setTo(e.currentTarget.value)} />
        <Select label="Objet" data={ENTITIES} value={entity} onChange={setEntity} clearable placeholder="Tous" w={200} />
        <TextInput label="Compte (identifiant)" value={actor} onChange={(e) => setActor(e.currentTarget.value)} w={180} />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      <Table aria-label="Journal" striped data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Date et heure</Table.Th>
            <Table.Th scope="col">Compte</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Objet</Table.Th>
            <Table.Th scope="col">Modifications</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeFr(new Date(r.at))}</Table.Td>
              <Table.Td>{r.actorLogin ?? 'système'}</Table.Td>
              <Table.Td>
                <code>{r.action}</code>
              </Table.Td>
              <Table.Td>{ENTITIES.find((e) => e.value === r.entity)?.label ?? r.entity}</Table.Td>
              <Table.Td>
                {r.changes.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  r.changes.slice(0, 6).map((c) => (
                    <Text key={c.field} size="xs">
                      {c.field} : {show(c.before)} → {show(c.after)}
                    </Text>
                  ))
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {rows.length === 0 && <Text c="dimmed">Aucune entrée pour ces critères.</Text>}
      {more && (
        <Button variant="default" onClick={() => void load(true, rows[rows.length - 1]?.id)}>
          Afficher les entrées plus anciennes
        </Button>
      )}
    </Stack>
  );
}
