/**
 * The contact form: recording an ASIP contact in a few interactions. Opened pre-filled when a
 * queue entry is finished, from anywhere for a phone call or an e-mail, or to correct a contact.
 * It starts empty every time: nothing about the previous person is remembered.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Collapse, Group, Modal, NumberInput, Select, Stack, Text, TextInput, Textarea, UnstyledButton } from '@mantine/core';
import { ChipField } from '../../components/ChipField';
import { useShortcuts } from '../../shortcuts';
import { contactsMethods, zPersonIdentity, type Contact } from '../../../../shared/api/methods/contacts';
import { fieldMaxLength } from '../../../../shared/api/limits';
import {
  CHANNELS,
  CHANNEL_LABELS_FR,
  CONTACT_ACTIONS,
  CONTACT_ACTION_LABELS_FR,
  CONTACT_FLAGS,
  CONTACT_FLAG_LABELS_FR,
  type Channel,
  type ContactAction,
  type ContactFlag,
  type OrientationKind,
} from '../../../../shared/contacts/vocabulary';
import { api } from '../../api/client';
import { DayInput } from '../../components/dates';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';
import { useDomains } from './useDomains';
import { orientationOptions } from './labels';

export type ContactFormRequest =
  | { kind: 'entry'; entryId: string; ticket: string; purpose: string | null; appointment: boolean; durationMinutes: number | null }
  | { kind: 'quick'; channel: Channel }
  | { kind: 'edit'; contact: Contact };

const channelOptions = CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS_FR[c] }));

/** Limits of the contract (the API refuses beyond them): shown as counters, never cut silently. */
const NOTE_MAX = fieldMaxLength(contactsMethods['contacts.log'].params, 'note');
const NAME_MAX = fieldMaxLength(zPersonIdentity, 'lastName');
const DURATION_MAX = 600;

const FIELDS = {
  channel: 'Canal',
  domains: 'Domaines de la demande',
  actions: 'Ce qui a été fait',
  orientation: 'Orientation',
  durationMinutes: 'Durée',
  flags: 'Repères',
  'person.lastName': 'Nom',
  'person.firstName': 'Prénom',
  'person.birthDate': 'Date de naissance',
  note: 'Note de suivi',
};

