/**
 * The site directory as reception uses it to find the right contact for a hand-over (searchable
 * by domain), and as coordination maintains it. Team mailboxes and desk numbers are preferred to
 * personal details.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { directoryMethods, type DirectoryEntry, type Partner } from '../../../../shared/api/methods/directory';
import { fieldMaxLength } from '../../../../shared/api/limits';
import { INSTITUTIONS, institutionLabel, type InstitutionCode } from '../../../../shared/reference/institutions';
import { domainLabel } from '../../../../shared/reference/taxonomy';
import { api, errorMessage } from '../../api/client';
import { ErrorSummary, tooLong, useFieldErrors } from '../../forms/errors';
import { useSession } from '../../session/SessionContext';
import { useDomains } from '../contacts/useDomains';

const institutionOptions = INSTITUTIONS.map((i) => ({ value: i.code, label: i.shortName }));

const entryParams = directoryMethods['directory.saveEntry'].params;
const ENTRY_FIELDS = {
  institution: 'Institution',
  kind: 'Type',
  name: 'Nom',
  role: 'Fonction',
  office: 'Bureau',
  extension: 'Poste téléphonique',
  mailbox: 'Messagerie',
  presence: 'Jours de présence',
  permanences: 'Permanences',
  domains: 'Domaines traités',
  active: 'Active',
};
type EntryText = 'name' | 'role' | 'office' | 'extension' | 'mailbox' | 'presence' | 'permanences';
const ENTRY_MAX = Object.fromEntries((['name', 'role', 'office', 'extension', 'mailbox', 'presence', 'permanences'] as const).map((k) => [k, fieldMaxLength(entryParams, k)])) as Record<EntryText, number>;

const partnerParams = directoryMethods['directory.savePartner'].params;
const PARTNER_FIELDS = {
  code: 'Code',
  name: 'Nom',
  domains: 'Domaines',
  address: 'Adresse',
  phone: 'Téléphone',
  accessConditions: 'Conditions d’accès',
  prescriberRequired: 'Prescripteur requis',
  active: 'Actif',
};
type PartnerText = 'name' | 'address' | 'phone' | 'accessConditions';
const PARTNER_MAX = Object.fromEntries((['name', 'address', 'phone', 'accessConditions'] as const).map((k) => [k, fieldMaxLength(partnerParams, k)])) as Record<PartnerText, number>;

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
  const f = useFieldErrors('directory-entry', ENTRY_FIELDS);
  const set = (patch: Partial<DirectoryEntry>) => setV({ ...v, ...patch });
  const text = (k: EntryText) => ({
    value: v[k] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set({ [k]: e.currentTarget.value }),
    ...f.props(k, { value: v[k] ?? '', max: ENTRY_MAX[k] }),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lengths = Object.fromEntries((Object.keys(ENTRY_MAX) as EntryText[]).map((k) => [k, tooLong(v[k], ENTRY_MAX[k])]));
    if (!f.check({ ...lengths, name: (v.name ?? '').trim().length < 2 ? 'Nom requis (2 caractères au moins).' : lengths.name })) return;
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
      f.fail(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={v.id ? `Modifier ${v.name}` : 'Nouvelle entrée de l’annuaire'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            Préférez une messagerie d’équipe et un numéro de poste aux coordonnées personnelles.
          </Text>
          <ErrorSummary form={f} />
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
          <TextInput label="Nom" required data-autofocus {...text('name')} />
          <Group grow align="flex-start">
            <TextInput label="Fonction" {...text('role')} />
            <TextInput label="Bureau" {...text('office')} />
            <TextInput label="Poste téléphonique" {...text('extension')} />
          </Group>
          <TextInput label="Messagerie (d’équipe de préférence)" {...text('mailbox')} />
          <Group grow align="flex-start">
            <TextInput label="Jours de présence" placeholder="ex. lundi, jeudi matin" {...text('presence')} />
            <TextInput label="Permanences" {...text('permanences')} />
          </Group>
          <MultiSelect
            label="Domaines traités"
            data={domains.map((d) => ({ value: d.code, label: d.label }))}
            value={v.domains ?? []}
            onChange={(x) => set({ domains: x })}
            searchable
            placeholder="Tous"
            {...f.props('domains')}
          />
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
  const f = useFieldErrors('partner', PARTNER_FIELDS);
  const set = (patch: Partial<Partner>) => setV({ ...v, ...patch });
  const text = (k: PartnerText) => ({
    value: v[k] ?? '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set({ [k]: e.currentTarget.value }),
    ...f.props(k, { value: v[k] ?? '', max: PARTNER_MAX[k] }),
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lengths = Object.fromEntries((Object.keys(PARTNER_MAX) as PartnerText[]).map((k) => [k, tooLong(v[k], PARTNER_MAX[k])]));
    const ok = f.check({
      ...lengths,
      code: !/^[A-Z][A-Z0-9_]{1,39}$/.test(v.code ?? '') && 'Code : 2 à 40 caractères, majuscules, chiffres ou _ (ex. CPAM).',
      name: (v.name ?? '').trim().length < 2 ? 'Nom requis (2 caractères au moins).' : lengths.name,
    });
    if (!ok) return;
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
      f.fail(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={v.id ? `Modifier ${v.name}` : 'Nouveau partenaire'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorSummary form={f} />
          <Group grow align="flex-start">
            <TextInput
              label="Code"
              required
              value={v.code ?? ''}
              onChange={(e) => set({ code: e.currentTarget.value.toUpperCase() })}
              {...f.props('code', { description: 'Majuscules, ex. CPAM' })}
            />
            <TextInput label="Nom" required {...text('name')} />
          </Group>
          <MultiSelect label="Domaines" data={domains.map((d) => ({ value: d.code, label: d.label }))} value={v.domains ?? []} onChange={(x) => set({ domains: x })} searchable {...f.props('domains')} />
          <TextInput label="Adresse" {...text('address')} />
          <TextInput label="Téléphone" {...text('phone')} />
          <TextInput label="Conditions d’accès" {...text('accessConditions')} />
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
