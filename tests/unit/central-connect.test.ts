/** The central address: TLS by default off loopback, verify-full checks chain and host name, no password in messages. */
import { describe, expect, it } from 'vitest';
import { clientConfig, describeTarget, parseCentralUrl, redact, toCentralError } from '../../src/main/central/connect';

describe('central address', () => {
  it('verify-full checks the certificate chain (with the given CA) and the host name', () => {
    const c = clientConfig({ url: 'postgres://esc_site_blosne:s3cret-pw@central.rennes.fr:5432/accueil_esc?sslmode=verify-full', ca: 'PEM' });
    expect(c).toMatchObject({ host: 'central.rennes.fr', port: 5432, user: 'esc_site_blosne', password: 's3cret-pw', database: 'accueil_esc' });
    expect(c.ssl).toEqual({ rejectUnauthorized: true, ca: 'PEM', servername: 'central.rennes.fr' });
    // The weaker modes exist only on this machine (loopback), e.g. a local tunnel.
    const ca = clientConfig({ url: 'postgres://u:p@localhost/db?sslmode=verify-ca' }).ssl as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
    expect(ca.rejectUnauthorized).toBe(true);
    expect(ca.checkServerIdentity()).toBeUndefined();
    expect(clientConfig({ url: 'postgres://u:p@127.0.0.1/db?sslmode=require' }).ssl).toEqual({ rejectUnauthorized: false });
  });

  it('refuses anything weaker than verify-full beyond loopback, with a French message that says what to write', () => {
    for (const mode of ['disable', 'require', 'verify-ca']) {
      expect(() => parseCentralUrl(`postgres://u:p@central.rennes.fr/db?sslmode=${mode}`)).toThrow(
        new RegExp(`sslmode=${mode} refusé pour le serveur central central\\.rennes\\.fr : hors de cette machine, seul sslmode=verify-full`),
      );
      expect(() => parseCentralUrl(`postgres://u:p@10.0.0.5/db?sslmode=${mode}`)).toThrow(/seul sslmode=verify-full/);
    }
    expect(parseCentralUrl('postgres://u:p@central.rennes.fr/db?sslmode=verify-full').sslmode).toBe('verify-full');
    expect(parseCentralUrl('postgres://u:p@[::1]/db?sslmode=require').sslmode).toBe('require');
  });

  it('refuses an unencrypted connection beyond loopback, and bad addresses, in French', () => {
    expect(() => parseCentralUrl('postgres://u:p@central.rennes.fr/db')).toThrow(/doit être chiffrée : ajoutez \?sslmode=verify-full/);
    expect(parseCentralUrl('postgres://u:p@127.0.0.1:5433/db').sslmode).toBe('disable');
    expect(() => parseCentralUrl('http://u:p@h/db')).toThrow(/postgres:\/\//);
    expect(() => parseCentralUrl('postgres://h/db?sslmode=verify-full')).toThrow(/l’utilisateur/);
    expect(() => parseCentralUrl('postgres://u:p@h/db?sslmode=prefer')).toThrow(/non pris en charge/);
    expect(() => parseCentralUrl('pas une adresse')).toThrow(/illisible/);
  });

  it('never shows the password', () => {
    const url = 'postgres://esc_site_iff:Very-Secret-42@central.rennes.fr/accueil_esc?sslmode=verify-full';
    expect(redact(url)).not.toContain('Very-Secret-42');
    expect(describeTarget(url)).toBe('central.rennes.fr:5432/accueil_esc (esc_site_iff, TLS verify-full)');
    const err = toCentralError(Object.assign(new Error('password authentication failed for Very-Secret-42'), { code: '28P01' }), url);
    expect(err.message).toMatch(/Identifiants refusés/);
    expect(toCentralError(new Error('boom Very-Secret-42'), url).message).not.toContain('Very-Secret-42');
    expect(toCentralError(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })).message).toMatch(/Certificat du serveur central refusé/);
  });
});
