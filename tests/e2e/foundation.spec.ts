/** Foundation: sign-in, accounts administration, roles, sign-out, accessibility. */
import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, signIn } from './helpers';

test('a wrong password is refused with a clear French message', async ({ page }) => {
  await page.goto('/');
  await expectAccessible(page, 'sign-in page');
  await page.getByLabel('Identifiant').fill('admin');
  await page.getByLabel(/^Mot de passe/).fill('pas-le-bon-mot');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Identifiant ou mot de passe incorrect.');
});

test('an administrator creates an agent, who signs in, chooses a password, and cannot manage accounts', async ({ page, browser }) => {
  const login = `agent.e2e${Date.now() % 100000}`;
  await signIn(page, DEMO.admin);
  await page.getByRole('link', { name: 'Comptes' }).click();
  await expect(page.getByRole('heading', { name: 'Comptes du site' })).toBeVisible();
  await expectAccessible(page, 'accounts page');

  await page.getByRole('button', { name: 'Nouveau compte' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nouveau compte' });
  await dialog.getByLabel('Nom affiché').fill('Agent de Test');
  await dialog.getByLabel('Identifiant').fill('X');
  await dialog.getByLabel('Mot de passe provisoire').fill('provisoire-tilleul-47');
  await expectAccessible(page, 'create account dialog');
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await expect(dialog.getByText(/3 à 40 caractères/).first()).toBeVisible();
  await expect(page.getByRole('table', { name: 'Comptes du site' })).not.toContainText('Agent de Test');

  await dialog.getByLabel('Identifiant').fill(login);
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await expect(page.getByRole('table', { name: 'Comptes du site' })).toContainText(login);
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();

  const other = await (await browser.newContext()).newPage();
  await other.goto('/');
  await other.getByLabel('Identifiant').fill(login);
  await other.getByLabel(/^Mot de passe/).fill('provisoire-tilleul-47');
  await other.getByRole('button', { name: 'Se connecter' }).click();
  await expect(other.getByRole('heading', { name: 'Choisissez votre mot de passe' })).toBeVisible();
  await expectAccessible(other, 'change password page');
  await other.getByLabel('Mot de passe provisoire').fill('provisoire-tilleul-47');
  await other.getByLabel(/^Nouveau mot de passe/).fill('mon-secret-a-moi');
  await other.getByLabel('Confirmez le nouveau mot de passe').fill('mon-secret-a-moi');
  await other.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(other.getByTestId('signed-in-name')).toHaveText('Agent de Test');
  await expect(other.getByRole('link', { name: 'File d’attente' })).toBeVisible();
  await expect(other.getByRole('link', { name: 'Comptes' })).toHaveCount(0);
  await expectAccessible(other, 'agent home');

  await other.goto('/comptes');
  await expect(other.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await other.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(other.getByRole('button', { name: 'Se connecter' })).toBeVisible();
});

test('the site page shows the opening hours', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.getByRole('link', { name: 'Site et horaires' }).click();
  await expect(page.getByRole('heading', { name: 'ESC Le Blosne' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText('08:30–12:30');
  await expectAccessible(page, 'site page');
});

test('on a shared desk an agent sets a PIN, locks the desk (nothing shown), unlocks with the PIN and switches back with it', async ({ page, browser }) => {
  await signIn(page, DEMO.agent2);
  await page.getByRole('button', { name: 'Mon compte' }).click();
  await page.getByRole('menuitem', { name: /code personnel/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Mon code personnel' });
  await dialog.getByLabel('Mot de passe actuel').fill(DEMO.agent2.password);
  await dialog.getByLabel('Nouveau code personnel').fill('2468');
  await dialog.getByLabel('Confirmez le code').fill('2468');
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(dialog).toHaveCount(0);

  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await expect(page.getByRole('heading', { name: 'Poste verrouillé' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Nouvelle arrivée' })).toHaveCount(0);
  await expectAccessible(page, 'lock screen');
  await page.getByLabel('Code personnel').fill('1111');
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Code personnel incorrect' })).toBeVisible();
  await page.getByLabel('Code personnel').fill('2468');
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByRole('heading', { name: 'Nouvelle arrivée' })).toBeVisible();

  const other = await (await browser.newContext()).newPage();
  await other.goto('/');
  await other.getByText('Avec code personnel', { exact: true }).click();
  await other.getByLabel('Identifiant').fill(DEMO.agent2.login);
  await other.getByLabel(/^Code personnel/).fill('2468');
  await other.getByRole('button', { name: 'Se connecter' }).click();
  await expect(other.getByTestId('signed-in-name')).toHaveText('Yann Le Goff');
});
