/** À propos: which version of the application serves this desk, and which one the page runs. */
import { useEffect, useState } from 'react';
import { Alert, Modal, Table, Text } from '@mantine/core';
import type { About } from '../../../shared/api/methods/system';
import { CONTRACT_VERSION } from '../../../shared/api/version';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { api, errorMessage } from '../api/client';

export function versionText(about: Pick<About, 'version' | 'commit'>): string {
  return about.commit ? `${about.version} (${about.commit})` : about.version;
}

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [about, setAbout] = useState<About | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('system.about', {}).then(setAbout, (e: unknown) => setError(errorMessage(e)));
  }, []);
  const rows: [string, string][] = about
    ? [
        ['Version de l’application', versionText(about)],
        ['Construite le', about.builtAt ? formatDateTimeFr(new Date(about.builtAt)) : 'depuis les sources (développement)'],
        ['Fonctionnement', about.runMode === 'hub' ? 'hub du site (postes et bureaux reliés)' : 'poste autonome (base chiffrée sur ce poste)'],
        [
          'Contrat de l’API',
          `version ${about.contract} (postes servis : ${about.oldestContract === about.contract ? `version ${about.contract}` : `versions ${about.oldestContract} à ${about.contract}`}) ; cette page : version ${CONTRACT_VERSION}`,
        ],
        ['Base de données', `schéma ${about.schemaVersion}`],
        ['Site', about.siteCode],
      ]
    : [];
  return (
    <Modal opened onClose={onClose} title="À propos d’Accueil ESC">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {!about && !error && <Text c="dimmed">Chargement…</Text>}
      {about && (
        <Table aria-label="Versions">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" w="40%">
                  {label}
                </Table.Th>
                <Table.Td data-testid={label === 'Version de l’application' ? 'about-version' : undefined}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="dimmed" mt="sm">
        Accueil ESC – accueil commun des Espaces sociaux communs de Rennes.
      </Text>
    </Modal>
  );
}
