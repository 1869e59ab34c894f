/**
 * Issue 13 in the UI: the guidance and refusals of weak secrets where they are chosen, the
 * journal as IT administrators see it (no content of queue or contact changes), and the erasure
 * reason chosen from a closed list. Screenshots at 1366×768 go to test-results/ for review.
 */
import { expect, test, type Page } from '@playwright/test';
import { apiAs, DEMO, expectAccessible, signIn } from './helpers';

test.use({ viewport: { width: 1366, height: 768 } });

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/security-${name}.png` });

test('the PIN dialog explains and refuses a trivial PIN as it is typed', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.getByRole('button', { name: 'Mon compte' }).click();
  await page.getByRole('menuitem', { name: /code personnel/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Mon code personnel' });
  await expect(dialog.getByText(/sans suite \(1234\)/)).toBeVisible();
  await dialog.getByLabel('Mot de passe actuel').fill(DEMO.agent.password);
  await dialog.getByLabel('Nouveau code personnel').fill('1234');
  await dialog.getByLabel('Confirmez le code').fill('1234');
  await expect(dialog.getByText(/Code personnel trop facile à deviner : suite de chiffres/)).toBeVisible();
  // Saving is refused, with the reason on the field, and the dialog stays open.
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(dialog.locator('[id$="-pin-error"]')).toContainText(/Code personnel trop facile à deviner/);
  await expect(dialog).toBeVisible();
  await expectAccessible(page, 'PIN dialog with a refused PIN');
  await shot(page, 'pin-dialog');
  await dialog.getByLabel('Nouveau code personnel').fill('5917');
  await dialog.getByLabel('Confirmez le code').fill('5917');
  await expect(dialog.getByText(/trop facile/)).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Enregistrer' })).toBeEnabled();
});

test('a weak password is refused with the reason under the field, at creation and at first sign-in', async ({ page, browser }) => {
  const login = `faible.e2e${Date.now() % 100000}`;
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Comptes' }).click();
  await page.getByRole('button', { name: 'Nouveau compte' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouveau compte' });
  await dialog.getByLabel('Nom affiché').fill('Camille Essai');
  await dialog.getByLabel('Identifiant').fill(login);
  await dialog.getByLabel('Mot de passe provisoire').fill('motdepasse123');
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  // The reason under the field (the form's summary at the top repeats it, with a link to the field).
  await expect(dialog.locator('[id$="-password-error"]')).toContainText(/^Mot de passe trop facile à deviner/);
  await expectAccessible(page, 'create account with a weak password');
  await shot(page, 'create-account');
  await dialog.getByLabel('Mot de passe provisoire').fill('provisoire-tilleul-47');
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await expect(page.getByRole('table', { name: 'Comptes du site' })).toContainText(login);

  const other = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await other.goto('/');
  await other.getByLabel('Identifiant').fill(login);
  await other.getByLabel(/^Mot de passe/).fill('provisoire-tilleul-47');
  await other.getByRole('button', { name: 'Se connecter' }).click();
  await other.getByLabel('Mot de passe provisoire').fill('provisoire-tilleul-47');
  await other.getByLabel(/^Nouveau mot de passe/).fill('azertyuiop');
  await other.getByLabel('Confirmez le nouveau mot de passe').fill('azertyuiop');
  await other.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(other.locator('[id$="-newPassword-error"]')).toContainText(/Mot de passe trop facile à deviner : les lignes droites de touches/);
  await expectAccessible(other, 'change password with a weak password');
  await shot(other, 'change-password');
});

test('the administrator’s journal says who did what and when, without the content of queue and contact changes', async ({ page, request }) => {
  const agent = await apiAs(request, DEMO.agent);
  await agent('contacts.log', { channel: 'telephone', domains: ['SANTE'], flags: ['situation_complexe'] });
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Journal' }).click();
  await expect(page.getByText(/le contenu des modifications de la file, des contacts/)).toBeVisible();
  const table = page.getByTestId('audit-table');
  const row = table.getByRole('row').filter({ hasText: 'Contact enregistré' }).first();
  await expect(row).toContainText('Contenu réservé aux rôles qui voient ces données');
  await expect(table).not.toContainText('situation_complexe');
  await expectAccessible(page, 'journal as administrator');
  await shot(page, 'journal-admin');
});

test('the coordination erases personal data giving a reason from a closed list', async ({ page, request }) => {
  const agent = await apiAs(request, DEMO.agent);
  await agent('queue.add', { serviceCode: 'ACCUEIL', firstName: 'Quatretemps' });
  await signIn(page, DEMO.coord);
  await page.getByRole('link', { name: 'Données personnelles' }).click();
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Quatretemps');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await page.getByRole('checkbox', { name: /Sélectionner : Arrivée/ }).first().check();
  await page.getByRole('combobox', { name: 'Motif de l’effacement' }).click();
  await page.getByRole('option', { name: /Demande de la personne/ }).click();
  await expectAccessible(page, 'privacy page with a reason chosen');
  await shot(page, 'privacy');
  await page.getByRole('button', { name: 'Effacer la sélection' }).click();
  await expect(page.getByText(/\d+\s+données? effacées?\. Les passages restent comptés\./)).toBeVisible();
});
