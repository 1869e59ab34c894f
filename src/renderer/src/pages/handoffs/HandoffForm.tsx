/**
 * Creating a warm hand-over: the target, the domains, the urgency, the mode the person chose, and
 * what the person agreed to share (nothing without their agreement).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ChipField } from '../../components/ChipField';
import type { DirectoryEntry } from '../../../../shared/api/methods/directory';
import type { Handoff } from '../../../../shared/api/methods/handoffs';
import { HANDOFF_MODES, HANDOFF_MODE_LABELS_FR, SHARED_FIELDS, SHARED_FIELD_LABELS_FR, type HandoffMode, type SharedField, type Urgency } from '../../../../shared/handoffs/states';
import { INSTITUTIONS, institutionLabel, type InstitutionCode } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { parisInstant } from '../../../../shared/time/paris';
import { api, errorMessage, fieldErrorsOf } from '../../api/client';
import { useDomains } from '../contacts/useDomains';

export interface HandoffPrefill {
  queueEntryId?: string;
  contactId?: string;
  ticket?: string | null;
  firstName?: string | null;
  domains?: string[];
  toInstitution?: InstitutionCode;
  mode?: HandoffMode;
  urgency?: Urgency;
  reorientFrom?: Handoff;
}

const institutionOptions = INSTITUTIONS.map((i) => ({ value: i.code, label: i.shortName }));

export function HandoffForm({ prefill, onClose, onSaved }: { prefill: HandoffPrefill; onClose: () => void; onSaved: (h: Handoff) => void }) {
  const domains = useDomains();
  const [to, setTo] = useState<InstitutionCode | null>(prefill.toInstitution ?? null);
  const [entries, setEntries] = useState<DirectoryEntry[]>([]);
  const [entryId, setEntryId] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string[]>(prefill.domains ?? []);
  const [urgency, setUrgency] = useState<Urgency>(prefill.urgency ?? 'normale');
  const [mode, setMode] = useState<HandoffMode | null>(prefill.mode ?? null);
  const [rdvDate, setRdvDate] = useState('');
  const [rdvTime, setRdvTime] = useState('');
  const [place, setPlace] = useState('');
  const [consent, setConsent] = useState(false);
  const [shared, setShared] = useState<SharedField[]>([]);
  const [values, setValues] = useState<Record<SharedField, string>>({ name: prefill.firstName ?? '', phone: '', summary: '', documents: '' });
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setEntryId(null);
    if (!to) return setEntries([]);
    api.call('directory.list', { institution: to }).then(
      (r) => setEntries(r.entries),
      () => setEntries([]),
    );
  }, [to]);

  const entryOptions = useMemo(
    () =>
      entries.map((e) => ({
        value: e.id,
        label: `${e.kind === 'team' ? 'Équipe · ' : ''}${e.name}${e.role ? ` (${e.role})` : ''}${e.office ? ` · ${e.office}` : ''}${e.extension ? ` · poste ${e.extension}` : ''}`,
      })),
    [entries],
  );

  const withoutConsent = `Une personne attend à l’accueil pour ${to ? institutionLabel(to) : '…'}${chosen.length ? ` (${chosen.map(domainLabel).join(', ').toLowerCase()})` : ''}.`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to || !mode) return;
    setBusy(true);
    setError(null);
    try {
      const fields = consent ? shared : [];
      const h = await api.call('handoffs.create', {
        toInstitution: to,
        toEntryId: entryId,
        domains: chosen,
        urgency,
        mode,
        appointmentAt: mode === 'rdv' && rdvDate && rdvTime ? parisInstant(rdvDate, rdvTime).toISOString() : null,
        appointmentPlace: mode === 'rdv' ? place : null,
        consent,
        sharedFields: fields,
        personName: fields.includes('name') ? values.name : null,
        personPhone: fields.includes('phone') ? values.phone : null,
        summary: fields.includes('summary') ? values.summary : null,
        documents: fields.includes('documents') ? values.documents : null,
        ...(prefill.queueEntryId ? { queueEntryId: prefill.queueEntryId } : {}),
        ...(prefill.contactId ? { contactId: prefill.contactId } : {}),
        ...(prefill.reorientFrom ? { reorientFromId: prefill.reorientFrom.id } : {}),
      });
      onSaved(h);
    } catch (err) {
      setError(errorMessage(err));
      setFieldErrors(fieldErrorsOf(err));
    } finally {
      setBusy(false);
    }
  };

  const title = prefill.reorientFrom
    ? `Réorienter (relais décliné par ${institutionLabel(prefill.reorientFrom.toInstitution)})`
    : `Passage de relais${prefill.ticket ? ` – ticket ${prefill.ticket}` : ''}`;

  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <Select label="Vers" required data={institutionOptions.filter((o) => o.value !== prefill.reorientFrom?.toInstitution)} value={to} onChange={(v) => setTo(v as InstitutionCode | null)} data-autofocus />
            <Select
              label="Équipe ou professionnel·le (facultatif)"
              data={entryOptions}
              value={entryId}
              onChange={setEntryId}
              clearable
              searchable
              disabled={!to}
              placeholder={to && entries.length === 0 ? 'Annuaire vide pour cette institution' : 'Toute l’institution'}
            />
          </Group>
          <ChipField
            id="handoff-domains-label"
            label="Domaines"
            required
            size="xs"
            options={domains.map((d) => ({ value: d.code, label: d.label }))}
            value={chosen}
            onChange={setChosen}
            error={fieldErrors.domains}
          />
          <div>
            <Text size="sm" fw={500} id="handoff-urgency-label">
              Urgence
            </Text>
            <SegmentedControl
              aria-labelledby="handoff-urgency-label"
              value={urgency}
              onChange={(v) => setUrgency(v as Urgency)}
              data={[
                { value: 'normale', label: 'Normale' },
                { value: 'urgente', label: 'Urgente' },
              ]}
              color={urgency === 'urgente' ? 'red' : 'teal'}
            />
          </div>
          <Radio.Group label="Comment la personne souhaite-t-elle être mise en relation ?" value={mode} onChange={(v) => setMode(v as HandoffMode)} required>
            <SimpleGrid cols={2} spacing={6} mt={4}>
              {HANDOFF_MODES.map((m) => (
                <Radio.Card key={m} value={m} p={8} radius="md" aria-label={HANDOFF_MODE_LABELS_FR[m]}>
                  <Group gap={8} wrap="nowrap">
                    <Radio.Indicator size="sm" />
                    <Text size="sm">{HANDOFF_MODE_LABELS_FR[m]}</Text>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          {mode === 'rdv' && (
            <Group grow align="flex-start">
              <TextInput label="Date du rendez-vous" type="date" required value={rdvDate} onChange={(e) => setRdvDate(e.currentTarget.value)} error={fieldErrors.appointmentAt} />
              <TextInput label="Heure" type="time" required value={rdvTime} onChange={(e) => setRdvTime(e.currentTarget.value)} />
              <TextInput label="Lieu" value={place} onChange={(e) => setPlace(e.currentTarget.value)} placeholder="ex. Bureau 4, 1er étage" />
            </Group>
          )}
          <Checkbox
            label={`La personne accepte que des informations soient transmises${to ? ` à ${institutionLabel(to)}` : ''}`}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
          />
          {consent ? (
            <Stack gap={6} pl="md">
              <Text size="sm">Ce qu’elle accepte de transmettre :</Text>
              {SHARED_FIELDS.map((f) => (
                <Stack key={f} gap={4}>
                  <Checkbox
                    label={SHARED_FIELD_LABELS_FR[f]}
                    checked={shared.includes(f)}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setShared((s) => (checked ? [...s, f] : s.filter((x) => x !== f)));
                    }}
                  />
                  {shared.includes(f) &&
                    (f === 'summary' ? (
                      <Textarea aria-label={SHARED_FIELD_LABELS_FR[f]} value={values[f]} maxLength={600} autosize minRows={2} error={fieldErrors.summary} onChange={(e) => setValues({ ...values, [f]: e.currentTarget.value })} />
                    ) : (
                      <TextInput
                        aria-label={SHARED_FIELD_LABELS_FR[f]}
                        value={values[f]}
                        error={fieldErrors[f === 'name' ? 'personName' : f === 'phone' ? 'personPhone' : f]}
                        onChange={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
                      />
                    ))}
                </Stack>
              ))}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              Sans accord, rien de personnel n’est transmis. Le service verra : « {withoutConsent} »
            </Text>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={busy} disabled={!to || !mode || chosen.length === 0}>
              Envoyer le passage de relais
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
