/**
 * Administration: the versions that run, and the support bundle to send to IT or to the
 * project's support (src/main/support/bundle.ts) — no personal data, no key, no password.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, List, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { About } from '../../../shared/api/methods/system';
import { CONTRACT_VERSION } from '../../../shared/api/version';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { api, errorMessage } from '../api/client';
import { versionText } from '../components/AboutDialog';
import { downloadText } from '../download';

export function SupportPage() {
  const [about, setAbout] = useState<About | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.call('system.about', {}).then(setAbout, (e: unknown) => setError(errorMessage(e)));
  }, []);

  const download = async () => {
    setBusy(true);
    try {
      const bundle = await api.call('support.bundle', {});
      downloadText(bundle.fileName, 'application/json', bundle.json);
      notifications.show({ color: 'teal', message: `Paquet d’assistance ${bundle.fileName} téléchargé.` });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        Assistance
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {about && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Versions
          </Title>
          <Table aria-label="Versions en service">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th scope="row">Application ({about.runMode === 'hub' ? 'hub du site' : 'poste autonome'})</Table.Th>
                <Table.Td data-testid="support-version">{versionText(about)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Construite le</Table.Th>
                <Table.Td>{about.builtAt ? formatDateTimeFr(new Date(about.builtAt)) : 'depuis les sources (développement)'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Contrat de l’API</Table.Th>
                <Table.Td>
                  hub : version {about.contract} ; cette page : version {CONTRACT_VERSION}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th scope="row">Base de données</Table.Th>
                <Table.Td>schéma {about.schemaVersion}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Paquet d’assistance
        </Title>
        <Text size="sm">Un fichier à joindre à une demande au service informatique ou au support du logiciel. Il contient :</Text>
        <List size="sm" my="xs">
          <List.Item>les versions (application, contrat, base, Node.js, système) ;</List.Item>
          <List.Item>les réglages du site (file d’attente, délais, conservation) et les nombres d’enregistrements ;</List.Item>
          <List.Item>l’état de la synchronisation (adresse du serveur central sans mot de passe, dernier succès, erreur) et des sauvegardes ;</List.Item>
          <List.Item>les derniers avertissements et erreurs du journal technique.</List.Item>
        </List>
        <Text size="sm" mb="sm">
          Il ne contient <strong>aucune donnée personnelle</strong> (ni nom, ni identifiant, ni note, ni nom de poste), aucune clé, aucun mot de passe.
        </Text>
        <Button onClick={() => void download()} loading={busy} w="fit-content">
          Télécharger le paquet d’assistance
        </Button>
      </Card>
    </Stack>
  );
}
