/** One hand-over as both sides see it: who, for whom, how, its live status, and the allowed actions. */
import { useState, type ReactNode } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { handoffsMethods } from '../../../../shared/api/methods/handoffs';
import { fieldMaxLength } from '../../../../shared/api/limits';
import { formatAge, formatDateTime, formatWhen } from '../../../../shared/format/fr';
import type { Handoff } from '../../../../shared/api/methods/handoffs';
import {
  DECLINE_REASONS,
  DECLINE_REASON_LABELS_FR,
  HANDOFF_MODE_LABELS_FR,
  HANDOFF_STATE_LABELS_FR,
  SHARED_FIELD_LABELS_FR,
  type DeclineReason,
} from '../../../../shared/handoffs/states';
import { institutionIn, institutionLabel } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { localDay } from '../../../../shared/time/paris';
import { api } from '../../api/client';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';

const DECLINE_TEXT_MAX = fieldMaxLength(handoffsMethods['handoffs.decline'].params, 'text');

const STATE_COLORS: Record<Handoff['state'], string> = {
  proposed: 'yellow',
  accepted: 'teal',
  completed: 'gray',
  declined: 'orange',
  expired: 'red',
  cancelled: 'gray',
  person_left: 'gray',
};

export type Run = (label: string, op: () => Promise<unknown>) => Promise<boolean>;

