/** Administration of the site's accounts: list, create, edit role/institution, disable, reset password. */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Account } from '../../../shared/api/methods/accounts';
import { ROLES, ROLE_LABELS_FR, type Role } from '../../../shared/permissions';
import { INSTITUTIONS, institutionLabel, type InstitutionCode } from '../../../shared/reference/institutions';
import { formatDateTimeFr } from '../../../shared/time/paris';
import { PASSWORD_GUIDANCE_FR } from '../../../shared/accounts/secrets';
import { api, errorMessage, RpcError } from '../api/client';
import { ErrorSummary, tooLong, useFieldErrors, type Check, type FieldErrors } from '../forms/errors';

const DISPLAY_NAME_MAX = 80;
const ACCOUNT_FIELDS = { displayName: 'Nom affiché', login: 'Identifiant', role: 'Rôle', institution: 'Institution', password: 'Mot de passe provisoire', disabled: 'Compte désactivé' };
import { useSession } from '../session/SessionContext';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS_FR[r] }));
const institutionOptions = INSTITUTIONS.map((i) => ({ value: i.code, label: i.shortName }));

/** What the create and edit dialogs both set: who the account is and what it may do. */
interface Profile {
  displayName: string;
  role: Role;
  institution: InstitutionCode | null;
}

/** The checks of a profile, worded for the field they concern (false/undefined = fine). */
function profileErrors(p: Profile): Record<'displayName' | 'institution', Check> {
  return {
    displayName: p.displayName.trim().length < 2 ? 'Le nom affiché doit contenir au moins 2 caractères.' : tooLong(p.displayName, DISPLAY_NAME_MAX),
    institution: p.role === 'professionnel' && !p.institution && 'Choisissez l’institution de ce professionnel.',
  };
}

/** Name, role and institution fields; `afterName` sits between the name and the role. */
function ProfileFields({ form, value, onChange, afterName }: { form: FieldErrors<keyof typeof ACCOUNT_FIELDS>; value: Profile; onChange: (p: Profile) => void; afterName?: ReactNode }) {
  const professional = value.role === 'professionnel';
  return (
    <>
      <TextInput
        label="Nom affiché"
        required
        value={value.displayName}
        onChange={(e) => onChange({ ...value, displayName: e.currentTarget.value })}
        data-autofocus
        {...form.props('displayName', { value: value.displayName, max: DISPLAY_NAME_MAX })}
      />
      {afterName}
      <Select label="Rôle" required data={roleOptions} value={value.role} allowDeselect={false} onChange={(v) => v && onChange({ ...value, role: v as Role })} {...form.props('role')} />
      <Select
        label="Institution"
        data={institutionOptions}
        value={value.institution}
        clearable
        required={professional}
        onChange={(v) => onChange({ ...value, institution: v as InstitutionCode | null })}
        {...form.props('institution', { description: professional ? 'Obligatoire pour un·e professionnel·le' : 'Facultatif' })}
      />
    </>
  );
}

