/** Coordinators and administrators configure the site's queue: services, desks, thresholds, ordering. */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { orderingRuleFr, type QueueConfig, type QueueService } from '../../../../shared/queue/config';
import { INSTITUTION_CODES, INSTITUTIONS, type InstitutionCode } from '../../../../shared/reference/institutions';
import type { HandoffConfig } from '../../../../shared/handoffs/config';
import { HANDOFF_MODES, HANDOFF_MODE_LABELS_FR } from '../../../../shared/handoffs/states';
import { formatDelay } from '../../../../shared/format/fr';
import { api, errorMessage } from '../../api/client';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';

const LABEL_MAX = 40;
const DESTINATION_MAX = 30;

/** Labels of the queue settings' fields, for their errors (service rows by position). */
function settingsFields(config: QueueConfig | null): Record<string, string> {
  const rows = Object.fromEntries((config?.services ?? []).map((s, i) => [`services.${i}.label`, `Service « ${s.label || s.prefix} »`]));
  return {
    ...rows,
    services: 'Services et permanences',
    newLabel: 'Nouvelle permanence',
    newPrefix: 'Lettre du ticket',
    destinations: 'Destinations d’appel',
    'thresholds.warnMinutes': 'Orange à partir de',
    'thresholds.alertMinutes': 'Rouge à partir de',
    noShowAfterCalls: '« Absent·e » après',
    'policy.priorityBonusMinutes': 'Une priorité compte comme',
    'policy.appointmentGraceMinutes': 'Rendez-vous prioritaire à partir de',
  };
}

