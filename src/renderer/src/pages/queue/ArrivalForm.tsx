/**
 * Registering an arrival, the most frequent action of the day: choose the service, optionally a
 * first name or initials, confirm (Enter). Appointment, priority and needs sit on the same form.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type FormEvent } from 'react';
import { Button, Collapse, Group, Paper, Radio, Select, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { ChipField } from '../../components/ChipField';
import { queueMethods, type QueueEntry } from '../../../../shared/api/methods/queue';
import { fieldMaxLength } from '../../../../shared/api/limits';
import { findSite } from '../../../../shared/reference/sites';
import { arrivalAppointmentProblem } from '../../../../shared/time/appointments';
import type { QueueConfig } from '../../../../shared/queue/config';
import { NEEDS, NEED_LABELS_FR, PRIORITY_LABELS_FR, PRIORITY_REASONS, type Need, type PriorityReason } from '../../../../shared/queue/states';
import { REQUEST_DOMAINS_V1 } from '../../../../shared/reference/taxonomy';
import { api } from '../../api/client';
import { ClockInput } from '../../components/dates';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';
import { useSession } from '../../session/SessionContext';
import { ticketSpoken } from './format';

export interface ArrivalFormHandle {
  focus(): void;
}

const LAST_SERVICE_KEY = 'accueil-esc.arrival.service';
const FIRST_NAME_MAX = fieldMaxLength(queueMethods['queue.add'].params, 'firstName');
const FIELDS = {
  serviceCode: 'Service',
  firstName: 'Prénom ou initiales',
  purpose: 'Motif',
  appointmentTime: 'Rendez-vous à',
  appointmentWithAccountId: 'Rendez-vous avec',
  priorityReasons: 'Priorité',
  needs: 'Besoins',
};
const domainOptions = REQUEST_DOMAINS_V1.filter((d) => d.retiredIn === null).map((d) => ({ value: d.code, label: d.label }));

export const ArrivalForm = forwardRef<ArrivalFormHandle, { config: QueueConfig }>(function ArrivalForm({ config }, ref) {
  const services = config.services.filter((s) => s.active);
  const [service, setService] = useState<string>(() => {
    const last = localStorage.getItem(LAST_SERVICE_KEY);
    return services.some((s) => s.code === last) ? last! : services[0]!.code;
  });
  const [firstName, setFirstName] = useState('');
  const [purpose, setPurpose] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [appointmentTime, setAppointmentTime] = useState('');
  const [appointmentWith, setAppointmentWith] = useState<string | null>(null);
  const [priority, setPriority] = useState<string[]>([]);
  const [needs, setNeeds] = useState<string[]>([]);
  const [professionals, setProfessionals] = useState<{ value: string; label: string }[]>([]);
  const [issued, setIssued] = useState<QueueEntry | null>(null);
  const f = useFieldErrors('arrival', FIELDS);
  const { me } = useSession();
  const [busy, setBusy] = useState(false);
  const groupRef = useRef<HTMLDivElement>(null);

  // Focus the chosen service (a radio card): arrow keys change it, Enter registers the arrival.
  const focusService = () => (groupRef.current?.querySelector<HTMLElement>('[role="radio"][aria-checked="true"]') ?? groupRef.current?.querySelector<HTMLElement>('[role="radio"]'))?.focus();
  useImperativeHandle(ref, () => ({ focus: focusService }));

  useEffect(() => {
    if (!more || professionals.length) return;
    api.call('queue.professionals', {}).then(
      (r) => setProfessionals(r.professionals.map((p) => ({ value: p.id, label: `${p.displayName}${p.institution ? ` (${p.institution})` : ''}` }))),
      () => undefined,
    );
  }, [more, professionals.length]);

  const reset = () => {
    setFirstName('');
    setPurpose(null);
    setAppointmentTime('');
    setAppointmentWith(null);
    setPriority([]);
    setNeeds([]);
    setMore(false);
    f.clear();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const site = me ? findSite(me.siteCode) : undefined;
    const ok = f.check({
      firstName: tooLong(firstName, FIRST_NAME_MAX),
      appointmentTime: appointmentTime && site ? arrivalAppointmentProblem(site, appointmentTime, new Date()) : null,
    });
    if (!ok) {
      if (appointmentTime) setMore(true);
      return;
    }
    setBusy(true);
    try {
      const entry = await api.call('queue.add', {
        serviceCode: service,
        firstName,
        purpose,
        appointmentTime: appointmentTime || null,
        appointmentWithAccountId: appointmentWith,
        priorityReasons: priority as PriorityReason[],
        needs: needs as Need[],
      });
      localStorage.setItem(LAST_SERVICE_KEY, service);
      setIssued(entry);
      reset();
      focusService();
    } catch (err) {
      f.fail(err);
      if (appointmentTime || appointmentWith) setMore(true);
    } finally {
      setBusy(false);
    }
  };

  const serviceLabel = (code: string) => services.find((s) => s.code === code)?.label ?? code;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="arrival-title">
      <form onSubmit={submit} noValidate>
        <Stack gap={6}>
          <Title order={2} size="h4" id="arrival-title">
            Nouvelle arrivée
          </Title>
          <ErrorSummary form={f} />
          <Radio.Group label="Service" value={service} onChange={setService} ref={groupRef} required {...f.props('serviceCode')}>
            <SimpleGrid cols={2} spacing={4} mt={2}>
              {services.map((s) => (
                <Radio.Card key={s.code} value={s.code} px={6} py={4} radius="md" aria-label={s.label} data-testid={`service-${s.code}`} title={s.label}>
                  <Group gap={4} wrap="nowrap">
                    <Radio.Indicator size="xs" />
                    <Text size="sm" fw={600} ff="monospace">
                      {s.prefix}
                    </Text>
                    <Text fz={13} truncate="end">
                      {s.label}
                    </Text>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          <TextInput
            label="Prénom ou initiales (facultatif)"
            size="sm"
            value={firstName}
            autoComplete="off"
            onChange={(e) => {
              setFirstName(e.currentTarget.value);
              if (f.error('firstName')) f.set('firstName', tooLong(e.currentTarget.value, FIRST_NAME_MAX));
            }}
            {...f.props('firstName', { value: firstName, max: FIRST_NAME_MAX })}
          />
          <Select
            label="Motif (facultatif)"
            size="sm"
            data={domainOptions}
            value={purpose}
            onChange={setPurpose}
            searchable
            clearable
            placeholder="Choisir un motif"
            comboboxProps={{ width: 320, position: 'bottom-start' }}
            {...f.props('purpose')}
          />
          <UnstyledButton onClick={() => setMore((m) => !m)} aria-expanded={more} aria-controls="arrival-more">
            <Text size="sm" c="teal.9" td="underline">
              {more ? '▾' : '▸'} Rendez-vous, priorité, besoins
            </Text>
          </UnstyledButton>
          <Collapse expanded={more} id="arrival-more">
            <Stack gap={6}>
              <Group grow align="flex-start" gap="xs">
                <ClockInput label="Rendez-vous à" size="sm" value={appointmentTime} onChange={setAppointmentTime} clearable {...f.props('appointmentTime')} />
                <Select
                  label="avec"
                  size="sm"
                  data={professionals}
                  value={appointmentWith}
                  onChange={setAppointmentWith}
                  clearable
                  searchable
                  placeholder="Professionnel·le"
                  {...f.props('appointmentWithAccountId')}
                />
              </Group>
              <ChipField
                id="priority-label"
                groupId={f.id('priorityReasons')}
                error={f.error('priorityReasons')}
                label="Priorité"
                size="xs"
                color="orange"
                options={PRIORITY_REASONS.map((p) => ({ value: p, label: PRIORITY_LABELS_FR[p] }))}
                value={priority}
                onChange={setPriority}
              />
              <ChipField
                id="needs-label"
                groupId={f.id('needs')}
                error={f.error('needs')}
                label="Besoins"
                size="xs"
                color="blue"
                options={NEEDS.map((n) => ({ value: n, label: NEED_LABELS_FR[n] }))}
                value={needs}
                onChange={setNeeds}
              />
            </Stack>
          </Collapse>
          <Button type="submit" loading={busy}>
            Enregistrer l’arrivée
          </Button>
          <div role="status" aria-live="polite">
            {issued && (
              <Paper bg="teal.0" px="sm" py={6} radius="md" data-testid="issued-ticket">
                <Group gap="sm" wrap="nowrap">
                  <Text fz={28} fw={800} ff="monospace" lh={1.1} data-testid="issued-ticket-number" style={{ whiteSpace: 'nowrap' }}>
                    {issued.ticket}
                  </Text>
                  <Text size="xs" lh={1.3}>
                    À annoncer : « {ticketSpoken(issued.ticket)} »{issued.position ? ` · ${issued.position === 1 ? '1re' : `${issued.position}e`} dans la file` : ''}
                    <br />
                    {serviceLabel(issued.serviceCode)}
                    {issued.outsideHours ? ' · hors horaires' : ''}
                  </Text>
                </Group>
              </Paper>
            )}
          </div>
        </Stack>
      </form>
    </Paper>
  );
});
