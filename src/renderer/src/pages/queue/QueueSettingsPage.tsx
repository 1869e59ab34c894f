/** Coordinators and administrators configure the site's queue: services, desks, thresholds, ordering. */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { orderingRuleFr, type QueueConfig, type QueueService } from '../../../../shared/queue/config';
import { INSTITUTION_CODES, INSTITUTIONS, type InstitutionCode } from '../../../../shared/reference/institutions';
import type { HandoffConfig } from '../../../../shared/handoffs/config';
import { HANDOFF_MODES, HANDOFF_MODE_LABELS_FR } from '../../../../shared/handoffs/states';
import { api, errorMessage, RpcError } from '../../api/client';

const institutionOptions = INSTITUTIONS.map((i) => ({ value: i.code, label: i.shortName }));

function codeFromLabel(label: string): string {
  const base = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 20);
  return /^[A-Z]/.test(base) && base.length >= 2 ? base : `P_${base}`.slice(0, 20);
}

export function QueueSettingsPage() {
  const [config, setConfig] = useState<QueueConfig | null>(null);
  const [saved, setSaved] = useState<QueueConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const [newLabel, setNewLabel] = useState('');
  const [newPrefix, setNewPrefix] = useState('');

  useEffect(() => {
    api.call('queue.getConfig', {}).then(
      (c) => {
        setConfig(c);
        setSaved(c);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  if (!config || !saved) return error ? <Alert color="red">{error}</Alert> : <Text c="dimmed">Chargement…</Text>;

  const setService = (code: string, patch: Partial<QueueService>) =>
    setConfig({ ...config, services: config.services.map((s) => (s.code === code ? { ...s, ...patch } : s)) });

  const addService = () => {
    const label = newLabel.trim();
    const prefix = newPrefix.trim().toUpperCase();
    if (label.length < 2 || !/^[A-Z]$/.test(prefix)) return;
    setConfig({ ...config, services: [...config.services, { code: codeFromLabel(label), label, prefix, institution: null, active: true }] });
    setNewLabel('');
    setNewPrefix('');
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setIssues([]);
    try {
      const c = await api.call('queue.updateConfig', { config });
      setConfig(c);
      setSaved(c);
      notifications.show({ color: 'teal', message: 'Réglages de la file enregistrés.' });
    } catch (err) {
      setError(errorMessage(err));
      if (err instanceof RpcError) setIssues(err.issues.map((i) => i.message));
    }
  };

  return (
    <Stack maw={980}>
    <form onSubmit={save} noValidate>
      <Stack>
        <Title order={1} size="h2">
          Réglages de la file d’attente
        </Title>
        {error && (
          <Alert color="red" role="alert" title={error}>
            {issues.length > 0 && (
              <ul>
                {issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Services et permanences
          </Title>
          <Table aria-label="Services de la file">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Lettre</Table.Th>
                <Table.Th scope="col">Libellé</Table.Th>
                <Table.Th scope="col">Institution qui reçoit</Table.Th>
                <Table.Th scope="col">Ouvert</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {config.services.map((s) => (
                <Table.Tr key={s.code}>
                  <Table.Td ff="monospace" fw={700}>
                    {s.prefix}
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={`Libellé du service ${s.code}`} value={s.label} onChange={(e) => setService(s.code, { label: e.currentTarget.value })} size="xs" />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Institution du service ${s.label}`}
                      data={institutionOptions}
                      value={s.institution}
                      placeholder="Accueil commun / permanence"
                      clearable
                      size="xs"
                      disabled={(INSTITUTION_CODES as readonly string[]).includes(s.code)}
                      onChange={(v) => setService(s.code, { institution: v as InstitutionCode | null })}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox aria-label={`Service ${s.label} ouvert`} checked={s.active} onChange={(e) => setService(s.code, { active: e.currentTarget.checked })} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group mt="sm" align="flex-end">
            <TextInput label="Nouvelle permanence" placeholder="ex. Permanence CPAM" value={newLabel} onChange={(e) => setNewLabel(e.currentTarget.value)} />
            <TextInput label="Lettre du ticket" w={110} maxLength={1} value={newPrefix} onChange={(e) => setNewPrefix(e.currentTarget.value.toUpperCase())} />
            <Button variant="light" onClick={addService} disabled={newLabel.trim().length < 2 || !/^[A-Z]$/.test(newPrefix)}>
              Ajouter
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            Un service qui a déjà émis des tickets ne peut pas être supprimé ni changer de lettre : décochez « Ouvert ».
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Guichets et bureaux
          </Title>
          <TagsInput
            label="Destinations d’appel"
            description="Entrée pour ajouter ; affichées sur l’écran de la salle d’attente"
            value={config.destinations}
            onChange={(v) => setConfig({ ...config, destinations: v })}
          />
        </Paper>
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Attente, appels et ordre de passage
          </Title>
          <Group grow align="flex-start">
            <NumberInput
              label="Orange à partir de (min)"
              min={1}
              max={600}
              value={config.thresholds.warnMinutes}
              onChange={(v) => setConfig({ ...config, thresholds: { ...config.thresholds, warnMinutes: Number(v) || 1 } })}
            />
            <NumberInput
              label="Rouge à partir de (min)"
              min={1}
              max={600}
              value={config.thresholds.alertMinutes}
              onChange={(v) => setConfig({ ...config, thresholds: { ...config.thresholds, alertMinutes: Number(v) || 1 } })}
            />
            <NumberInput
              label="« Absent·e » après (appels)"
              min={1}
              max={10}
              value={config.noShowAfterCalls}
              onChange={(v) => setConfig({ ...config, noShowAfterCalls: Number(v) || 1 })}
            />
          </Group>
          <Group grow align="flex-start" mt="sm">
            <NumberInput
              label="Une priorité compte comme (min d’attente en plus)"
              description="0 : ordre d’arrivée strict"
              min={0}
              max={120}
              value={config.policy.priorityBonusMinutes}
              onChange={(v) => setConfig({ ...config, policy: { ...config.policy, priorityBonusMinutes: Number(v) || 0 } })}
            />
            <NumberInput
              label="Rendez-vous prioritaire à partir de (min avant l’heure)"
              min={0}
              max={60}
              value={config.policy.appointmentGraceMinutes}
              onChange={(v) => setConfig({ ...config, policy: { ...config.policy, appointmentGraceMinutes: Number(v) || 0 } })}
            />
          </Group>
          <Text size="sm" mt="sm">
            <strong>Règle affichée aux agents :</strong> {orderingRuleFr(config)}
          </Text>
        </Paper>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfig(saved)}>
            Annuler les modifications
          </Button>
          <Button type="submit">Enregistrer</Button>
        </Group>
      </Stack>
    </form>
    <HandoffSettings />
    </Stack>
  );
}

/** Answer delays of hand-overs per mode (late, then expired) and retention of personal details. */
function HandoffSettings() {
  const [config, setConfig] = useState<HandoffConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('handoffs.getConfig', {}).then(setConfig, (e: unknown) => setError(errorMessage(e)));
  }, []);
  if (!config) return error ? <Alert color="red">{error}</Alert> : null;
  const save = async () => {
    try {
      setConfig(await api.call('handoffs.updateConfig', { config }));
      setError(null);
      notifications.show({ color: 'teal', message: 'Délais des passages de relais enregistrés.' });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Passages de relais : délais de réponse et conservation
      </Title>
      {error && (
        <Alert color="red" role="alert" mb="sm">
          {error}
        </Alert>
      )}
      <Table aria-label="Délais de réponse par mode">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Mode choisi par la personne</Table.Th>
            <Table.Th scope="col">En retard après (min)</Table.Th>
            <Table.Th scope="col">Expiré après (min)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {HANDOFF_MODES.map((m) => (
            <Table.Tr key={m}>
              <Table.Td>{HANDOFF_MODE_LABELS_FR[m]}</Table.Td>
              {(['lateAfterMinutes', 'expireAfterMinutes'] as const).map((k) => (
                <Table.Td key={k}>
                  <NumberInput
                    aria-label={`${k === 'lateAfterMinutes' ? 'Retard' : 'Expiration'} : ${HANDOFF_MODE_LABELS_FR[m]}`}
                    min={1}
                    size="xs"
                    value={config.delays[m][k]}
                    onChange={(v) => setConfig({ ...config, delays: { ...config.delays, [m]: { ...config.delays[m], [k]: Number(v) || 1 } } })}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end" mt="sm" justify="space-between">
        <NumberInput
          label="Effacer les informations personnelles après (jours)"
          min={1}
          max={365}
          w={320}
          value={config.retentionDays}
          onChange={(v) => setConfig({ ...config, retentionDays: Number(v) || 1 })}
        />
        <Button variant="light" onClick={() => void save()}>
          Enregistrer les délais
        </Button>
      </Group>
    </Paper>
  );
}
