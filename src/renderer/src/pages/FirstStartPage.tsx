/**
 * Desktop only, before this PC has a base or a hub: what is this PC? « Relier ce poste au hub du
 * site » (hub address and the one-time code of « Postes du site »; the hub's certificate is pinned)
 * or « Poste autonome » (its own encrypted base). Shown again when a paired desk's hub changed its
 * certificate, revoked the desk, or does not answer. Answered by src/main/setup/first-start.ts.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Center, Code, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import type { SetupStatus } from '../../../shared/api/methods/setup';
import { api, errorMessage, fieldErrorsOf } from '../api/client';

const TITLES: Record<SetupStatus['state'], string> = {
  new: 'Premier démarrage de ce poste',
  certificate_changed: 'Le certificat du hub a changé',
  unreachable: 'Le hub du site ne répond pas',
  revoked: 'Ce poste a été révoqué sur le hub',
  connected: 'Le hub du site répond de nouveau',
};

type Done = { kind: 'hub'; hubUrl: string; fingerprint: string; deviceName: string } | { kind: 'standalone' };

export function FirstStartPage() {
  const [status, setStatus] = useState<SetupStatus | null>(null);
  const [hubUrl, setHubUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);

  const show = (s: SetupStatus) => {
    setStatus(s);
    setHubUrl((h) => h || s.hubUrl || '');
    setDeviceName((d) => d || s.deviceName);
  };
  useEffect(() => {
    api.call('setup.status', {}).then(show, (e: unknown) => setError(errorMessage(e)));
  }, []);

  const pair = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const r = await api.call('setup.pair', { hubUrl, code, deviceName });
      setDone({ kind: 'hub', ...r });
    } catch (err) {
      setError(errorMessage(err));
      setFields(fieldErrorsOf(err));
    } finally {
      setBusy(false);
    }
  };
  const standalone = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('setup.standalone', {});
      setDone({ kind: 'standalone' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      show(await api.call('setup.retry', {}));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (status?.state === 'connected' && !done) {
    return (
      <Center mih="100vh" component="main" p="md">
        <Paper withBorder p="xl" radius="md" maw={640} w="100%">
          <Stack>
            <Title order={1} size="h2">
              {TITLES.connected}
            </Title>
            <Alert color="teal" role="status">
              Le hub {status.hubUrl} répond, avec le certificat épinglé. L’application s’ouvre…
            </Alert>
          </Stack>
        </Paper>
      </Center>
    );
  }

  if (done) {
    return (
      <Center mih="100vh" component="main" p="md">
        <Paper withBorder p="xl" radius="md" maw={640} w="100%">
          <Stack>
            <Title order={1} size="h2">
              {done.kind === 'hub' ? 'Poste relié au hub du site' : 'Poste autonome'}
            </Title>
            {done.kind === 'hub' ? (
              <Alert color="teal" role="status" title={`« ${done.deviceName} » est relié à ${done.hubUrl}`} style={{ overflowWrap: 'anywhere' }}>
                <Text size="sm">Le certificat du hub est épinglé : ce poste refusera tout autre certificat. Empreinte SHA-256 :</Text>
                <Code block mt={4} data-testid="pinned-fingerprint" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {done.fingerprint}
                </Code>
              </Alert>
            ) : (
              <Alert color="teal" role="status" title="La base chiffrée de ce poste va être créée">
                L’identifiant et le mot de passe provisoire de l’administration s’affichent ensuite, avec la clé de secours à noter.
              </Alert>
            )}
            <Text>L’application s’ouvre…</Text>
          </Stack>
        </Paper>
      </Center>
    );
  }

  return (
    <Center mih="100vh" component="main" p="md">
      <Paper withBorder p="xl" radius="md" maw={status?.allowStandalone === false ? 620 : 1000} w="100%">
        <Stack>
          <div>
            <Title order={1} size="h2">
              {status ? TITLES[status.state] : 'Premier démarrage de ce poste'}
            </Title>
            {status?.state === 'new' && <Text c="dimmed">Accueil ESC — que sera ce poste ?</Text>}
          </div>
          {status?.message && (
            <Alert color={status.state === 'new' ? 'yellow' : 'red'} role="alert" data-testid="setup-situation" style={{ overflowWrap: 'anywhere' }}>
              {status.message}
            </Alert>
          )}
          {status?.state === 'unreachable' && (
            <Button variant="default" onClick={() => void retry()} loading={busy} w="fit-content">
              Réessayer
            </Button>
          )}
          {error && (
            <Alert color="red" role="alert" title="Impossible de relier ce poste" data-testid="setup-error" style={{ overflowWrap: 'anywhere' }}>
              {error}
            </Alert>
          )}
          <SimpleGrid cols={status?.allowStandalone === false ? 1 : 2} spacing="lg">
            <Card withBorder component="form" onSubmit={(e: FormEvent) => void pair(e)} noValidate aria-labelledby="relier">
              <Stack gap="sm">
                <Title order={2} size="h4" id="relier">
                  {status && status.state !== 'new' ? 'Relier de nouveau ce poste au hub du site' : 'Relier ce poste au hub du site'}
                </Title>
                <Text size="sm">
                  Pour un guichet ou un bureau d’un ESC qui a un hub : la file d’attente, les contacts et les passages de relais sont partagés par tous les postes du
                  site. Un administrateur affiche un code d’appairage sur le hub (écran « Postes du site »).
                </Text>
                <TextInput
                  label="Adresse du hub"
                  description={status?.hubFromIT ? 'Indiquée par le service informatique' : 'Par exemple https://hub-blosne:4780/'}
                  value={hubUrl}
                  onChange={(e) => setHubUrl(e.currentTarget.value)}
                  error={fields.hubUrl}
                  required
                  autoComplete="off"
                />
                <TextInput
                  label="Code d’appairage"
                  description="12 caractères, valable 10 minutes, une seule fois"
                  placeholder="XXXX-XXXX-XXXX"
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
                  error={fields.code}
                  required
                  autoComplete="off"
                  autoFocus
                  styles={{ input: { fontFamily: 'monospace', letterSpacing: 1 } }}
                />
                <TextInput label="Nom du poste" description="Tel qu’il apparaîtra dans « Postes du site »" value={deviceName} onChange={(e) => setDeviceName(e.currentTarget.value)} error={fields.deviceName} required />
                <Group>
                  <Button type="submit" loading={busy} disabled={!hubUrl.trim() || !code.trim()}>
                    Relier ce poste
                  </Button>
                </Group>
              </Stack>
            </Card>
            {status?.allowStandalone && (
              <Card withBorder aria-labelledby="autonome">
                <Stack gap="sm">
                  <Title order={2} size="h4" id="autonome">
                    Poste autonome
                  </Title>
                  <Text size="sm">
                    Pour un site sans hub, ou un poste de dépannage : ce poste garde sa propre base, chiffrée, et n’en partage rien avec les autres postes.
                  </Text>
                  <Text size="sm">À l’étape suivante s’affichent le mot de passe provisoire de l’administration et la clé de secours de la base, à noter.</Text>
                  <Group>
                    <Button variant="default" onClick={() => void standalone()} loading={busy}>
                      Utiliser ce poste seul
                    </Button>
                  </Group>
                </Stack>
              </Card>
            )}
          </SimpleGrid>
        </Stack>
      </Paper>
    </Center>
  );
}