export function HandoffCard({ h, now, side, run, extra }: { h: Handoff; now: Date; side: 'receiver' | 'sender'; run: Run; extra?: ReactNode }) {
  const [details, setDetails] = useState<Awaited<ReturnType<typeof loadDetails>> | null>(null);
  const [declining, setDeclining] = useState(false);
  const ageMinutes = Math.max(0, Math.floor((now.getTime() - Date.parse(h.createdAt)) / 60_000));
  const late = h.state === 'proposed' && now.getTime() >= Date.parse(h.lateAt);
  const t = { id: h.id, version: h.version };

  const showDetails = async () => {
    try {
      setDetails(await loadDetails(h.id));
    } catch (e) {
      setDetails(null);
      await run('Informations transmises', () => Promise.reject(e));
    }
  };

  return (
    <Card withBorder padding="sm" data-testid={`handoff-${h.id}`} aria-label={`Passage de relais ${institutionIn(h.toInstitution, 'to')}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Group gap={6}>
            <Badge color={STATE_COLORS[h.state]} variant="light" c="dark" data-testid="handoff-state">
              {HANDOFF_STATE_LABELS_FR[h.state]}
              {h.state === 'accepted' && h.takenByName ? ` par ${h.takenByName}` : ''}
            </Badge>
            {h.urgency === 'urgente' && <Badge color="red">Urgent</Badge>}
            {late && (
              <Badge color="red" variant="outline" c="red.9">
                En retard
              </Badge>
            )}
            <Text size="sm" c="dimmed" data-testid="created-when">
              {formatWhen(h.createdAt, localDay(now))} · il y a {formatAge(ageMinutes)}
            </Text>
          </Group>
          <Text size="sm">
            <strong>{side === 'receiver' ? `De ${h.fromName}` : `Vers ${institutionIn(h.toInstitution, 'the')}`}</strong>
            {side === 'receiver' ? ` (${h.fromInstitution ? institutionLabel(h.fromInstitution) : 'accueil'})` : ''}
            {h.toEntryName ? ` · pour ${h.toEntryName}` : ''}
            {h.ticket ? ` · ticket ${h.ticket}` : ''}
          </Text>
          <Text size="sm">
            {HANDOFF_MODE_LABELS_FR[h.mode]}
            {h.appointmentAt ? ` : ${formatDateTime(h.appointmentAt)}${h.appointmentPlace ? `, ${h.appointmentPlace}` : ''}` : ''} · {h.domains.map(domainLabel).join(', ')}
          </Text>
          {!h.consent && (
            <Text size="sm" c="dimmed">
              Une personne attend à l’accueil pour {institutionIn(h.toInstitution, 'the')} ({h.domains.map(domainLabel).join(', ').toLowerCase()}). Aucune information
              personnelle transmise.
            </Text>
          )}
          {h.consent && (
            <Text size="sm" c="dimmed">
              Accord de la personne recueilli par {h.consentRecordedByName ?? '—'} · transmis : {h.sharedFields.map((f) => SHARED_FIELD_LABELS_FR[f]).join(', ') || 'rien'}
              {h.anonymised ? ' (effacé après la durée de conservation)' : ''}
            </Text>
          )}
          {h.state === 'declined' && (
            <Alert color="orange" p={6}>
              Motif : {h.declineReason ? DECLINE_REASON_LABELS_FR[h.declineReason] : '—'}
              {h.declineText ? ` – ${h.declineText}` : ''}
            </Alert>
          )}
          {details && (
            <Card bg="gray.0" padding="xs" data-testid="handoff-details">
              {details.name && <Text size="sm">Nom : {details.name}</Text>}
              {details.phone && <Text size="sm">Téléphone : {details.phone}</Text>}
              {details.summary && <Text size="sm">Résumé : {details.summary}</Text>}
              {details.documents && <Text size="sm">Documents : {details.documents}</Text>}
              <Text size="xs" c="dimmed">
                Cette consultation est enregistrée dans le journal.
              </Text>
            </Card>
          )}
        </Stack>
        <Stack gap={6} align="flex-end">
          {h.hasDetails && !details && (
            <Button size="xs" variant="light" onClick={() => void showDetails()}>
              Voir les informations transmises
            </Button>
          )}
          {side === 'receiver' && h.state === 'proposed' && (
            <>
              <Button size="xs" onClick={() => void run('Prise en charge', () => api.call('handoffs.accept', t))}>
                Prendre en charge
              </Button>
              <Button size="xs" variant="light" color="orange" onClick={() => setDeclining(true)}>
                Décliner…
              </Button>
              {!h.seenAt && (
                <Button size="xs" variant="subtle" onClick={() => void run('Vu', () => api.call('handoffs.seen', t))}>
                  Marquer comme vu
                </Button>
              )}
            </>
          )}
          {side === 'receiver' && h.state === 'accepted' && (
            <Button size="xs" variant="light" onClick={() => void run('Fin du relais', () => api.call('handoffs.complete', t))}>
              Terminer
            </Button>
          )}
          {side === 'sender' && ['proposed', 'accepted'].includes(h.state) && (
            <Button size="xs" variant="subtle" color="gray" onClick={() => void run('Annulation', () => api.call('handoffs.cancel', t))}>
              Annuler
            </Button>
          )}
          {['proposed', 'accepted'].includes(h.state) && (
            <Button size="xs" variant="subtle" color="gray" onClick={() => void run('Personne partie', () => api.call('handoffs.personLeft', t))}>
              Personne partie
            </Button>
          )}
          {extra}
        </Stack>
      </Group>
      {declining && <DeclineDialog h={h} run={run} onClose={() => setDeclining(false)} />}
    </Card>
  );
}

function loadDetails(id: string) {
  return api.call('handoffs.details', { id });
}

function DeclineDialog({ h, run, onClose }: { h: Handoff; run: Run; onClose: () => void }) {
  const [reason, setReason] = useState<DeclineReason | null>(null);
  const [text, setText] = useState('');
  const f = useFieldErrors(`decline-${h.id}`, { reason: 'Motif', text: 'Précision' });
  return (
    <Modal opened onClose={onClose} title="Décliner le passage de relais">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!f.check({ reason: !reason && 'Choisissez le motif du refus.', text: tooLong(text, DECLINE_TEXT_MAX) })) return;
          void run('Refus', () => api.call('handoffs.decline', { id: h.id, version: h.version, reason: reason!, text })).then((ok) => ok && onClose());
        }}
        noValidate
      >
        <Stack>
          <ErrorSummary form={f} />
          <Text size="sm">L’émetteur·rice est prévenu·e et pourra réorienter la personne.</Text>
          <Select
            label="Motif"
            required
            data={DECLINE_REASONS.map((r) => ({ value: r, label: DECLINE_REASON_LABELS_FR[r] }))}
            value={reason}
            onChange={(v) => setReason(v as DeclineReason)}
            data-autofocus
            {...f.props('reason')}
          />
          <TextInput
            label="Précision (facultatif)"
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            {...f.props('text', { value: text, max: DECLINE_TEXT_MAX, description: 'Sans nom ni détail sur la personne.' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Fermer
            </Button>
            <Button type="submit" color="orange">
              Décliner
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
