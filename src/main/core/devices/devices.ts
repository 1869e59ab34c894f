/**
 * Device pairing for the LAN hub: the other desks and offices of a site reach the hub only once
 * paired. An administrator shows a one-time code on the hub (12 characters, 10 minutes, one use,
 * burnt after MAX_CODE_FAILURES wrong tries site-wide; the hub also limits the tries of each
 * machine, src/main/hub/pairing-tries.ts); the satellite proves it knows the code, and the hub gives it a
 * device token (kept hashed here) that the satellite presents on every request.
 *
 * Two proofs are accepted: the code itself (a browser, over the TLS connection whose certificate
 * fingerprint the person checked against the hub's screen), or HMAC-SHA256(key = SHA-256(code),
 * message = the certificate fingerprint the satellite saw) from a satellite that pins the
 * certificate: a man in the middle, whose certificate differs, cannot produce it.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import { uuidv7 } from '../../store/ids';
import type { devices, pairingCodes } from '../../store/schema';
import { sql, type Columns } from '../../store/sql';
import { recordAudit } from '../audit/audit';
import { nowIso, type Actor, type CoreContext } from '../context';

export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/**
 * Wrong tries, all machines together, that burn a code (decision 008). Each machine has 5 tries
 * (counted by the hub), so burning the code takes ten machines; 50 guesses of a 60-bit code
 * leave a chance of success below 1e-16.
 */
export const MAX_CODE_FAILURES = 50;
/** No 0/O, 1/I/L: read aloud and typed without doubt. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export interface Device {
  id: string;
  name: string;
  pairedAt: string;
  lastSeenAt: string | null;
  lastAddress: string | null;
  revokedAt: string | null;
}

type StoredDevice = Columns<typeof devices>;
type StoredCode = Columns<typeof pairingCodes>;
type DeviceRow = Pick<StoredDevice, 'id' | 'name' | 'pairedAt' | 'lastSeenAt' | 'lastAddress' | 'revokedAt'>;

const SELECT_DEVICE = 'SELECT id, name, paired_at AS pairedAt, last_seen_at AS lastSeenAt, last_address AS lastAddress, revoked_at AS revokedAt FROM devices';

const q = {
  retireCodes: sql<{ now: string }>('UPDATE pairing_codes SET used_at = @now WHERE used_at IS NULL'),
  insertCode: sql<Pick<StoredCode, 'codeHash' | 'createdAt' | 'expiresAt' | 'createdBy'>>(
    'INSERT INTO pairing_codes (code_hash, created_at, expires_at, created_by) VALUES (@codeHash, @createdAt, @expiresAt, @createdBy)',
  ),
  activeCodeId: sql<{ now: string }, Pick<StoredCode, 'expiresAt'> & { id: number }>(
    'SELECT rowid AS id, expires_at AS expiresAt FROM pairing_codes WHERE used_at IS NULL AND expires_at > @now ORDER BY created_at DESC, rowid DESC LIMIT 1',
  ),
  activeCode: sql<{ now: string }, Pick<StoredCode, 'codeHash' | 'failedAttempts'>>(
    'SELECT code_hash AS codeHash, failed_attempts AS failedAttempts FROM pairing_codes WHERE used_at IS NULL AND expires_at > @now ORDER BY created_at DESC LIMIT 1',
  ),
  codeFailed: sql<{ codeHash: string; failed: number; max: number; now: string }>(
    'UPDATE pairing_codes SET failed_attempts = @failed, used_at = CASE WHEN @failed >= @max THEN @now ELSE used_at END WHERE code_hash = @codeHash',
  ),
  useCode: sql<{ codeHash: string; now: string }>('UPDATE pairing_codes SET used_at = @now WHERE code_hash = @codeHash'),
  insertDevice: sql<Pick<StoredDevice, 'id' | 'name' | 'tokenHash' | 'pairedAt' | 'lastSeenAt' | 'lastAddress'>>(
    'INSERT INTO devices (id, name, token_hash, paired_at, last_seen_at, last_address) VALUES (@id, @name, @tokenHash, @pairedAt, @lastSeenAt, @lastAddress)',
  ),
  byToken: sql<{ tokenHash: string }, DeviceRow>(`${SELECT_DEVICE} WHERE token_hash = @tokenHash`),
  seen: sql<{ id: string; now: string; address: string }>('UPDATE devices SET last_seen_at = @now, last_address = @address WHERE id = @id'),
  list: sql<Record<string, never>, DeviceRow>(`${SELECT_DEVICE} ORDER BY revoked_at IS NOT NULL, name`),
  byId: sql<{ id: string }, Pick<StoredDevice, 'name' | 'revokedAt'>>('SELECT name, revoked_at AS revokedAt FROM devices WHERE id = @id'),
  revoke: sql<{ id: string; now: string }>('UPDATE devices SET revoked_at = @now WHERE id = @id'),
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Upper case, without spaces or dashes: what is compared. */
export function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** The proof a pinning satellite sends: HMAC(SHA-256(code), fingerprint). */
export function pairingProof(code: string, fingerprint: string): string {
  return createHmac('sha256', sha256(normaliseCode(code))).update(fingerprint.toUpperCase()).digest('hex');
}

