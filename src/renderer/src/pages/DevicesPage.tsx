/** Administration: the desks and offices paired with the LAN hub, one-time pairing codes, revocation. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ResultOf } from '../../../shared/api/contract';
import { formatDateTimeFr, localTime } from '../../../shared/time/paris';
import { api, errorMessage } from '../api/client';

type Data = ResultOf<'devices.list'>;
type Code = ResultOf<'devices.pairingCode'>;

export function DevicesPage() {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState<Code | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setData(await api.call('devices.list', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const newCode = async () => {
    setBusy(true);
    try {
      setCode(await api.call('devices.pairingCode', {}));
      await load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Révoquer le poste « ${name} » ? Il ne pourra plus joindre le serveur du site sans nouvel appairage.`)) return;
    try {
      await api.call('devices.revoke', { id });
      notifications.show({ color: 'teal', message: `Poste « ${name} » révoqué.` });
      await load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    }
  };

  return (
    <Stack maw={960}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Postes du site
        </Title>
        <Button onClick={() => void newCode()} loading={busy}>
          Appairer un poste
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {data && !data.lan && (
        <Alert color="blue" title="Pour l’instant, seul ce poste utilise l’application">
          Aucun appairage n’est nécessaire tant que le serveur du site ne sert que ce poste. Pour que les autres guichets et bureaux du site s’y connectent,
          demandez au service informatique d’ouvrir le serveur au réseau du site : les échanges y sont alors chiffrés, et chaque poste doit être appairé une
          fois, depuis cet écran, avec un code à usage unique.
        </Alert>
      )}
      {data?.lan && (
        <Text size="sm">
          Adresse{data.lan.urls.length > 1 ? 's' : ''} à ouvrir sur les postes : {data.lan.urls.map((u) => <Code key={u}>{u}</Code>)} · empreinte SHA-256 du certificat, à
          comparer sur le poste : <Code style={{ wordBreak: 'break-all' }}>{data.lan.fingerprint}</Code>
        </Text>
      )}
      {code && (
        <Paper withBorder p="lg" radius="md" aria-live="polite">
          <Text size="sm">Code d’appairage, à saisir sur le nouveau poste (usage unique, valable jusqu’à {localTime(new Date(code.expiresAt))}) :</Text>
          <Text ff="monospace" fw={700} fz={36} my="sm" aria-label={`Code ${code.code.split('').join(' ')}`}>
            {code.code}
          </Text>
          {code.fingerprint && (
            <Text size="sm">
              Sur le poste, vérifiez d’abord que le navigateur montre cette empreinte de certificat : <Code style={{ wordBreak: 'break-all' }}>{code.fingerprint}</Code>
            </Text>
          )}
        </Paper>
      )}
      {data && (
        <Table aria-label="Postes appairés" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Poste</Table.Th>
              <Table.Th scope="col">Appairé le</Table.Th>
              <Table.Th scope="col">Vu pour la dernière fois</Table.Th>
              <Table.Th scope="col">État</Table.Th>
              <Table.Th scope="col">
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.devices.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed">
                    Aucun poste appairé.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {data.devices.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.name}</Table.Td>
                <Table.Td>{formatDateTimeFr(new Date(d.pairedAt))}</Table.Td>
                <Table.Td>
                  {d.lastSeenAt ? formatDateTimeFr(new Date(d.lastSeenAt)) : '—'}
                  {d.lastAddress ? ` (${d.lastAddress})` : ''}
                </Table.Td>
                <Table.Td>{d.revokedAt ? <Badge color="gray">Révoqué</Badge> : <Badge color="teal">Autorisé</Badge>}</Table.Td>
                <Table.Td>
                  {!d.revokedAt && (
                    <Button size="xs" variant="default" onClick={() => void revoke(d.id, d.name)}>
                      Révoquer
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
