/**
 * The site directory as reception uses it to find the right contact for a hand-over (searchable
 * by domain), and as coordination maintains it. Team mailboxes and desk numbers are preferred to
 * personal details.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { DirectoryEntry, Partner } from '../../../../shared/api/methods/directory';
import { INSTITUTIONS, institutionLabel, type InstitutionCode } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { api, errorMessage, fieldErrorsOf } from '../../api/client';
import { useSession } from '../../session/SessionContext';
import { useDomains } from '../contacts/useDomains';

const institutionOptions = INSTITUTIONS.map((i) => ({ value: i.code, label: i.shortName }));

export function DirectoryView() {
  const { may } = useSession();
  const manage = may('directory.manage');
  const domains = useDomains();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const [institution, setInstitution] = useState<InstitutionCode | null>(null);
  const [domain, setDomain] = useState<string | null>(null);
  const [inactive, setInactive] = useState(false);
  const [data, setData] = useState<{ entries: DirectoryEntry[]; partners: Partner[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Partial<DirectoryEntry> | null>(null);
  const [editingPartner, setEditingPartner] = useState<Partial<Partner> | null>(null);

  const load = useCallback(async () => {
    try {
      setData(
        await api.call('directory.list', {
          ...(institution ? { institution } : {}),
          ...(domain ? { domain } : {}),
          ...(debounced.trim() ? { query: debounced.trim() } : {}),
          includeInactive: inactive,
        }),
      );
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [institution, domain, debounced, inactive]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <TextInput label="Rechercher" placeholder="Nom, fonction, bureau…" value={query} onChange={(e) => setQuery(e.currentTarget.value)} w={240} />
        <Select label="Institution" data={institutionOptions} value={institution} onChange={(v) => setInstitution(v as InstitutionCode | null)} clearable placeholder="Toutes" w={170} />
        <Select label="Rechercher par domaine" data={domains.map((d) => ({ value: d.code, label: d.label }))} value={domain} onChange={setDomain} clearable searchable placeholder="Tous" w={260} />
        {manage && <Switch label="Afficher les inactifs" checked={inactive} onChange={(e) => setInactive(e.currentTarget.checked)} />}
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      <Group justify="space-between">
        <Title order={2} size="h4">
          Sur le site
        </Title>
        {manage && (
          <Button size="xs" variant="light" onClick={() => setEditing({ kind: 'team', institution: institution ?? 'CCAS', domains: [], active: true })}>
            Ajouter une équipe ou une personne
          </Button>
        )}
      </Group>
      {data && data.entries.length === 0 ? (
        <Text c="dimmed">Aucune entrée{query || institution || domain ? ' pour ces critères' : ' : la coordination peut compléter l’annuaire'}.</Text>
      ) : (
        <Table aria-label="Annuaire du site" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Institution</Table.Th>
              <Table.Th scope="col">Nom</Table.Th>
              <Table.Th scope="col">Fonction</Table.Th>
              <Table.Th scope="col">Bureau</Table.Th>
              <Table.Th scope="col">Poste</Table.Th>
              <Table.Th scope="col">Messagerie</Table.Th>
              <Table.Th scope="col">Présence / permanences</Table.Th>
              <Table.Th scope="col">Domaines</Table.Th>
              {manage && (
                <Table.Th scope="col">
                  <span className="sr-only">Actions</span>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data?.entries.map((e) => (
              <Table.Tr key={e.id} opacity={e.active ? 1 : 0.6}>
                <Table.Td>{institutionLabel(e.institution)}</Table.Td>
                <Table.Td>
                  {e.kind === 'team' && (
                    <Badge size="sm" variant="light" mr={4}>
                      Équipe
                    </Badge>
                  )}
                  {e.name}
                </Table.Td>
                <Table.Td>{e.role ?? '—'}</Table.Td>
                <Table.Td>{e.office ?? '—'}</Table.Td>
                <Table.Td>{e.extension ?? '—'}</Table.Td>
                <Table.Td>{e.mailbox ?? '—'}</Table.Td>
                <Table.Td>{[e.presence, e.permanences].filter(Boolean).join(' · ') || '—'}</Table.Td>
                <Table.Td>{e.domains.map(domainLabel).join(', ') || 'Tous'}</Table.Td>
                {manage && (
                  <Table.Td>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(e)} aria-label={`Modifier ${e.name}`}>
                      Modifier
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between">
        <Title order={2} size="h4">
          Partenaires extérieurs
        </Title>
        {manage && (
          <Button size="xs" variant="light" onClick={() => setEditingPartner({ domains: [], active: true, prescriberRequired: false })}>
            Ajouter un partenaire
          </Button>
        )}
      </Group>
      <Table aria-label="Partenaires extérieurs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Nom</Table.Th>
            <Table.Th scope="col">Domaines</Table.Th>
            <Table.Th scope="col">Adresse</Table.Th>
            <Table.Th scope="col">Téléphone</Table.Th>
            <Table.Th scope="col">Conditions d’accès</Table.Th>
            <Table.Th scope="col">Prescripteur requis</Table.Th>
            {manage && (
              <Table.Th scope="col">
                <span className="sr-only">Actions</span>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data?.partners.map((p) => (
            <Table.Tr key={p.id} opacity={p.active ? 1 : 0.6}>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.domains.map(domainLabel).join(', ') || '—'}</Table.Td>
              <Table.Td>{p.address ?? '—'}</Table.Td>
              <Table.Td>{p.phone ?? '—'}</Table.Td>
              <Table.Td>{p.accessConditions ?? '—'}</Table.Td>
              <Table.Td>{p.prescriberRequired ? 'oui' : 'non'}</Table.Td>
              {manage && (
                <Table.Td>
                  <Button size="xs" variant="subtle" onClick={() => setEditingPartner(p)} aria-label={`Modifier ${p.name}`}>
                    Modifier
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && <EntryForm initial={editing} onClose={() => setEditing(null)} onSaved={load} />}
      {editingPartner && <PartnerForm initial={editingPartner} onClose={() => setEditingPartner(null)} onSaved={load} />}
    </Stack>
  );
}

function EntryForm({ initial, onClose, onSaved }: { initial: Partial<DirectoryEntry>; onClose: () => void; onSaved: () => Promise<void> }) {
  const domains = useDomains();
  const [v, setV] = useState<Partial<DirectoryEntry>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<DirectoryEntry>) => setV({ ...v, ...patch });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('directory.saveEntry', {
        ...(v.id ? { id: v.id, version: v.version } : {}),
        institution: v.institution!,
        kind: v.kind ?? 'team',
        name: v.name ?? '',
        role: v.role ?? null,
        office: v.office ?? null,
        extension: v.extension ?? null,
        mailbox: v.mailbox || null,
        presence: v.presence ?? null,
        permanences: v.permanences ?? null,
        domains: v.domains ?? [],
        active: v.active ?? true,
      });
      notifications.show({ color: 'teal', message: 'Annuaire mis à jour.' });
      onClose();
      await onSaved();
    } catch (err) {
      setError(errorMessage(err));
      setErrors(fieldErrorsOf(err));
    }
  };
  return (
    <Modal opened onClose={onClose} title={v.id ? `Modifier ${v.name}` : 'Nouvelle entrée de l’annuaire'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Préférez une messagerie d’équipe et un numéro de poste aux coordonnées personnelles.
          </Text>
          {error && <Alert color="red">{error}</Alert>}
          <Group grow>
            <Select label="Institution" required data={institutionOptions} value={v.institution ?? null} onChange={(x) => x && set({ institution: x as InstitutionCode })} allowDeselect={false} />
            <Select
              label="Type"
              required
              data={[
                { value: 'team', label: 'Équipe' },
                { value: 'person', label: 'Professionnel·le' },
              ]}
              value={v.kind ?? 'team'}
              onChange={(x) => x && set({ kind: x as 'team' | 'person' })}
              allowDeselect={false}
            />
          </Group>
          <TextInput label="Nom" required value={v.name ?? ''} error={errors.name} onChange={(e) => set({ name: e.currentTarget.value })} data-autofocus />
          <Group grow>
            <TextInput label="Fonction" value={v.role ?? ''} onChange={(e) => set({ role: e.currentTarget.value })} />
            <TextInput label="Bureau" value={v.office ?? ''} onChange={(e) => set({ office: e.currentTarget.value })} />
            <TextInput label="Poste téléphonique" value={v.extension ?? ''} onChange={(e) => set({ extension: e.currentTarget.value })} />
          </Group>
          <TextInput label="Messagerie (d’équipe de préférence)" value={v.mailbox ?? ''} error={errors.mailbox} onChange={(e) => set({ mailbox: e.currentTarget.value })} />
          <Group grow>
            <TextInput label="Jours de présence" value={v.presence ?? ''} onChange={(e) => set({ presence: e.currentTarget.value })} placeholder="ex. lundi, jeudi matin" />
            <TextInput label="Permanences" value={v.permanences ?? ''} onChange={(e) => set({ permanences: e.currentTarget.value })} />
          </Group>
          <MultiSelect label="Domaines traités" data={domains.map((d) => ({ value: d.code, label: d.label }))} value={v.domains ?? []} onChange={(x) => set({ domains: x })} searchable placeholder="Tous" />
          <Checkbox label="Active" checked={v.active ?? true} onChange={(e) => set({ active: e.currentTarget.checked })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit">Enregistrer</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PartnerForm({ initial, onClose, onSaved }: { initial: Partial<Partner>; onClose: () => void; onSaved: () => Promise<void> }) {
  const domains = useDomains();
  const [v, setV] = useState<Partial<Partner>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<Partner>) => setV({ ...v, ...patch });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await api.call('directory.savePartner', {
        ...(v.id ? { id: v.id, version: v.version } : {}),
        code: v.code ?? '',
        name: v.name ?? '',
        domains: v.domains ?? [],
        address: v.address ?? null,
        phone: v.phone ?? null,
        accessConditions: v.accessConditions ?? null,
        prescriberRequired: v.prescriberRequired ?? false,
        active: v.active ?? true,
      });
      notifications.show({ color: 'teal', message: 'Partenaire enregistré.' });
      onClose();
      await onSaved();
    } catch (err) {
      setError(errorMessage(err));
      setErrors(fieldErrorsOf(err));
    }
  };
  return (
    <Modal opened onClose={onClose} title={v.id ? `Modifier ${v.name}` : 'Nouveau partenaire'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error && <Alert color="red">{error}</Alert>}
          <Group grow>
            <TextInput label="Code" description="Majuscules, ex. CPAM" required value={v.code ?? ''} error={errors.code} onChange={(e) => set({ code: e.currentTarget.value.toUpperCase() })} />
            <TextInput label="Nom" required value={v.name ?? ''} error={errors.name} onChange={(e) => set({ name: e.currentTarget.value })} />
          </Group>
          <MultiSelect label="Domaines" data={domains.map((d) => ({ value: d.code, label: d.label }))} value={v.domains ?? []} onChange={(x) => set({ domains: x })} searchable />
          <TextInput label="Adresse" value={v.address ?? ''} onChange={(e) => set({ address: e.currentTarget.value })} />
          <TextInput label="Téléphone" value={v.phone ?? ''} onChange={(e) => set({ phone: e.currentTarget.value })} />
          <TextInput label="Conditions d’accès" value={v.accessConditions ?? ''} onChange={(e) => set({ accessConditions: e.currentTarget.value })} />
          <Checkbox label="Prescripteur requis" checked={v.prescriberRequired ?? false} onChange={(e) => set({ prescriberRequired: e.currentTarget.checked })} />
          <Checkbox label="Actif" checked={v.active ?? true} onChange={(e) => set({ active: e.currentTarget.checked })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit">Enregistrer</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
