/** The journal (audit log) for coordination and administration: filter, read, export. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AuditRowView } from '../../../../shared/api/methods/audit';
import { AUDIT_ENTITY_LABELS_FR, auditActionLabel, auditObjectLabel, describeAuditChanges } from '../../../../shared/audit/labels';
import { addDays, formatDateTimeFr, localDay } from '../../../../shared/time/paris';
import { api, errorMessage } from '../../api/client';
import { DayInput } from '../../components/dates';
import { downloadExport } from '../../download';
import { canReadAuditContent } from '../../../../shared/permissions';
import { useSession } from '../../session/SessionContext';

const ENTITIES = Object.entries(AUDIT_ENTITY_LABELS_FR).map(([value, label]) => ({ value, label }));

/** A row's changes in French: the first ones, and the rest on demand. */
function Changes({ row }: { row: AuditRowView }) {
  const [all, setAll] = useState(false);
  const changes = describeAuditChanges(row.entity, row.changes);
  // The administrator sees who did what and when, not what a queue, contact or hand-over held (decision 010).
  if (row.contentHidden) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        Contenu réservé aux rôles qui voient ces données
      </Text>
    );
  }
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const shown = all ? changes : changes.slice(0, 6);
  return (
    <>
      {shown.map((c) => (
        <Text key={c.field} size="xs">
          {c.label} : {c.before} → {c.after}
        </Text>
      ))}
      {changes.length > shown.length && (
        <Button variant="subtle" size="compact-xs" onClick={() => setAll(true)}>
          … et {changes.length - shown.length} autre{changes.length - shown.length > 1 ? 's' : ''}
        </Button>
      )}
    </>
  );
}

export function AuditPage() {
  const { me } = useSession();
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
        {me && !canReadAuditContent(me, 'contact') && ' Vous voyez qui a fait quoi et quand ; le contenu des modifications de la file, des contacts, des passages de relais et des clôtures est réservé à la coordination.'}
      </Text>
      <Group align="flex-end">
        <DayInput label="Du" value={from} onChange={(d) => d && setFrom(d)} maxDate={to} w={150} />
        <DayInput label="Au" value={to} onChange={(d) => d && setTo(d)} minDate={from} maxDate={today} w={150} />
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
              <Table.Td>{auditActionLabel(r.action)}</Table.Td>
              <Table.Td>{auditObjectLabel(r.entity, r.entityId)}</Table.Td>
              <Table.Td>
                <Changes row={r} />
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
