/**
 * The sync page of the coordination: status, "Synchroniser maintenant" with its outcome, against
 * the development central PostgreSQL the test hub was started with.
 */
import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, signIn } from './helpers';

test('a coordinator sees what waits, syncs now, and everything is sent', async ({ page }) => {
  await signIn(page, DEMO.coord);
  await page.getByRole('link', { name: 'Synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'Synchronisation', level: 1 })).toBeVisible();
  await expect(page.getByText(/127\.0\.0\.1:\d+\/accueil_esc/)).toBeVisible();
  await expect(page.getByText('Ce qui quitte le site')).toBeVisible();
  await expectAccessible(page, 'page Synchronisation');
  await page.getByRole('button', { name: 'Synchroniser maintenant' }).click();
  await expect(page.getByText(/Synchronisation réussie : [\d\s]+lignes? envoyées?/)).toBeVisible();
  await expect(page.getByText('Tout est envoyé.')).toBeVisible();
  await expect(page.getByText('Jamais')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/sync-page.png', fullPage: true });
});

test('reception agents do not see the sync page', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await expect(page.getByRole('link', { name: 'File d’attente' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Synchronisation' })).toHaveCount(0);
});

test('the administration sees the central address form; a bad address gets a French error and changes nothing', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'Serveur central (administration)' })).toBeVisible();
  await page.getByLabel('Adresse du serveur central').fill('postgres://esc_site_blosne:secret@central.rennes.fr/accueil_esc');
  await page.getByRole('button', { name: 'Enregistrer et tester' }).click();
  await expect(page.getByText(/doit être chiffrée : ajoutez \?sslmode=verify-full/).first()).toBeVisible();
  // Still the configured server of the test hub.
  await expect(page.getByText(/127\.0\.0\.1:\d+\/accueil_esc/)).toBeVisible();
  await expectAccessible(page, 'Synchronisation (administration)');
});
