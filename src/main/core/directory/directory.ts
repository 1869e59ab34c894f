/**
 * The site directory: who, in each institution on site, can receive a person (prefer team
 * mailboxes and desk numbers to personal details), and the external partners reception orients to.
 */
import { AppError } from '../../../shared/api/errors';
import type { DirectoryEntry, Partner } from '../../../shared/api/methods/directory';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import { uuidv7 } from '../../store/ids';
import { accounts, directoryEntries, partners } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { assertActiveDomains } from '../taxonomy/taxonomy';

/** A directory entry as stored; its institution is one of the closed list the core writes. */
type EntryRow = Pick<
  Columns<typeof directoryEntries>,
  'id' | 'institution' | 'kind' | 'name' | 'role' | 'office' | 'extension' | 'mailbox' | 'presence' | 'permanences' | 'domains' | 'accountId' | 'active' | 'version'
> & { institution: InstitutionCode };

type PartnerRow = Pick<
  Columns<typeof partners>,
  'id' | 'code' | 'name' | 'domains' | 'address' | 'phone' | 'accessConditions' | 'prescriberRequired' | 'active' | 'version'
>;

const ENTRY_SELECT = `SELECT id, institution, kind, name, role, office, extension, mailbox, presence, permanences, domains,
  account_id AS accountId, active, version FROM directory_entries WHERE deleted_at IS NULL`;
const PARTNER_SELECT = `SELECT id, code, name, domains, address, phone, access_conditions AS accessConditions,
  prescriber_required AS prescriberRequired, active, version FROM partners WHERE deleted_at IS NULL`;

type Id = { id: string };
type NoParams = Record<string, never>;
type EntryValues = {
  institution: InstitutionCode;
  kind: 'team' | 'person';
  name: string;
  role: string | null;
  office: string | null;
  extension: string | null;
  mailbox: string | null;
  presence: string | null;
  permanences: string | null;
  domains: string;
  accountId: string | null;
  active: number;
  id: string;
  now: string;
};
type PartnerValues = {
  code: string;
  name: string;
  domains: string;
  address: string | null;
  phone: string | null;
  accessConditions: string | null;
  prescriberRequired: number;
  active: number;
  id: string;
  now: string;
};

const q = {
  entries: sql<NoParams, EntryRow>(`${ENTRY_SELECT} ORDER BY institution, kind DESC, name`),
  entry: sql<Id, EntryRow>(`${ENTRY_SELECT} AND id = @id`),
  updateEntry: sql<EntryValues>(
    `UPDATE directory_entries SET institution = @institution, kind = @kind, name = @name, role = @role, office = @office, extension = @extension,
       mailbox = @mailbox, presence = @presence, permanences = @permanences, domains = @domains, account_id = @accountId, active = @active,
       updated_at = @now, version = version + 1 WHERE id = @id`,
  ),
  insertEntry: sql<EntryValues & { siteId: string }>(
    `INSERT INTO directory_entries (institution, kind, name, role, office, extension, mailbox, presence, permanences, domains, account_id, active,
       id, site_id, updated_at) VALUES (@institution, @kind, @name, @role, @office, @extension, @mailbox, @presence, @permanences, @domains,
       @accountId, @active, @id, @siteId, @now)`,
  ),
  partners: sql<NoParams, PartnerRow>(`${PARTNER_SELECT} ORDER BY name`),
  partner: sql<Id, PartnerRow>(`${PARTNER_SELECT} AND id = @id`),
  partnerWithCode: sql<{ code: string }, Pick<Columns<typeof partners>, 'id'>>('SELECT id FROM partners WHERE code = @code'),
  updatePartner: sql<PartnerValues>(
    `UPDATE partners SET code = @code, name = @name, domains = @domains, address = @address, phone = @phone, access_conditions = @accessConditions,
       prescriber_required = @prescriberRequired, active = @active, updated_at = @now, version = version + 1 WHERE id = @id`,
  ),
  insertPartner: sql<PartnerValues & { siteId: string }>(
    `INSERT INTO partners (code, name, domains, address, phone, access_conditions, prescriber_required, active, id, site_id, updated_at)
     VALUES (@code, @name, @domains, @address, @phone, @accessConditions, @prescriberRequired, @active, @id, @siteId, @now)`,
  ),
  account: sql<Id, Pick<Columns<typeof accounts>, 'institution'>>('SELECT institution FROM accounts WHERE id = @id'),
};

const toEntry = (r: EntryRow): DirectoryEntry => ({ ...r, domains: JSON.parse(r.domains) as string[], active: r.active === 1 });
const toPartner = (r: PartnerRow): Partner => ({
  ...r,
  domains: JSON.parse(r.domains) as string[],
  prescriberRequired: r.prescriberRequired === 1,
  active: r.active === 1,
});

export interface DirectoryFilters {
  institution?: InstitutionCode | undefined;
  domain?: string | undefined;
  query?: string | undefined;
  includeInactive?: boolean | undefined;
}

function matches(text: (string | null)[], query: string | undefined): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return text.some((t) => t?.toLowerCase().includes(q));
}

