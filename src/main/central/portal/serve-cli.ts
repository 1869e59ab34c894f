/**
 * `npm run central -- serve [--url OWNER_URL] [--host 127.0.0.1] [--port 8443] [--cert cert.pem --key key.pem] [--seuil 5]`
 * starts the portal; `npm run central -- portal-account --login L --role apras|gtesc|it --name "Nom"`
 * creates an account (or resets its password), the password from ESC_PORTAL_PASSWORD or typed.
 *
 * At each start the portal's two database roles get fresh passwords (SCRAM verifiers, never
 * printed, kept in memory), so the portal holds no stored database secret; the owner address is
 * used only for that.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { clientConfig, redact } from '../connect';
import { enrollPortal } from '../admin';
import { generateHubCertificate, localNames } from '../../hub/tls';
import { CliError, flagString, requireFlag, type ParsedArgs } from '../../cli/args';
import { promptHidden } from '../../cli/prompt';
import { upsertPortalAccount } from './accounts';
import { PortalServer } from './server';

export async function serveCommand(args: ParsedArgs, ownerUrl: (a: ParsedArgs) => string): Promise<void> {
  const owner = ownerUrl(args);
  const host = flagString(args, 'host') ?? '127.0.0.1';
  const port = Number(flagString(args, 'port') ?? 8443);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CliError('--port doit être un numéro de port valide.');
  const seuil = Number(flagString(args, 'seuil') ?? 5);
  if (!Number.isInteger(seuil) || seuil < 2 || seuil > 50) throw new CliError('--seuil attend un entier entre 2 et 50.');
  const certFile = flagString(args, 'cert');
  const keyFile = flagString(args, 'key');
  if ((certFile && !keyFile) || (!certFile && keyFile)) throw new CliError('Donnez --cert et --key ensemble (fichiers PEM).');
  let tls: { cert: string; key: string };
  let selfSigned = false;
  if (certFile && keyFile) {
    tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } else {
    const names = localNames();
    tls = await generateHubCertificate('Portail inter-ESC', { dns: [...names.dns], ips: [...new Set([...names.ips, host])] });
    selfSigned = true;
  }
  const urls = await enrollPortal({ url: owner });
  const pool = (url: string, name: string) => {
    const p = new pg.Pool({ ...clientConfig({ url }, name), max: 4 });
    p.on('error', () => undefined);
    return p;
  };
  const portalDb = pool(urls.portalUrl, 'accueil-esc-portail');
  const dataDb = pool(urls.dataUrl, 'accueil-esc-portail-donnees');
  const server = new PortalServer({ host, port, tls, portalDb, dataDb, threshold: seuil });
  const address = await server.listen();
  process.stdout.write(
    `Portail inter-ESC démarré : ${address}\n` +
      `Base centrale : ${redact(owner).replace(/:\*\*\*@/, '@')} (chiffres lus avec un rôle limité aux agrégats mensuels).\n` +
      (selfSigned ? 'Certificat auto-signé généré pour ce démarrage : en production, donnez --cert et --key (certificat de la Ville).\n' : '') +
      'Comptes : npm run central -- portal-account --login IDENTIFIANT --role apras|gtesc|it --name "Nom Prénom"\n' +
      'Ctrl+C arrête le portail.\n',
  );
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(() => Promise.all([portalDb.end(), dataDb.end()])).then(() => done(), () => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function portalAccountCommand(args: ParsedArgs, ownerUrl: (a: ParsedArgs) => string): Promise<void> {
  const login = requireFlag(args, 'login');
  const role = requireFlag(args, 'role');
  const name = flagString(args, 'name') ?? login;
  const password = process.env.ESC_PORTAL_PASSWORD ?? (await promptHidden('Mot de passe du compte (10 caractères au moins) : '));
  const client = new pg.Client(clientConfig({ url: ownerUrl(args) }, 'accueil-esc-portail-comptes'));
  await client.connect();
  try {
    const r = await upsertPortalAccount(client, { login, displayName: name, role: role as 'apras', password });
    process.stdout.write(`Compte du portail ${r.created ? 'créé' : 'mis à jour (mot de passe changé, débloqué)'} : ${r.account.login} (${r.account.role}).\n`);
  } catch (err) {
    const issues = (err as { issues?: { message: string }[] }).issues;
    if (issues) throw new CliError(issues.map((i) => i.message).join(' '));
    throw err;
  } finally {
    await client.end();
  }
}
