/** devices.* methods. */
import { activePairingCode, createPairingCode, listDevices, revokeDevice } from '../../core/devices/devices';
import { requireSession, type Handlers } from '../types';

export const devicesHandlers: Pick<Handlers, 'devices.list' | 'devices.pairingCode' | 'devices.revoke'> = {
  'devices.list': (_p, ctx) => ({
    lan: ctx.services.lan,
    activeCodeExpiresAt: activePairingCode(ctx.services.core)?.expiresAt ?? null,
    devices: listDevices(ctx.services.core),
  }),
  'devices.pairingCode': (_p, ctx) => ({ ...createPairingCode(ctx.services.core, requireSession(ctx)), fingerprint: ctx.services.lan?.fingerprint ?? null }),
  'devices.revoke': (p, ctx) => {
    revokeDevice(ctx.services.core, requireSession(ctx), p.id);
    return { ok: true as const };
  },
};
