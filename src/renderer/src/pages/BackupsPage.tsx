/** Administration: encrypted backups of the site database, and how to restore one. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ResultOf } from '../../../shared/api/contract';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { api, errorMessage } from '../api/client';

export function BackupsPage() {
  const [data, setData] = useState<ResultOf<'backups.list'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(async () => {
    try {
      setData(await api.call('backups.list', {}));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async () => {
    setBusy(true);
    try {
      const b = await api.call('backups.run', {});
      notifications.show({ color: 'teal', message: `Sauvegarde ${b.name} créée et vérifiée.` });
      await load();
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Sauvegardes
        </Title>
        <Button onClick={() => void run()} loading={busy} disabled={!data?.configured}>
          Sauvegarder maintenant
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {data && !data.configured && (
        <Alert color="yellow" title="Aucun dossier de sauvegarde configuré">
          Démarrez le hub avec <Code>--backup-dir DOSSIER</Code> (par exemple un partage réseau) : une copie chiffrée et vérifiée est faite au démarrage puis toutes
          les 24 heures, en gardant les 14 plus récentes (<Code>--backup-keep</Code>, <Code>--backup-every-hours</Code>).
        </Alert>
      )}
      {data?.configured && (
        <>
          <Text size="sm">
            Dossier : <Code>{data.dir}</Code> · {data.keep} copies conservées. Chaque copie est chiffrée avec la clé du site et vérifiée (ouverture et contrôle
            d’intégrité) avant que les plus anciennes soient supprimées.
          </Text>
          <Table aria-label="Sauvegardes disponibles" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Fichier</Table.Th>
                <Table.Th scope="col">Date</Table.Th>
                <Table.Th scope="col" ta="right">
                  Taille
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.backups.map((b) => (
                <Table.Tr key={b.name}>
                  <Table.Td>
                    <Code>{b.name}</Code>
                  </Table.Td>
                  <Table.Td>{formatDateTimeFr(new Date(b.createdAt))}</Table.Td>
                  <Table.Td ta="right">{Math.max(1, Math.round(b.size / 1024))} Kio</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.backups.length === 0 && <Text c="dimmed">Aucune sauvegarde pour l’instant.</Text>}
        </>
      )}
      <Title order={2} size="h4">
        Restaurer une sauvegarde
      </Title>
      <Text size="sm">
        Arrêtez le hub, puis : <Code>npm run hub -- restore --data-dir DOSSIER --key-file CLÉ --from SAUVEGARDE</Code>. La sauvegarde est vérifiée avant de
        remplacer la base ; la base remplacée est conservée à côté. Redémarrez ensuite le hub.
      </Text>
    </Stack>
  );
}