/** A new one-time code; any earlier unused code stops working. */
export function createPairingCode(ctx: CoreContext, actor: Actor | null): { code: string; expiresAt: string } {
  const raw = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_TTL_MS).toISOString();
  ctx.store.sqlite.transaction(() => {
    q.retireCodes.run(ctx.store, { now: now.toISOString() });
    q.insertCode.run(ctx.store, { codeHash: sha256(raw), createdAt: now.toISOString(), expiresAt, createdBy: actor?.accountId ?? null });
    recordAudit(ctx, { actor, action: 'device.pairing_code', entity: 'device', entityId: null, diff: { expiresAt: { before: null, after: expiresAt } } });
  })();
  return { code, expiresAt };
}

/** The code in force, if any: when it expires, and an identifier (not the code) to count tries against. */
export function activePairingCode(ctx: CoreContext): { id: string; expiresAt: string } | null {
  const row = q.activeCodeId.get(ctx.store, { now: nowIso(ctx) });
  return row ? { id: String(row.id), expiresAt: row.expiresAt } : null;
}

export interface PairInput {
  name: string;
  /** The code typed by a person (browser satellites). */
  code?: string | undefined;
  /** HMAC proof over the fingerprint the satellite saw (pinning satellites). */
  proof?: string | undefined;
  /** Fingerprint of the hub's own certificate. */
  fingerprint: string;
  address: string;
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Pairs a device; returns its token (shown once, to the device). Errors are French. */
export function pairDevice(ctx: CoreContext, input: PairInput): { deviceId: string; token: string } {
  const name = input.name.trim();
  if (name.length < 2 || name.length > 60) {
    throw new AppError('VALIDATION', 'Donnez un nom au poste (2 à 60 caractères), par exemple « Bureau CDAS 2 ».', [{ path: 'name', message: 'Nom du poste attendu.' }]);
  }
  const now = nowIso(ctx);
  // A wrong code is counted (and committed) before the refusal is thrown.
  const outcome = ctx.store.sqlite.transaction((): { deviceId: string; token: string } | { error: 'none' | 'burnt' | 'wrong' } => {
    const active = q.activeCode.get(ctx.store, { now });
    if (!active) return { error: 'none' };
    const ok = input.proof
      ? equal(input.proof.toLowerCase(), createHmac('sha256', active.codeHash).update(input.fingerprint.toUpperCase()).digest('hex'))
      : input.code !== undefined && equal(sha256(normaliseCode(input.code)), active.codeHash);
    if (!ok) {
      const failed = active.failedAttempts + 1;
      q.codeFailed.run(ctx.store, { codeHash: active.codeHash, failed, max: MAX_CODE_FAILURES, now });
      recordAudit(ctx, { actor: null, action: 'device.pair_failed', entity: 'device', entityId: null, diff: { address: { before: null, after: input.address } } });
      return { error: failed >= MAX_CODE_FAILURES ? 'burnt' : 'wrong' };
    }
    q.useCode.run(ctx.store, { codeHash: active.codeHash, now });
    const token = randomBytes(32).toString('base64url');
    const deviceId = uuidv7(ctx.clock.now().getTime());
    q.insertDevice.run(ctx.store, { id: deviceId, name, tokenHash: sha256(token), pairedAt: now, lastSeenAt: now, lastAddress: input.address });
    recordAudit(ctx, { actor: null, action: 'device.pair', entity: 'device', entityId: deviceId, diff: { name: { before: null, after: name }, address: { before: null, after: input.address } } });
    return { deviceId, token };
  })();
  if ('error' in outcome) {
    if (outcome.error === 'none') throw new AppError('CONFLICT', 'Aucun code d’appairage valide : demandez-en un nouveau à l’administration du site (écran « Postes du site » du hub).');
    if (outcome.error === 'burnt') throw new AppError('CONFLICT', 'Code d’appairage erroné ; trop d’essais, il est annulé : demandez-en un nouveau.');
    throw new AppError('VALIDATION', 'Code d’appairage erroné (ou certificat du hub différent de celui affiché sur le hub).', [{ path: 'code', message: 'Code erroné.' }]);
  }
  return outcome;
}

/** The device a token belongs to, or null (unknown or revoked). Notes when and from where it was seen. */
export function resolveDevice(ctx: CoreContext, token: string, address: string): Device | null {
  const row = q.byToken.get(ctx.store, { tokenHash: sha256(token) });
  if (!row || row.revokedAt) return null;
  const now = ctx.clock.now();
  if (!row.lastSeenAt || now.getTime() - Date.parse(row.lastSeenAt) > 60_000 || row.lastAddress !== address) {
    q.seen.run(ctx.store, { id: row.id, now: now.toISOString(), address });
  }
  return row;
}

export function listDevices(ctx: CoreContext): Device[] {
  return q.list.all(ctx.store, {});
}

export function revokeDevice(ctx: CoreContext, actor: Actor, id: string): void {
  ctx.store.sqlite.transaction(() => {
    const row = q.byId.get(ctx.store, { id });
    if (!row) throw new AppError('NOT_FOUND', 'Poste inconnu.');
    if (row.revokedAt) throw new AppError('CONFLICT', `Le poste « ${row.name} » est déjà révoqué.`);
    q.revoke.run(ctx.store, { id, now: nowIso(ctx) });
    recordAudit(ctx, { actor, action: 'device.revoke', entity: 'device', entityId: id, diff: { name: { before: row.name, after: row.name } } });
  })();
}