export function AccountsPage() {
  const { me } = useSession();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Account | null>(null);
  const [resetting, setResetting] = useState<Account | null>(null);

  const load = useCallback(async () => {
    try {
      setAccounts((await api.call('accounts.list', { includeDisabled: true })).accounts);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void load();
    return api.on('accounts.changed', () => void load());
  }, [load]);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Comptes du site
        </Title>
        <Button onClick={() => setCreating(true)}>Nouveau compte</Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {accounts && (
        <Table striped highlightOnHover aria-label="Comptes du site">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Nom</Table.Th>
              <Table.Th scope="col">Identifiant</Table.Th>
              <Table.Th scope="col">Rôle</Table.Th>
              <Table.Th scope="col">Institution</Table.Th>
              <Table.Th scope="col">État</Table.Th>
              <Table.Th scope="col">Dernière connexion</Table.Th>
              <Table.Th scope="col">
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.displayName}</Table.Td>
                <Table.Td>
                  <code>{a.login}</code>
                </Table.Td>
                <Table.Td>{ROLE_LABELS_FR[a.role]}</Table.Td>
                <Table.Td>{a.institution ? institutionLabel(a.institution) : '—'}</Table.Td>
                <Table.Td>
                  {a.disabled ? (
                    <Badge color="gray">Désactivé</Badge>
                  ) : a.mustChangePassword ? (
                    <Badge color="yellow" variant="light" c="dark">
                      Mot de passe provisoire
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light">
                      Actif
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{a.lastLoginAt ? formatDateTimeFr(new Date(a.lastLoginAt)) : 'Jamais'}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="light" onClick={() => setEditing(a)} aria-label={`Modifier le compte ${a.login}`}>
                      Modifier
                    </Button>
                    <Button size="xs" variant="subtle" onClick={() => setResetting(a)} aria-label={`Nouveau mot de passe pour ${a.login}`}>
                      Mot de passe
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <CreateAccountModal opened={creating} onClose={() => setCreating(false)} onDone={load} />
      {editing && <EditAccountModal account={editing} isSelf={editing.id === me?.accountId} onClose={() => setEditing(null)} onDone={load} />}
      {resetting && <ResetPasswordModal account={resetting} onClose={() => setResetting(null)} />}
    </Stack>
  );
}

function CreateAccountModal({ opened, onClose, onDone }: { opened: boolean; onClose: () => void; onDone: () => Promise<void> }) {
  const blank: Profile = { displayName: '', role: 'agent_accueil', institution: null };
  const [login, setLogin] = useState('');
  const [profile, setProfile] = useState<Profile>(blank);
  const [password, setPassword] = useState('');
  const f = useFieldErrors('new-account', ACCOUNT_FIELDS);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setLogin('');
    setProfile(blank);
    setPassword('');
    f.clear();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = f.check({
      ...profileErrors(profile),
      login: !/^[a-z0-9][a-z0-9._-]{2,39}$/.test(login.trim().toLowerCase()) && 'Identifiant : 3 à 40 caractères, lettres minuscules, chiffres, point, tiret ou souligné.',
      password: password.length < 10 && 'Le mot de passe doit contenir au moins 10 caractères.',
    });
    if (!ok) return;
    setBusy(true);
    try {
      const created = await api.call('accounts.create', { login, ...profile, password });
      notifications.show({ color: 'teal', message: `Compte « ${created.login} » créé. Transmettez-lui son mot de passe provisoire.` });
      reset();
      onClose();
      await onDone();
    } catch (err) {
      f.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Nouveau compte">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorSummary form={f} />
          <ProfileFields
            form={f}
            value={profile}
            onChange={setProfile}
            afterName={
              <TextInput
                label="Identifiant"
                required
                value={login}
                onChange={(e) => setLogin(e.currentTarget.value)}
                {...f.props('login', { description: 'Lettres minuscules, chiffres, point ou tiret (ex. : c.martin)' })}
              />
            }
          />
          <PasswordInput
            label="Mot de passe provisoire"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            {...f.props('password', { description: `${PASSWORD_GUIDANCE_FR} À changer à la première connexion.` })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={busy}>
              Créer le compte
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditAccountModal({ account, isSelf, onClose, onDone }: { account: Account; isSelf: boolean; onClose: () => void; onDone: () => Promise<void> }) {
  const [profile, setProfile] = useState<Profile>({ displayName: account.displayName, role: account.role, institution: account.institution });
  const [disabled, setDisabled] = useState(account.disabled);
  const f = useFieldErrors('edit-account', ACCOUNT_FIELDS);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = f.check(profileErrors(profile));
    if (!ok) return;
    setBusy(true);
    try {
      await api.call('accounts.update', { id: account.id, version: account.version, ...profile, disabled });
      notifications.show({ color: 'teal', message: `Compte « ${account.login} » enregistré.` });
      onClose();
      await onDone();
    } catch (err) {
      f.fail(err);
      if (err instanceof RpcError && err.code === 'CONFLICT') await onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Modifier le compte ${account.login}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorSummary form={f} />
          <ProfileFields form={f} value={profile} onChange={setProfile} />
          <Switch
            label="Compte désactivé (ne peut plus se connecter)"
            checked={disabled}
            disabled={isSelf}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />
          {isSelf && (
            <Text size="sm" c="dimmed">
              Vous ne pouvez pas désactiver votre propre compte.
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={busy}>
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ResetPasswordModal({ account, onClose }: { account: Account; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const f = useFieldErrors('reset-password', { password: 'Mot de passe provisoire' });
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!f.check({ password: password.length < 10 && 'Le mot de passe doit contenir au moins 10 caractères.' })) return;
    setBusy(true);
    try {
      await api.call('accounts.resetPassword', { id: account.id, password });
      notifications.show({ color: 'teal', message: `Mot de passe provisoire enregistré pour « ${account.login} ».` });
      onClose();
    } catch (err) {
      f.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={`Nouveau mot de passe pour ${account.login}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">Ses sessions ouvertes seront fermées ; il ou elle devra choisir un mot de passe personnel à la prochaine connexion.</Text>
          <ErrorSummary form={f} />
          <PasswordInput
            label="Mot de passe provisoire"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-autofocus
            {...f.props('password', { description: PASSWORD_GUIDANCE_FR })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Annuler
            </Button>
            <Button type="submit" loading={busy}>
              Enregistrer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