export function ContactForm({ request, onClose, onSaved }: { request: ContactFormRequest; onClose: () => void; onSaved: (c: Contact) => void }) {
  const domains = useDomains();
  const editing = request.kind === 'edit' ? request.contact : null;
  const [channel, setChannel] = useState<Channel | null>(
    editing?.channel ?? (request.kind === 'quick' ? request.channel : request.kind === 'entry' ? (request.appointment ? 'sur_place_rdv' : 'sur_place') : null),
  );
  const [chosen, setChosen] = useState<string[]>(editing?.domains ?? (request.kind === 'entry' && request.purpose ? [request.purpose] : []));
  const [actions, setActions] = useState<string[]>(editing?.actions ?? ['information']);
  const [orientation, setOrientation] = useState<string | null>(editing?.orientation ? `${editing.orientation.kind}:${editing.orientation.target}` : null);
  const [flags, setFlags] = useState<string[]>(editing?.flags ?? []);
  const [duration, setDuration] = useState<number | string>(editing?.durationMinutes ?? (request.kind === 'entry' ? (request.durationMinutes ?? '') : ''));
  const [note, setNote] = useState(editing?.note ?? '');
  const [identify, setIdentify] = useState(false);
  const [person, setPerson] = useState({ lastName: '', firstName: '', birthDate: '' });
  const f = useFieldErrors('contact', FIELDS);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (orientation && !actions.includes('orientation')) setActions((a) => [...a, 'orientation']);
  }, [orientation, actions]);

  // Focus goes into the form, on the chosen domain (or the first one): Space picks a domain,
  // Tab goes on through the form, Ctrl+Entrée saves, Échap closes. (Retried until the modal's
  // transition has mounted the fields.)
  useEffect(() => {
    let tries = 0;
    const timer = setInterval(() => {
      const group = formRef.current?.querySelector('[aria-labelledby="contact-domains-label"]');
      const chip = group?.querySelector<HTMLInputElement>('input:checked') ?? group?.querySelector<HTMLInputElement>('input');
      if (chip || ++tries > 40) {
        clearInterval(timer);
        if (chip && !formRef.current?.contains(document.activeElement)) chip.focus();
      }
    }, 25);
    return () => clearInterval(timer);
  }, []);

  const title =
    request.kind === 'entry'
      ? `Contact du passage ${request.ticket}`
      : request.kind === 'quick'
        ? `Nouveau contact – ${CHANNEL_LABELS_FR[request.channel]}`
        : `Corriger le contact${editing?.ticket ? ` du passage ${editing.ticket}` : ''}`;

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const ok = f.check({
      channel: !channel && 'Choisissez le canal du contact.',
      domains: chosen.length === 0 && 'Choisissez au moins un domaine.',
      durationMinutes: duration !== '' && (Number(duration) < 0 || Number(duration) > DURATION_MAX) && `La durée va de 0 à ${DURATION_MAX} minutes (10 h).`,
      note: tooLong(note, NOTE_MAX),
      ...(identify
        ? {
            'person.lastName': !person.lastName.trim() ? 'Nom requis pour reconnaître la personne.' : tooLong(person.lastName, NAME_MAX),
            'person.firstName': !person.firstName.trim() ? 'Prénom requis pour reconnaître la personne.' : tooLong(person.firstName, NAME_MAX),
            'person.birthDate': !person.birthDate && 'Date de naissance requise (jj/mm/aaaa).',
          }
        : {}),
    });
    if (!ok) return;
    setBusy(true);
    const [kind, target] = orientation ? (orientation.split(':') as [OrientationKind, string]) : [null, null];
    const common = {
      domains: chosen,
      actions: actions as ContactAction[],
      orientation: kind && target ? { kind, target } : null,
      flags: flags as ContactFlag[],
      durationMinutes: duration === '' ? null : Number(duration),
      note,
    };
    try {
      let saved: Contact;
      if (editing) {
        saved = await api.call('contacts.update', { id: editing.id, version: editing.version, channel: channel ?? undefined, ...common });
      } else {
        saved = await api.call('contacts.log', {
          ...common,
          ...(channel ? { channel } : {}),
          ...(request.kind === 'entry' ? { queueEntryId: request.entryId } : {}),
          ...(request.kind === 'entry' && duration === '' ? { durationMinutes: undefined } : {}),
          ...(identify ? { person } : {}),
        });
      }
      onSaved(saved);
    } catch (err) {
      f.fail(err);
    } finally {
      setBusy(false);
    }
  };

  useShortcuts('Formulaire de contact', [
    { keys: 'Ctrl+Enter', label: 'Enregistrer le contact', run: () => void submit(), scope: 'always' },
    { keys: 'Escape', label: request.kind === 'entry' ? 'Fermer (enregistrer plus tard)' : 'Fermer sans enregistrer', run: onClose, listOnly: true },
  ]);

  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      <form ref={formRef} onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorSummary form={f} />
          <Select label="Canal" data={channelOptions} value={channel} onChange={(v) => setChannel(v as Channel | null)} allowDeselect={false} required {...f.props('channel')} />
          <ChipField
            id="contact-domains-label"
            groupId={f.id('domains')}
            label="Domaines de la demande"
            required
            autoFocus
            options={domains.map((d) => ({ value: d.code, label: d.label }))}
            value={chosen}
            onChange={setChosen}
            error={f.error('domains')}
          />
          <ChipField
            id="contact-actions-label"
            label="Ce qui a été fait"
            color="teal"
            options={CONTACT_ACTIONS.map((a) => ({ value: a, label: CONTACT_ACTION_LABELS_FR[a] }))}
            value={actions}
            onChange={setActions}
          />
          <Group grow align="flex-start">
            <Select label="Orientation" placeholder="Aucune" data={orientationOptions} value={orientation} onChange={setOrientation} clearable searchable {...f.props('orientation')} />
            <NumberInput
              label="Durée (min)"
              min={0}
              max={DURATION_MAX}
              clampBehavior="none"
              allowDecimal={false}
              value={duration}
              onChange={setDuration}
              w={120}
              {...f.props('durationMinutes')}
            />
          </Group>
          <ChipField
            id="contact-flags-label"
            label="Repères"
            color="orange"
            options={CONTACT_FLAGS.map((f) => ({ value: f, label: CONTACT_FLAG_LABELS_FR[f] }))}
            value={flags}
            onChange={setFlags}
          />
          {!editing && (
            <>
              <UnstyledButton onClick={() => setIdentify((v) => !v)} aria-expanded={identify} aria-controls="contact-identify">
                <Text size="sm" c="teal.9" td="underline">
                  {identify ? '▾' : '▸'} Reconnaître la personne (facultatif, avec son accord)
                </Text>
              </UnstyledButton>
              <Collapse expanded={identify} id="contact-identify">
                <Stack gap={6}>
                  <Text size="xs" c="dimmed">
                    Le nom et la date de naissance ne sont pas enregistrés : seule une clé anonyme, propre à ce site, permet de compter les personnes
                    distinctes.
                  </Text>
                  <Group grow align="flex-start">
                    <TextInput
                      label="Nom"
                      value={person.lastName}
                      onChange={(e) => setPerson({ ...person, lastName: e.currentTarget.value })}
                      autoComplete="off"
                      {...f.props('person.lastName')}
                    />
                    <TextInput
                      label="Prénom"
                      value={person.firstName}
                      onChange={(e) => setPerson({ ...person, firstName: e.currentTarget.value })}
                      autoComplete="off"
                      {...f.props('person.firstName')}
                    />
                    <DayInput
                      label="Date de naissance"
                      value={person.birthDate || null}
                      onChange={(d) => setPerson({ ...person, birthDate: d ?? '' })}
                      maxDate={new Date()}
                      defaultLevel="decade"
                      {...f.props('person.birthDate')}
                    />
                  </Group>
                </Stack>
              </Collapse>
            </>
          )}
          <Textarea
            label="Note de suivi (facultatif)"
            value={note}
            autosize
            minRows={1}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              if (f.error('note')) f.set('note', tooLong(e.currentTarget.value, NOTE_MAX));
            }}
            {...f.props('note', {
              value: note,
              max: NOTE_MAX,
              description: 'Visible par vous et la coordination seulement ; reste sur le site et sera effacée par la règle de conservation.',
            })}
          />
          {/* Sticky footer: the save button stays on screen on a 1366×768 desk, whatever the form's length. */}
          <Group
            justify="space-between"
            data-testid="contact-form-footer"
            style={{ position: 'sticky', bottom: 0, zIndex: 2, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-gray-3)', padding: '8px 0' }}
          >
            <Text size="xs" c="dimmed">
              Ctrl+Entrée pour enregistrer · Échap pour fermer
            </Text>
            <Group>
              <Button variant="default" onClick={onClose}>
                {request.kind === 'entry' ? 'Plus tard' : 'Fermer'}
              </Button>
              <Button type="submit" loading={busy}>
                Enregistrer le contact
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
