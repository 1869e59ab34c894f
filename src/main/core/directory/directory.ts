/**
 * The site directory: who, in each institution on site, can receive a person (prefer team
 * mailboxes and desk numbers to personal details), and the external partners reception orients to.
 */
import { AppError } from '../../../shared/api/errors';
import type { DirectoryEntry, Partner } from '../../../shared/api/methods/directory';
import type { InstitutionCode } from '../../../shared/reference/institutions';
import { uuidv7 } from '../../store/ids';
import { diffRows, recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';
import { assertActiveDomains } from '../taxonomy/taxonomy';

interface EntryRow {
  id: string;
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
  version: number;
}

interface PartnerRow {
  id: string;
  code: string;
  name: string;
  domains: string;
  address: string | null;
  phone: string | null;
  accessConditions: string | null;
  prescriberRequired: number;
  active: number;
  version: number;
}

const ENTRY_SELECT = `SELECT id, institution, kind, name, role, office, extension, mailbox, presence, permanences, domains,
  account_id AS accountId, active, version FROM directory_entries WHERE deleted_at IS NULL`;
const PARTNER_SELECT = `SELECT id, code, name, domains, address, phone, access_conditions AS accessConditions,
  prescriber_required AS prescriberRequired, active, version FROM partners WHERE deleted_at IS NULL`;

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
  const entries = (ctx.store.sqlite.prepare(`${ENTRY_SELECT} ORDER BY institution, kind DESC, name`).all() as EntryRow[])
    .map(toEntry)
    .filter((e) => f.includeInactive || e.active)
    .filter((e) => !f.institution || e.institution === f.institution)
    .filter((e) => !f.domain || e.domains.length === 0 || e.domains.includes(f.domain))
    .filter((e) => matches([e.name, e.role, e.office, e.permanences], f.query));
  const partners = (ctx.store.sqlite.prepare(`${PARTNER_SELECT} ORDER BY name`).all() as PartnerRow[])
    .map(toPartner)
    .filter((p) => f.includeInactive || p.active)
    .filter((p) => !f.domain || p.domains.includes(f.domain))
    .filter((p) => matches([p.name, p.accessConditions, p.address], f.query));
  return { entries, partners };
}

export function getDirectoryEntry(ctx: CoreContext, id: string): DirectoryEntry {
  const row = ctx.store.sqlite.prepare(`${ENTRY_SELECT} AND id = ?`).get(id) as EntryRow | undefined;
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
    const acc = ctx.store.sqlite.prepare('SELECT institution FROM accounts WHERE id = ?').get(input.accountId) as { institution: string | null } | undefined;
    if (!acc) throw new AppError('VALIDATION', 'Compte introuvable.', [{ path: 'accountId', message: 'Compte introuvable.' }]);
  }
  const now = nowIso(ctx);
  const saved = ctx.store.sqlite.transaction(() => {
    const values = [
      input.institution,
      input.kind,
      input.name,
      input.role ?? null,
      input.office ?? null,
      input.extension ?? null,
      input.mailbox ?? null,
      input.presence ?? null,
      input.permanences ?? null,
      JSON.stringify(input.domains ?? []),
      input.accountId ?? null,
      input.active === false ? 0 : 1,
    ];
    if (input.id) {
      const before = getDirectoryEntry(ctx, input.id);
      if (input.version !== undefined && input.version !== before.version) throw new AppError('CONFLICT');
      ctx.store.sqlite
        .prepare(
          `UPDATE directory_entries SET institution = ?, kind = ?, name = ?, role = ?, office = ?, extension = ?, mailbox = ?, presence = ?,
             permanences = ?, domains = ?, account_id = ?, active = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(...values, now, input.id);
      const after = getDirectoryEntry(ctx, input.id);
      recordAudit(ctx, { actor, action: 'directory.update', entity: 'directory_entry', entityId: input.id, diff: diffRows(before, after) });
      return after;
    }
    const id = uuidv7(ctx.clock.now().getTime());
    ctx.store.sqlite
      .prepare(
        `INSERT INTO directory_entries (institution, kind, name, role, office, extension, mailbox, presence, permanences, domains, account_id, active,
           id, site_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...values, id, ctx.site.code, now);
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
  const row = ctx.store.sqlite.prepare(`${PARTNER_SELECT} AND id = ?`).get(id) as PartnerRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', 'Ce partenaire est introuvable.');
  return toPartner(row);
}

export function savePartner(ctx: CoreContext, actor: Actor, input: PartnerInput): Partner {
  if (input.domains) assertActiveDomains(ctx, input.domains);
  const now = nowIso(ctx);
  return ctx.store.sqlite.transaction(() => {
    const clash = ctx.store.sqlite.prepare('SELECT id FROM partners WHERE code = ?').get(input.code) as { id: string } | undefined;
    if (clash && clash.id !== input.id) {
      throw new AppError('CONFLICT', `Le code partenaire ${input.code} est déjà utilisé.`, [{ path: 'code', message: 'Code déjà utilisé.' }]);
    }
    const values = [
      input.code,
      input.name,
      JSON.stringify(input.domains ?? []),
      input.address ?? null,
      input.phone ?? null,
      input.accessConditions ?? null,
      input.prescriberRequired ? 1 : 0,
      input.active === false ? 0 : 1,
    ];
    if (input.id) {
      const before = getPartner(ctx, input.id);
      if (input.version !== undefined && input.version !== before.version) throw new AppError('CONFLICT');
      ctx.store.sqlite
        .prepare(
          `UPDATE partners SET code = ?, name = ?, domains = ?, address = ?, phone = ?, access_conditions = ?, prescriber_required = ?, active = ?,
             updated_at = ?, version = version + 1 WHERE id = ?`,
        )
        .run(...values, now, input.id);
      const after = getPartner(ctx, input.id);
      recordAudit(ctx, { actor, action: 'partner.update', entity: 'partner', entityId: input.id, diff: diffRows(before, after) });
      return after;
    }
    const id = uuidv7(ctx.clock.now().getTime());
    ctx.store.sqlite
      .prepare(
        `INSERT INTO partners (code, name, domains, address, phone, access_conditions, prescriber_required, active, id, site_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...values, id, ctx.site.code, now);
    const created = getPartner(ctx, id);
    recordAudit(ctx, { actor, action: 'partner.create', entity: 'partner', entityId: id, diff: diffRows(null, created) });
    return created;
  })();
}