/** An API path of queue.updateConfig → a field here ("config.services.6.prefix" → the row's label input). */
function settingsField(path: string): string {
  const p = path.replace(/^config\.?/, '');
  const row = /^services\.(\d+)\./.exec(p);
  if (row) return `services.${row[1]}.label`;
  if (p.startsWith('destinations')) return 'destinations';
  return p;
}

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
  const [newLabel, setNewLabel] = useState('');
  const [newPrefix, setNewPrefix] = useState('');
  const labels = useMemo(() => settingsFields(config), [config]);
  const f = useFieldErrors('queue-settings', labels, { pathToField: settingsField });

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

  // A new service is checked at once: its letter and its name must be free (the API refuses the
  // same, with the same words, if two desks add one at the same time).
  const addService = () => {
    const label = newLabel.trim();
    const prefix = newPrefix.trim().toUpperCase();
    const sameLetter = config.services.find((s) => s.prefix === prefix);
    const sameName = config.services.find((s) => s.code === codeFromLabel(label));
    const ok = f.check({
      newLabel: label.length < 2 ? 'Donnez un nom de 2 caractères au moins.' : sameName ? `Un service s’appelle déjà « ${sameName.label} ».` : tooLong(label, LABEL_MAX),
      newPrefix: !/^[A-Z]$/.test(prefix)
        ? 'Choisissez une lettre de A à Z.'
        : sameLetter
          ? `La lettre ${prefix} est déjà celle du service « ${sameLetter.label} » : choisissez une autre lettre.`
          : null,
    });
    if (!ok) return;
    setConfig({ ...config, services: [...config.services, { code: codeFromLabel(label), label, prefix, institution: null, active: true }] });
    setNewLabel('');
    setNewPrefix('');
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const checks: Record<string, string | null | false> = {
      'thresholds.alertMinutes': config.thresholds.warnMinutes >= config.thresholds.alertMinutes && 'Le seuil rouge doit être plus grand que le seuil orange.',
      destinations:
        config.destinations.length === 0
          ? 'Ajoutez au moins un guichet ou bureau.'
          : (config.destinations.map((d) => (tooLong(d, DESTINATION_MAX) ? `« ${d} » : ${tooLong(d, DESTINATION_MAX)}` : null)).find(Boolean) ?? null),
    };
    config.services.forEach((s, i) => {
      checks[`services.${i}.label`] = s.label.trim().length < 2 ? 'Donnez un nom de 2 caractères au moins.' : tooLong(s.label, LABEL_MAX);
    });
    if (!f.check(checks)) return;
    try {
      const c = await api.call('queue.updateConfig', { config });
      setConfig(c);
      setSaved(c);
      notifications.show({ color: 'teal', message: 'Réglages de la file enregistrés.' });
    } catch (err) {
      f.fail(err);
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
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <ErrorSummary form={f} />
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
              {config.services.map((s, i) => (
                <Table.Tr key={s.code}>
                  <Table.Td ff="monospace" fw={700}>
                    {s.prefix}
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`Libellé du service ${s.prefix}`}
                      value={s.label}
                      onChange={(e) => setService(s.code, { label: e.currentTarget.value })}
                      size="xs"
                      {...f.props(`services.${i}.label`, { value: s.label, max: LABEL_MAX })}
                    />
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
          <Group mt="sm" align="flex-start">
            <TextInput
              label="Nouvelle permanence"
              placeholder="ex. Permanence CPAM"
              value={newLabel}
              onChange={(e) => setNewLabel(e.currentTarget.value)}
              {...f.props('newLabel', { value: newLabel, max: LABEL_MAX })}
            />
            <TextInput
              label="Lettre du ticket"
              w={220}
              value={newPrefix}
              onChange={(e) => setNewPrefix(e.currentTarget.value.toUpperCase().slice(-1))}
              {...f.props('newPrefix', { description: 'Une lettre libre, de A à Z' })}
            />
            <Button variant="light" onClick={addService} mt={25}>
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
            value={config.destinations}
            onChange={(v) => setConfig({ ...config, destinations: v })}
            {...f.props('destinations', { description: `Entrée pour ajouter (${DESTINATION_MAX} caractères au plus chacune) ; affichées sur l’écran de la salle d’attente` })}
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
              {...f.props('thresholds.warnMinutes')}
              onChange={(v) => setConfig({ ...config, thresholds: { ...config.thresholds, warnMinutes: Number(v) || 1 } })}
            />
            <NumberInput
              label="Rouge à partir de (min)"
              min={1}
              max={600}
              value={config.thresholds.alertMinutes}
              {...f.props('thresholds.alertMinutes')}
              onChange={(v) => setConfig({ ...config, thresholds: { ...config.thresholds, alertMinutes: Number(v) || 1 } })}
            />
            <NumberInput
              label="« Absent·e » après (appels)"
              min={1}
              max={10}
              value={config.noShowAfterCalls}
              {...f.props('noShowAfterCalls')}
              onChange={(v) => setConfig({ ...config, noShowAfterCalls: Number(v) || 1 })}
            />
          </Group>
          <Group grow align="flex-start" mt="sm">
            <NumberInput
              label="Une priorité compte comme (min d’attente en plus)"
              min={0}
              max={120}
              value={config.policy.priorityBonusMinutes}
              {...f.props('policy.priorityBonusMinutes', { description: '0 : ordre d’arrivée strict' })}
              onChange={(v) => setConfig({ ...config, policy: { ...config.policy, priorityBonusMinutes: Number(v) || 0 } })}
            />
            <NumberInput
              label="Rendez-vous prioritaire à partir de (min avant l’heure)"
              min={0}
              max={60}
              value={config.policy.appointmentGraceMinutes}
              {...f.props('policy.appointmentGraceMinutes')}
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

const UNITS = [
  { value: 'min', label: 'minutes', minutes: 1 },
  { value: 'h', label: 'heures', minutes: 60 },
  { value: 'j', label: 'jours', minutes: 24 * 60 },
] as const;
type Unit = (typeof UNITS)[number]['value'];

/** The largest unit that writes a delay exactly: 2 880 min → 2 jours, 240 → 4 heures. */
function bestUnit(minutes: number): Unit {
  if (minutes > 0 && minutes % (24 * 60) === 0) return 'j';
  if (minutes > 0 && minutes % 60 === 0) return 'h';
  return 'min';
}

/**
 * A delay typed as a number and a unit (minutes, heures, jours) instead of minutes only (2 880):
 * stored in minutes. Changing the unit keeps the number ("2" jours → "2" heures).
 */
function DelayInput({ label, minutes, onChange, id, error }: { label: string; minutes: number; onChange: (minutes: number) => void; id: string; error: string | undefined }) {
  const [unit, setUnit] = useState<Unit>(() => bestUnit(minutes));
  const factor = UNITS.find((u) => u.value === unit)!.minutes;
  const amount = Math.round((minutes / factor) * 100) / 100;
  return (
    <Stack gap={2}>
      <Group gap={4} wrap="nowrap">
        <NumberInput
          id={id}
          aria-label={`${label} (nombre)`}
          min={1}
          size="xs"
          w={80}
          allowDecimal={false}
          clampBehavior="none"
          value={amount}
          error={Boolean(error)}
          {...(error ? { 'aria-describedby': `${id}-error` } : {})}
          onChange={(v) => onChange(Math.max(0, Math.round(Number(v) || 0)) * factor)}
        />
        <Select
          aria-label={`${label} (unité)`}
          size="xs"
          w={100}
          allowDeselect={false}
          data={UNITS.map((u) => ({ value: u.value, label: u.label }))}
          value={unit}
          onChange={(v) => {
            if (!v) return;
            const next = UNITS.find((u) => u.value === v)!;
            setUnit(next.value);
            onChange(Math.max(1, Math.round(amount)) * next.minutes);
          }}
        />
      </Group>
      {error && (
        <Text size="xs" c="red.9" id={`${id}-error`}>
          {error}
        </Text>
      )}
    </Stack>
  );
}

/** Answer delays of hand-overs per mode (late, then expired) and retention of personal details. */
function HandoffSettings() {
  const [config, setConfig] = useState<HandoffConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const labels = useMemo<Record<string, string>>(
    () => ({
      ...Object.fromEntries(
        HANDOFF_MODES.flatMap((m) => [
          [`delays.${m}.lateAfterMinutes`, `En retard après (${HANDOFF_MODE_LABELS_FR[m]})`],
          [`delays.${m}.expireAfterMinutes`, `Expiré après (${HANDOFF_MODE_LABELS_FR[m]})`],
        ]),
      ),
      retentionDays: 'Effacer les informations personnelles après',
    }),
    [],
  );
  const f = useFieldErrors('handoff-settings', labels, { pathToField: (p) => p.replace(/^config\.?/, '') });
  useEffect(() => {
    api.call('handoffs.getConfig', {}).then(setConfig, (e: unknown) => setError(errorMessage(e)));
  }, []);
  if (!config) return error ? <Alert color="red">{error}</Alert> : null;
  const save = async () => {
    const checks: Record<string, string | null | false> = {
      retentionDays: (config.retentionDays < 1 || config.retentionDays > 365) && 'Entre 1 et 365 jours.',
    };
    for (const m of HANDOFF_MODES) {
      const d = config.delays[m];
      checks[`delays.${m}.lateAfterMinutes`] = (d.lateAfterMinutes < 1 || d.lateAfterMinutes > 14 * 24 * 60) && 'Entre 1 minute et 14 jours.';
      checks[`delays.${m}.expireAfterMinutes`] =
        d.expireAfterMinutes < 1 || d.expireAfterMinutes > 30 * 24 * 60
          ? 'Entre 1 minute et 30 jours.'
          : d.lateAfterMinutes >= d.expireAfterMinutes && `Doit être plus long que le délai de retard (${formatDelay(d.lateAfterMinutes)}).`;
    }
    if (!f.check(checks)) return;
    try {
      setConfig(await api.call('handoffs.updateConfig', { config }));
      setError(null);
      notifications.show({ color: 'teal', message: 'Délais des passages de relais enregistrés.' });
    } catch (e) {
      f.fail(e);
    }
  };
  const setDelay = (m: (typeof HANDOFF_MODES)[number], k: 'lateAfterMinutes' | 'expireAfterMinutes', minutes: number) =>
    setConfig({ ...config, delays: { ...config.delays, [m]: { ...config.delays[m], [k]: minutes } } });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Passages de relais : délais de réponse et conservation
      </Title>
      <ErrorSummary form={f} />
      <Text size="sm" mb="xs">
        Sans réponse au-delà du premier délai, le passage de relais apparaît « en retard » ; au-delà du second, il expire et l’émetteur·rice est prévenu·e.
      </Text>
      <Table aria-label="Délais de réponse par mode">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Mode choisi par la personne</Table.Th>
            <Table.Th scope="col">En retard après</Table.Th>
            <Table.Th scope="col">Expiré après</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {HANDOFF_MODES.map((m) => (
            <Table.Tr key={m}>
              <Table.Td>{HANDOFF_MODE_LABELS_FR[m]}</Table.Td>
              {(['lateAfterMinutes', 'expireAfterMinutes'] as const).map((k) => (
                <Table.Td key={k}>
                  <DelayInput
                    label={`${k === 'lateAfterMinutes' ? 'Retard' : 'Expiration'} : ${HANDOFF_MODE_LABELS_FR[m]}`}
                    minutes={config.delays[m][k]}
                    onChange={(v) => setDelay(m, k, v)}
                    id={f.id(`delays.${m}.${k}`)}
                    error={f.error(`delays.${m}.${k}`)}
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
          clampBehavior="none"
          allowDecimal={false}
          w={320}
          value={config.retentionDays}
          onChange={(v) => setConfig({ ...config, retentionDays: Number(v) || 0 })}
          {...f.props('retentionDays')}
        />
        <Button variant="light" onClick={() => void save()}>
          Enregistrer les délais
        </Button>
      </Group>
    </Paper>
  );
}