export function listDirectory(ctx: CoreContext, f: DirectoryFilters): { entries: DirectoryEntry[]; partners: Partner[] } {
  const entries = q.entries
    .all(ctx.store, {})
    .map(toEntry)
    .filter((e) => f.includeInactive || e.active)
    .filter((e) => !f.institution || e.institution === f.institution)
    .filter((e) => !f.domain || e.domains.length === 0 || e.domains.includes(f.domain))
    .filter((e) => matches([e.name, e.role, e.office, e.permanences], f.query));
  const partners = q.partners
    .all(ctx.store, {})
    .map(toPartner)
    .filter((p) => f.includeInactive || p.active)
    .filter((p) => !f.domain || p.domains.includes(f.domain))
    .filter((p) => matches([p.name, p.accessConditions, p.address], f.query));
  return { entries, partners };
}

export function getDirectoryEntry(ctx: CoreContext, id: string): DirectoryEntry {
  const row = q.entry.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Cette entrée de l’annuaire est introuvable.');
  return toEntry(row);
}

export interface EntryInput {
  id?: string | undefined;
  version?: number | undefined;
  institution: InstitutionCode;
  kind: 'team' | 'person';
  name: string;
  role?: string | null | undefined;
  office?: string | null | undefined;
  extension?: string | null | undefined;
  mailbox?: string | null | undefined;
  presence?: string | null | undefined;
  permanences?: string | null | undefined;
  domains?: string[] | undefined;
  accountId?: string | null | undefined;
  active?: boolean | undefined;
}

export function saveDirectoryEntry(ctx: CoreContext, actor: Actor, input: EntryInput): DirectoryEntry {
  if (input.domains) assertActiveDomains(ctx, input.domains);
  if (input.accountId) {
    const acc = q.account.get(ctx.store, { id: input.accountId });
    if (!acc) throw new AppError('VALIDATION', 'Compte introuvable.', [{ path: 'accountId', message: 'Compte introuvable.' }]);
  }
  const now = nowIso(ctx);
  const saved = ctx.store.sqlite.transaction(() => {
    const values = {
      institution: input.institution,
      kind: input.kind,
      name: input.name,
      role: input.role ?? null,
      office: input.office ?? null,
      extension: input.extension ?? null,
      mailbox: input.mailbox ?? null,
      presence: input.presence ?? null,
      permanences: input.permanences ?? null,
      domains: JSON.stringify(input.domains ?? []),
      accountId: input.accountId ?? null,
      active: input.active === false ? 0 : 1,
      now,
    };
    if (input.id) {
      const before = getDirectoryEntry(ctx, input.id);
      if (input.version !== undefined && input.version !== before.version) throw new AppError('CONFLICT');
      q.updateEntry.run(ctx.store, { ...values, id: input.id });
      const after = getDirectoryEntry(ctx, input.id);
      recordAudit(ctx, { actor, action: 'directory.update', entity: 'directory_entry', entityId: input.id, diff: diffRows(before, after) });
      return after;
    }
    const id = uuidv7(ctx.clock.now().getTime());
    q.insertEntry.run(ctx.store, { ...values, id, siteId: ctx.site.code });
    const created = getDirectoryEntry(ctx, id);
    recordAudit(ctx, { actor, action: 'directory.create', entity: 'directory_entry', entityId: id, diff: diffRows(null, created) });
    return created;
  })();
  return saved;
}

export interface PartnerInput {
  id?: string | undefined;
  version?: number | undefined;
  code: string;
  name: string;
  domains?: string[] | undefined;
  address?: string | null | undefined;
  phone?: string | null | undefined;
  accessConditions?: string | null | undefined;
  prescriberRequired?: boolean | undefined;
  active?: boolean | undefined;
}

function getPartner(ctx: CoreContext, id: string): Partner {
  const row = q.partner.get(ctx.store, { id });
  if (!row) throw new AppError('NOT_FOUND', 'Ce partenaire est introuvable.');
  return toPartner(row);
}

export function savePartner(ctx: CoreContext, actor: Actor, input: PartnerInput): Partner {
  if (input.domains) assertActiveDomains(ctx, input.domains);
  const now = nowIso(ctx);
  return ctx.store.sqlite.transaction(() => {
    const clash = q.partnerWithCode.get(ctx.store, { code: input.code });
    if (clash && clash.id !== input.id) {
      throw new AppError('CONFLICT', `Le code partenaire ${input.code} est déjà utilisé.`, [{ path: 'code', message: 'Code déjà utilisé.' }]);
    }
    const values = {
      code: input.code,
      name: input.name,
      domains: JSON.stringify(input.domains ?? []),
      address: input.address ?? null,
      phone: input.phone ?? null,
      accessConditions: input.accessConditions ?? null,
      prescriberRequired: input.prescriberRequired ? 1 : 0,
      active: input.active === false ? 0 : 1,
      now,
    };
    if (input.id) {
      const before = getPartner(ctx, input.id);
      if (input.version !== undefined && input.version !== before.version) throw new AppError('CONFLICT');
      q.updatePartner.run(ctx.store, { ...values, id: input.id });
      const after = getPartner(ctx, input.id);
      recordAudit(ctx, { actor, action: 'partner.update', entity: 'partner', entityId: input.id, diff: diffRows(before, after) });
      return after;
    }
    const id = uuidv7(ctx.clock.now().getTime());
    q.insertPartner.run(ctx.store, { ...values, id, siteId: ctx.site.code });
    const created = getPartner(ctx, id);
    recordAudit(ctx, { actor, action: 'partner.create', entity: 'partner', entityId: id, diff: diffRows(null, created) });
    return created;
  })();
}
