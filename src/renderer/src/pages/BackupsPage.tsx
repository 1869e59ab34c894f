/** Administration: encrypted backups of the site database, and how to restore one. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ResultOf } from '../../../shared/api/contract';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { formatCount } from '../../../shared/format/fr';
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

  const restore = async (name: string, createdAt: string) => {
    const when = formatDateTimeFr(new Date(createdAt));
    if (
      !window.confirm(
        `Restaurer la sauvegarde du ${when} ?\n\nTout ce qui a été saisi depuis sera retiré de la base (l’actuelle est conservée à côté, pour le support), et tout le monde devra se reconnecter.`,
      )
    )
      return;
    setBusy(true);
    try {
      await api.call('backups.restore', { name });
      notifications.show({ color: 'teal', message: `Sauvegarde du ${when} restaurée. Reconnectez-vous.`, autoClose: 4000 });
      window.setTimeout(() => window.location.reload(), 1500);
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
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
        <Alert color="yellow" title="Les sauvegardes automatiques ne sont pas activées">
          Demandez au service informatique de les activer sur le serveur du site, avec un dossier de sauvegarde (de préférence sur un partage réseau, hors de ce
          poste). Une copie chiffrée et vérifiée est alors faite chaque jour, et les 14 plus récentes sont gardées.
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
                <Table.Th scope="col">
                  <span className="sr-only">Actions</span>
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
                  <Table.Td ta="right">{formatCount(Math.max(1, Math.round(b.size / 1024)))}&nbsp;Kio</Table.Td>
                  <Table.Td ta="right">
                    <Button size="xs" variant="default" disabled={busy} onClick={() => void restore(b.name, b.createdAt)} aria-label={`Restaurer la sauvegarde du ${formatDateTimeFr(new Date(b.createdAt))}`}>
                      Restaurer
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {data.backups.length === 0 && <Text c="dimmed">Aucune sauvegarde pour l’instant.</Text>}
        </>
      )}
      <Title order={2} size="h4">
        Revenir à une sauvegarde
      </Title>
      <Text size="sm" data-testid="restore-help">
        {data?.configured && data.backups.length > 0
          ? 'Cliquez « Restaurer » sur la ligne de la sauvegarde voulue, dans le tableau des sauvegardes. '
          : 'Quand une sauvegarde existe, un bouton « Restaurer » apparaît sur sa ligne, dans le tableau des sauvegardes. '}
        La sauvegarde est d’abord vérifiée ; si elle est bonne, elle remplace la base sans arrêter le serveur, la base remplacée est gardée à côté, et tout le
        monde doit se reconnecter. Tout ce qui a été saisi depuis la sauvegarde est retiré : prévenez les postes avant. Si le serveur du site ne démarre plus,
        c’est le service informatique qui restaure une sauvegarde.
      </Text>
    </Stack>
  );
}
