/** devices.*: pairing the other desks and offices of the site with the LAN hub (administration). */
import { z } from 'zod';
import { defineMethod, zEmpty, zId, zIsoInstant, zOk } from '../define';

const zDevice = z.strictObject({
  id: z.string(),
  name: z.string(),
  pairedAt: zIsoInstant,
  lastSeenAt: zIsoInstant.nullable(),
  lastAddress: z.string().nullable(),
  revokedAt: zIsoInstant.nullable(),
});

export const devicesMethods = {
  'devices.list': defineMethod({
    summary: 'Les postes appairés avec le hub, et son mode réseau (TLS, empreinte du certificat).',
    permission: 'accounts.manage',
    params: zEmpty,
    result: z.strictObject({
      /** Null when the hub serves loopback only (no pairing needed). */
      lan: z.strictObject({ fingerprint: z.string(), urls: z.array(z.string()) }).nullable(),
      activeCodeExpiresAt: zIsoInstant.nullable(),
      devices: z.array(zDevice),
    }),
  }),
  'devices.pairingCode': defineMethod({
    summary: 'Un code d’appairage à usage unique (10 minutes) ; le précédent cesse de fonctionner.',
    permission: 'accounts.manage',
    params: zEmpty,
    result: z.strictObject({ code: z.string(), expiresAt: zIsoInstant, fingerprint: z.string().nullable() }),
  }),
  'devices.revoke': defineMethod({
    summary: 'Révoque un poste : il ne peut plus joindre le hub sans nouvel appairage.',
    permission: 'accounts.manage',
    params: z.strictObject({ id: zId }),
    result: zOk,
  }),
};
