/** Personal data: retention periods, and answering a person's right of access or erasure. */
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, List, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ERASE_REASON_LABELS_FR, ERASE_REASONS, type EraseReason, type Finding, type Retention } from '../../../shared/api/methods/privacy';
import { plural } from '../../../shared/format/fr';
import { api, errorMessage } from '../api/client';
import { DayInput } from '../components/dates';
import { ErrorSummary, tooLong, useFieldErrors } from '../forms/errors';


export function PrivacyPage() {
  const [retention, setRetention] = useState<Retention | null>(null);
  const [fixed, setFixed] = useState<{ kind: string; rule: string }[]>([]);
  const [q, setQ] = useState({ lastName: '', firstName: '', birthDate: '' });
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState<EraseReason | null>(null);
  const [error, setError] = useState<string | null>(null);
  const retentionForm = useFieldErrors('retention', { contactNotesDays: 'Notes, motifs et remarques', personKeysDays: 'Clés pseudonymes des personnes' }, { pathToField: (p) => p.replace(/^retention\.?/, '') });
  const searchForm = useFieldErrors('privacy-search', { lastName: 'Nom', firstName: 'Prénom', birthDate: 'Date de naissance' });
  const eraseForm = useFieldErrors('privacy-erase', { items: 'Données à effacer', reason: 'Motif de l’effacement' });

  useEffect(() => {
    api.call('privacy.getRetention', {}).then(
      (r) => {
        setRetention(r.retention);
        setFixed(r.fixed);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    const ok = searchForm.check({
      lastName: q.lastName.trim().length < 2 && q.firstName.trim().length < 2 ? 'Saisissez au moins un nom ou un prénom (2 caractères).' : tooLong(q.lastName, 80),
      firstName: tooLong(q.firstName, 80),
    });
    if (!ok) return;
    try {
      const r = await api.call('privacy.search', {
        ...(q.lastName ? { lastName: q.lastName } : {}),
        ...(q.firstName ? { firstName: q.firstName } : {}),
        ...(q.birthDate ? { birthDate: q.birthDate } : {}),
      });
      setFindings(r.findings);
      setSelected(new Set());
      setError(null);
    } catch (err) {
      searchForm.fail(err);
    }
  };

  const erase = async () => {
    const ok = eraseForm.check({
      items: selected.size === 0 && 'Cochez au moins une donnée à effacer.',
      reason: !reason && 'Choisissez le motif de l’effacement.',
    });
    if (!ok) return;
    const items = (findings ?? []).filter((f) => selected.has(`${f.kind}:${f.id}`)).map((f) => ({ kind: f.kind, id: f.id }));
    if (!reason) return;
    try {
      const r = await api.call('privacy.erase', { items, reason });
      notifications.show({ color: 'teal', message: `${plural(r.erased, 'donnée effacée', 'données effacées')}. Les passages restent comptés.` });
      setFindings((fs) => (fs ?? []).filter((f) => !selected.has(`${f.kind}:${f.id}`)));
      setSelected(new Set());
      setReason(null);
    } catch (err) {
      eraseForm.fail(err);
    }
  };

  const saveRetention = async () => {
    if (!retention) return;
    const ok = retentionForm.check({
      contactNotesDays: (retention.contactNotesDays < 1 || retention.contactNotesDays > 3650) && 'Entre 1 et 3 650 jours.',
      personKeysDays: (retention.personKeysDays < 30 || retention.personKeysDays > 3650) && 'Entre 30 et 3 650 jours.',
    });
    if (!ok) return;
    try {
      await api.call('privacy.updateRetention', { retention });
      notifications.show({ color: 'teal', message: 'Durées de conservation enregistrées.' });
    } catch (e) {
      retentionForm.fail(e);
    }
  };

  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        Données personnelles
      </Title>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          Durées de conservation
        </Title>
        <List size="sm" mb="sm">
          {fixed.map((f) => (
            <List.Item key={f.kind}>
              <strong>{f.kind}</strong> : {f.rule}.
            </List.Item>
          ))}
        </List>
        {retention && (
          <Stack gap="xs">
            <ErrorSummary form={retentionForm} />
            <Group align="flex-start">
              <NumberInput
                label="Notes, motifs et remarques (jours)"
                min={1}
                max={3650}
                clampBehavior="none"
                allowDecimal={false}
                value={retention.contactNotesDays}
                onChange={(v) => setRetention({ ...retention, contactNotesDays: Number(v) || 0 })}
                {...retentionForm.props('contactNotesDays')}
              />
              <NumberInput
                label="Clés pseudonymes des personnes (jours)"
                min={30}
                max={3650}
                clampBehavior="none"
                allowDecimal={false}
                value={retention.personKeysDays}
                onChange={(v) => setRetention({ ...retention, personKeysDays: Number(v) || 0 })}
                {...retentionForm.props('personKeysDays')}
              />
              <Button variant="light" mt={25} onClick={() => void saveRetention()}>
                Enregistrer
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          Droit d’accès et d’effacement
        </Title>
        <Text size="sm" mb="sm">
          Retrouvez ce que le site détient sur une personne (dans les durées de conservation), à lui communiquer ou à effacer. La recherche et l’effacement sont
          inscrits au journal ; les passages restent comptés dans les statistiques.
        </Text>
        <form onSubmit={search} noValidate>
          <Stack gap="xs">
            <ErrorSummary form={searchForm} />
            <Group align="flex-start">
              <TextInput label="Nom" value={q.lastName} onChange={(e) => setQ({ ...q, lastName: e.currentTarget.value })} {...searchForm.props('lastName')} />
              <TextInput label="Prénom" value={q.firstName} onChange={(e) => setQ({ ...q, firstName: e.currentTarget.value })} {...searchForm.props('firstName')} />
              <DayInput
                label="Date de naissance"
                value={q.birthDate || null}
                onChange={(d) => setQ({ ...q, birthDate: d ?? '' })}
                maxDate={new Date()}
                defaultLevel="decade"
                clearable
                w={170}
                {...searchForm.props('birthDate')}
              />
              <Button type="submit" mt={25}>
                Rechercher
              </Button>
            </Group>
          </Stack>
        </form>
        {findings && findings.length === 0 && (
          <Text c="dimmed" mt="sm">
            Le site ne détient rien sur cette personne dans les durées de conservation.
          </Text>
        )}
        {findings && findings.length > 0 && (
          <Stack mt="sm">
            <Table aria-label="Données retrouvées" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <span className="sr-only">Sélection</span>
                  </Table.Th>
                  <Table.Th scope="col">Où</Table.Th>
                  <Table.Th scope="col">Donnée</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {findings.map((f) => {
                  const key = `${f.kind}:${f.id}`;
                  return (
                    <Table.Tr key={key}>
                      <Table.Td>
                        <Checkbox
                          aria-label={`Sélectionner : ${f.label}`}
                          checked={selected.has(key)}
                          onChange={(e) => {
                            const checked = e.currentTarget.checked;
                            setSelected((s) => {
                              const n = new Set(s);
                              if (checked) n.add(key);
                              else n.delete(key);
                              return n;
                            });
                          }}
                        />
                      </Table.Td>
                      <Table.Td>{f.label}</Table.Td>
                      <Table.Td>{f.value}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <ErrorSummary form={eraseForm} />
            <Group align="flex-start">
              <Select
                label="Motif de l’effacement"
                description="Inscrit au journal : une liste fermée, pour qu’aucun nom n’y entre."
                data={ERASE_REASONS.map((r) => ({ value: r, label: ERASE_REASON_LABELS_FR[r] }))}
                value={reason}
                onChange={(v) => setReason(v as EraseReason | null)}
                placeholder="Choisissez"
                w={560}
                {...eraseForm.props('reason')}
              />
              <Button color="red" mt={25} onClick={() => void erase()}>
                Effacer la sélection
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
