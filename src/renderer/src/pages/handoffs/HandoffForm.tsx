/**
 * Creating a warm hand-over: the target, the domains, the urgency, the mode the person chose, and
 * what the person agreed to share (nothing without their agreement).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, Modal, Radio, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { ChipField } from '../../components/ChipField';
import type { DirectoryEntry } from '../../../../shared/api/methods/directory';
import { handoffsMethods, type Handoff } from '../../../../shared/api/methods/handoffs';
import { fieldMaxLength } from '../../../../shared/api/limits';
import { findSite } from '../../../../shared/reference/sites';
import { bookedAppointmentProblem } from '../../../../shared/time/appointments';
import { HANDOFF_MODES, HANDOFF_MODE_LABELS_FR, SHARED_FIELDS, SHARED_FIELD_LABELS_FR, type HandoffMode, type SharedField, type Urgency } from '../../../../shared/handoffs/states';
import { INSTITUTIONS, institutionIn, type InstitutionCode } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { localDay, parisInstant } from '../../../../shared/time/paris';
import { api } from '../../api/client';
import { ClockInput, DayInput } from '../../components/dates';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';
import { useSession } from '../../session/SessionContext';
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

const create = handoffsMethods['handoffs.create'].params;
const MAX = {
  appointmentPlace: fieldMaxLength(create, 'appointmentPlace'),
  personName: fieldMaxLength(create, 'personName'),
  summary: fieldMaxLength(create, 'summary'),
  documents: fieldMaxLength(create, 'documents'),
};
const FIELDS = {
  toInstitution: 'Vers',
  toEntryId: 'Équipe ou professionnel·le',
  domains: 'Domaines',
  urgency: 'Urgence',
  mode: 'Mise en relation',
  appointmentAt: 'Date du rendez-vous',
  appointmentTime: 'Heure du rendez-vous',
  appointmentPlace: 'Lieu du rendez-vous',
  consent: 'Accord de la personne',
  sharedFields: 'Ce qu’elle accepte de transmettre',
  personName: 'Nom',
  personPhone: 'Téléphone',
  summary: 'Résumé de la demande',
  documents: 'Documents déjà remis',
};
/** Where each shared detail is typed (API field names). */
const DETAIL_FIELD: Record<SharedField, 'personName' | 'personPhone' | 'summary' | 'documents'> = {
  name: 'personName',
  phone: 'personPhone',
  summary: 'summary',
  documents: 'documents',
};

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
  const f = useFieldErrors('handoff', FIELDS);
  const { me } = useSession();
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

  const withoutConsent = `Une personne attend à l’accueil pour ${to ? institutionIn(to, 'the') : '…'}${chosen.length ? ` (${chosen.map(domainLabel).join(', ').toLowerCase()})` : ''}.`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const site = me ? findSite(me.siteCode) : undefined;
    const rdv = mode === 'rdv';
    const at = rdv && rdvDate && rdvTime ? parisInstant(rdvDate, rdvTime) : null;
    const fields = consent ? shared : [];
    const ok = f.check({
      toInstitution: !to && 'Choisissez l’institution qui reçoit la personne.',
      domains: chosen.length === 0 && 'Choisissez au moins un domaine.',
      mode: !mode && 'Choisissez comment la personne souhaite être mise en relation.',
      appointmentAt: rdv && (!rdvDate ? 'Date du rendez-vous requise (jj/mm/aaaa).' : at && site ? bookedAppointmentProblem(site, at, new Date()) : null),
      appointmentTime: rdv && !rdvTime && 'Heure du rendez-vous requise (HH:mm).',
      appointmentPlace: rdv && tooLong(place, MAX.appointmentPlace),
      personName: fields.includes('name') && tooLong(values.name, MAX.personName),
      summary: fields.includes('summary') && tooLong(values.summary, MAX.summary),
      documents: fields.includes('documents') && tooLong(values.documents, MAX.documents),
    });
    if (!ok || !to || !mode) return;
    setBusy(true);
    try {
      const h = await api.call('handoffs.create', {
        toInstitution: to,
        toEntryId: entryId,
        domains: chosen,
        urgency,
        mode,
        appointmentAt: at ? at.toISOString() : null,
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
      f.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const title = prefill.reorientFrom
    ? `Réorienter (relais décliné par ${institutionIn(prefill.reorientFrom.toInstitution, 'the')})`
    : `Passage de relais${prefill.ticket ? ` – ticket ${prefill.ticket}` : ''}`;

  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorSummary form={f} />
          <Group grow align="flex-start">
            <Select
              label="Vers"
              required
              data={institutionOptions.filter((o) => o.value !== prefill.reorientFrom?.toInstitution)}
              value={to}
              onChange={(v) => setTo(v as InstitutionCode | null)}
              data-autofocus
              {...f.props('toInstitution')}
            />
            <Select
              label="Équipe ou professionnel·le (facultatif)"
              data={entryOptions}
              value={entryId}
              onChange={setEntryId}
              clearable
              searchable
              disabled={!to}
              placeholder={to && entries.length === 0 ? 'Annuaire vide pour cette institution' : 'Toute l’institution'}
              {...f.props('toEntryId')}
            />
          </Group>
          <ChipField
            id="handoff-domains-label"
            groupId={f.id('domains')}
            label="Domaines"
            required
            size="xs"
            options={domains.map((d) => ({ value: d.code, label: d.label }))}
            value={chosen}
            onChange={setChosen}
            error={f.error('domains')}
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
          <Radio.Group label="Comment la personne souhaite-t-elle être mise en relation ?" value={mode} onChange={(v) => setMode(v as HandoffMode)} required {...f.props('mode')}>
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
              <DayInput label="Date du rendez-vous" required value={rdvDate || null} onChange={(d) => setRdvDate(d ?? '')} minDate={localDay(new Date())} {...f.props('appointmentAt')} />
              <ClockInput label="Heure" required value={rdvTime} onChange={setRdvTime} {...f.props('appointmentTime')} />
              <TextInput
                label="Lieu"
                value={place}
                onChange={(e) => setPlace(e.currentTarget.value)}
                placeholder="ex. Bureau 4, 1er étage"
                {...f.props('appointmentPlace', { value: place, max: MAX.appointmentPlace })}
              />
            </Group>
          )}
          <Checkbox
            label={`La personne accepte que des informations soient transmises${to ? ` ${institutionIn(to, 'to')}` : ''}`}
            checked={consent}
            onChange={(e) => setConsent(e.currentTarget.checked)}
            {...f.props('consent')}
          />
          {consent ? (
            <Stack gap={6} pl="md">
              <Text size="sm">Ce qu’elle accepte de transmettre :</Text>
              {SHARED_FIELDS.map((sf) => (
                <Stack key={sf} gap={4}>
                  <Checkbox
                    label={SHARED_FIELD_LABELS_FR[sf]}
                    checked={shared.includes(sf)}
                    onChange={(e) => {
                      const checked = e.currentTarget.checked;
                      setShared((s) => (checked ? [...s, sf] : s.filter((x) => x !== sf)));
                    }}
                  />
                  {shared.includes(sf) &&
                    (sf === 'summary' ? (
                      <Textarea
                        aria-label={SHARED_FIELD_LABELS_FR[sf]}
                        value={values[sf]}
                        autosize
                        minRows={2}
                        onChange={(e) => setValues({ ...values, [sf]: e.currentTarget.value })}
                        {...f.props('summary', { value: values.summary, max: MAX.summary })}
                      />
                    ) : (
                      <TextInput
                        aria-label={SHARED_FIELD_LABELS_FR[sf]}
                        value={values[sf]}
                        onChange={(e) => setValues({ ...values, [sf]: e.currentTarget.value })}
                        {...f.props(DETAIL_FIELD[sf], sf === 'phone' ? {} : { value: values[sf], max: MAX[DETAIL_FIELD[sf] as 'personName' | 'documents'] })}
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
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={busy}>
              Envoyer le passage de relais
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
