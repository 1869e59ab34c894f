/** The recovery key reopens a base whose wrapped key is lost; bad keys get clear French errors. */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTestSite, rpcRaw } from '../fixtures/site';
import { openWithRecoveryKey, RecoveryError } from '../../src/main/store/recovery';
import { formatRecoveryKey } from '../../src/main/cli/keys';

describe('recovery key', () => {
  it('reopens the base from the key as written down, refuses a wrong or mistyped one', async () => {
    const site = await createTestSite('CENTRE');
    const file = site.file;
    const key = site.keyHex;
    const conn = { token: null };
    expect(await rpcRaw(site.app, conn, 'recovery.unlock', { key: formatRecoveryKey(key) })).toMatchObject({ error: { message: expect.stringMatching(/déjà ouverte/) } });
    site.store.close();
    try {
      expect(() => openWithRecoveryKey(file, 'ABCD-1234')).toThrow(RecoveryError);
      expect(() => openWithRecoveryKey(file, 'ABCD-1234')).toThrow(/64 caractères/);
      expect(() => openWithRecoveryKey(file, formatRecoveryKey(randomBytes(32).toString('hex')))).toThrow(/n’ouvre pas la base de ce poste/);
      const written = formatRecoveryKey(key).toLowerCase().replace(/-/g, ' ');
      const { store, keyHex } = openWithRecoveryKey(file, written);
      expect(keyHex).toBe(key);
      expect(store.sqlite.prepare("SELECT value FROM meta WHERE key = 'site_code'").get()).toEqual({ value: 'CENTRE' });
      store.close();
    } finally {
      site.store = { ...site.store, close: () => undefined };
      site.close();
    }
  });
});
