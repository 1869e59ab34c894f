/**
 * Administration, « Assistance »: the versions in service and the support bundle, downloaded from
 * the built hub; the bundle names the version /health gives and holds no personal data (the demo
 * site's people, accounts and first names) nor any password.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { apiAs, DEMO, expectAccessible, signIn } from './helpers';

test.use({ viewport: { width: 1366, height: 768 } });

test('an administrator downloads the support bundle: versions, no personal data, no password', async ({ page, request }) => {
  const health = (await (await request.get('/health')).json()) as { version: string; commit: string | null };
  // Personal data of the day: a first name typed at an arrival by an agent.
  const agent = await apiAs(request, DEMO.agent);
  await agent('queue.add', { serviceCode: 'ACCUEIL', firstName: 'Anaïs-Bundle' });

  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Assistance' }).click();
  await expect(page.getByRole('heading', { name: 'Assistance', exact: true })).toBeVisible();
  await expect(page.getByTestId('support-version')).toContainText(health.version);
  await expectAccessible(page, 'Assistance');
  await page.screenshot({ path: 'test-results/support-page.png' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger le paquet d’assistance' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^accueil-esc-assistance-BLOSNE-\d{8}-\d{4}\.json$/);
  const text = readFileSync((await download.path())!, 'utf8');
  const bundle = JSON.parse(text) as { application: { version: string; commit: string | null }; site: { code: string }; database: { walCheckpointer: unknown; cipher: string } };
  expect(bundle.application).toMatchObject({ version: health.version, commit: health.commit });
  // The built hub runs its WAL checkpointer worker (its own bundled entry), and it never failed.
  expect(bundle.database.walCheckpointer).toMatchObject({ active: true, failures: 0 });
  expect(bundle.database.cipher).toBe('aegis-256');
  expect(bundle.site.code).toBe('BLOSNE');
  const demoNames = ['Anaïs-Bundle', 'Camille Martin', 'Yann Le Goff', 'Nadia Benali', 'Paul Riou', 'Sophie Durand', 'agent2', '"coord"'];
  const passwords = Object.values(DEMO).map((u) => u.password);
  for (const s of [...demoNames, ...passwords]) expect(text, s).not.toContain(s);

  // The À propos panel of the same page says the same version.
  await page.getByRole('button', { name: 'Mon compte' }).click();
  await page.getByRole('menuitem', { name: 'À propos' }).click();
  await expect(page.getByTestId('about-version')).toContainText(health.version);
});

test('the support bundle is not offered to other roles', async ({ page }) => {
  await signIn(page, DEMO.coord);
  await expect(page.getByRole('link', { name: 'Journal' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Assistance' })).toHaveCount(0);
});
