/** Backups from the administration screen: back up now, then restore that backup under the running hub. */
import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, signIn } from './helpers';

test('an administrator backs up, then restores the backup; everyone signs in again', async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Sauvegardes' }).click();
  await page.getByRole('button', { name: 'Sauvegarder maintenant' }).click();
  await expect(page.getByText(/Sauvegarde accueil-esc-\d{8}-\d{6}\.db créée et vérifiée/)).toBeVisible();
  const restore = page.getByRole('button', { name: /^Restaurer la sauvegarde du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/ }).first();
  await expect(restore).toBeVisible();
  await expectAccessible(page, 'Sauvegardes');
  page.once('dialog', (d) => void d.accept());
  await restore.click();
  await expect(page.getByText(/restaurée\. Reconnectez-vous\./)).toBeVisible();
  await expect(page.getByLabel('Identifiant')).toBeVisible({ timeout: 15_000 });
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByText('Sauvegarde restaurée').first()).toBeVisible();
});
