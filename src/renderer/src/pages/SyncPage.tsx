/** Coordination and administration: the nightly sync to the central database, and "Synchroniser maintenant". */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Code, Group, List, Paper, PasswordInput, Progress, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { EventPayload, ResultOf } from '../../../shared/api/contract';
import { formatDateTimeFr, localTime } from '../../../shared/time/paris';
import { api, errorMessage, fieldErrorsOf } from '../api/client';
import { useSession } from '../session/SessionContext';

type Status = ResultOf<'sync.status'>;
type Progress = EventPayload<'sync.progress'>;

const PHASE_LABELS: Record<Progress['phase'], string> = {
  connect: 'Connexion au serveur central…',
  push: 'Envoi des données dé-identifiées',
  pull: 'Réception des référentiels (domaines, partenaires)…',
  done: 'Terminé',
  error: 'Échec',
};

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function Figure({ label, value, hint, small }: { label: string; value: string; hint?: string | undefined; small?: boolean }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size={small ? 'sm' : 'lg'} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** Administration: the central server's address (it holds a password: typed hidden, never shown again). */
function CentralSettings({ configured, onSaved }: { configured: boolean; onSaved: () => Promise<void> }) {
  const [url, setUrl] = useState('');
  const [ca, setCa] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (remove: boolean) => {
    setBusy(true);
    setErrors({});
    setCheck(null);
    try {
      const r = await api.call('sync.configure', remove ? { url: null } : { url, ca: ca.trim() ? ca : null });
      setCheck(r.check);
      setUrl('');
      notifications.show({ color: 'teal', message: remove ? 'Serveur central retiré : le site ne se synchronise plus.' : 'Adresse du serveur central enregistrée.' });
      await onSaved();
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={(e: React.FormEvent) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <Title order={2} size="h4" mb="xs">
        Serveur central (administration)
      </Title>
      <Stack gap="sm">
        <PasswordInput
          label="Adresse donnée par l’inscription du site"
          description="postgres://esc_site_…:mot-de-passe@serveur:5432/base?sslmode=verify-full – gardée chiffrée dans la base du site, jamais affichée ensuite."
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={errors.url}
          required
          autoComplete="off"
        />
        <Textarea
          label="Certificat de l’autorité du serveur (facultatif, format PEM)"
          description="Si le certificat du serveur central n’est pas signé par une autorité reconnue par ce poste."
          value={ca}
          onChange={(e) => setCa(e.currentTarget.value)}
          error={errors.ca}
          autosize
          minRows={2}
          maxRows={6}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        />
        {check && <Alert color={check.ok ? 'teal' : 'orange'}>{check.message}</Alert>}
        <Group>
          <Button type="submit" loading={busy} disabled={!url.trim()}>
            Enregistrer et tester
          </Button>
          {configured && (
            <Button variant="default" color="red" onClick={() => void save(true)} disabled={busy}>
              Retirer le serveur central
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

export function SyncPage() {
  const { may } = useSession();
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setStatus(await api.call('sync.status', {}));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void load();
    const off = api.on('sync.progress', (p) => {
      setProgress(p);
      if (p.phase === 'done' || p.phase === 'error') void load();
    });
    return off;
  }, [load]);

  const run = async () => {
    setBusy(true);
    setProgress({ phase: 'connect', pushed: 0, total: 0, batches: 0 });
    try {
      const r = await api.call('sync.run', {});
      if (r.ok) {
        notifications.show({
          color: 'teal',
          message: `Synchronisation réussie : ${plural(r.pushed, 'ligne envoyée', 'lignes envoyées')}, ${plural(r.pulled, 'référence reçue', 'références reçues')}.`,
        });
      } else {
        notifications.show({ color: 'red', message: `Synchronisation impossible : ${r.errors[0] ?? 'erreur inconnue'} Les données restent sur le site et partiront plus tard.` });
      }
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(e) });
    } finally {
      setBusy(false);
      setProgress(null);
      await load();
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.pushed / progress.total) * 100) : progress?.phase === 'pull' ? 100 : 0;

  return (
    <Stack maw={900}>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Synchronisation
        </Title>
        <Button onClick={() => void run()} loading={busy} disabled={!status?.configured || status.running}>
          Synchroniser maintenant
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {status && !status.configured && (
        <Alert color="yellow" title="Aucun serveur central configuré">
          Le site fonctionne normalement sans serveur central ; ses données restent ici. Pour envoyer les chiffres du site à la base centrale, le service informatique
          inscrit le site (<Code>npm run central -- enroll-site</Code>) puis l’administration du site saisit l’adresse obtenue ci-dessous (ou sur le hub :{' '}
          <Code>npm run sync -- configure</Code>), comme l’explique le README.
        </Alert>
      )}
      {status?.configured && (
        <>
          {progress && (
            <Paper withBorder p="md" radius="md" aria-live="polite">
              <Text size="sm" mb="xs">
                {PHASE_LABELS[progress.phase]}
                {progress.phase === 'push' && progress.total > 0 ? ` : ${progress.pushed.toLocaleString('fr-FR')} / ${progress.total.toLocaleString('fr-FR')} lignes` : ''}
              </Text>
              <Progress value={percent} aria-label="Avancement de la synchronisation" animated />
            </Paper>
          )}
          {status.lastError && (
            <Alert color="red" title="La dernière tentative a échoué">
              {status.lastError}
              {status.nextAttemptAt ? ` Nouvel essai automatique vers ${localTime(new Date(status.nextAttemptAt))}.` : ''} Rien n’est perdu : les
              modifications attendent sur le site.
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Figure
              label="Dernière synchronisation réussie"
              value={status.lastSuccessAt ? formatDateTimeFr(new Date(status.lastSuccessAt)) : 'Jamais'}
              hint={
                status.last?.ok
                  ? status.last.pushed === 0
                    ? 'Rien de nouveau à envoyer.'
                    : `${plural(status.last.pushed, 'ligne envoyée', 'lignes envoyées')} en ${(status.last.durationMs / 1000).toFixed(1)} s`
                  : undefined
              }
            />
            <Figure
              label="En attente d’envoi"
              value={status.pending === 0 ? 'Aucune modification' : plural(status.pending, 'modification', 'modifications')}
              hint={status.pending === 0 ? 'Tout est envoyé.' : undefined}
            />
            <Figure label="Serveur central" value={status.central ?? '—'} small />
          </SimpleGrid>
          <Text size="sm">
            Synchronisation automatique chaque soir à partir de {status.syncTime}, au démarrage du hub si elle a été manquée, et peu après la clôture d’une journée.
          </Text>
        </>
      )}
      {status && may('accounts.manage') && <CentralSettings configured={status.configured} onSaved={load} />}
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="xs">
          Ce qui quitte le site
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>
            les passages dans la file : jour, heure d’arrivée à la minute, attente et durée d’entretien en secondes, service, motif et état, nombre de critères de
            priorité et de besoins (sans leur nature), sans prénom ni numéro de ticket ;
          </List.Item>
          <List.Item>les contacts ASIP : jour, canal, domaines, actions, orientation, durée, sans heure, note ni clé de personne ;</List.Item>
          <List.Item>les passages de relais : origine, destinataire, mode, horaires et issue, sans nom, téléphone, résumé, rendez-vous ni détail du consentement ;</List.Item>
          <List.Item>les clôtures de journée avec leurs chiffres figés, sans remarque ;</List.Item>
          <List.Item>les réglages du site (services et guichets configurés, délais, durées de conservation) ;</List.Item>
          <List.Item>les équipes de l’annuaire (institution, domaines), sans nom ni coordonnées ;</List.Item>
          <List.Item>les partenaires ajoutés par le site : leur nom, leurs domaines, sans adresse ni téléphone.</List.Item>
        </List>
        <Text size="xs" c="dimmed" mt="xs">
          Liste fixée dans le code (décisions 005 et 022) et vérifiée par les tests à chaque version. Au central, seuls des chiffres mensuels sont lisibles par l’APRAS.
        </Text>
      </Paper>
    </Stack>
  );
}
