/**
 * The central portal in Chromium: APRAS, GTESC and IT accounts sign in; the APRAS builds a
 * summary for the six seeded ESCs and exports it (XLSX, CSV, PDF) with the same numbers as the
 * screen; the GTESC reads the dashboard without exports; IT sees the sites' status. Every screen
 * is captured at 1366×768 (test-results/portal-*.png).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';

const PASSWORD = 'portail-e2e-2026';
const ACCOUNTS = { apras: 'analyste.apras', gtesc: 'membre.gtesc', it: 'technicien.dsi' } as const;
const ESC_NAMES = ['ESC Le Blosne', 'ESC Cleunay', 'ESC Aimé Césaire', 'ESC Simone Iff', 'ESC Centre', 'ESC Villejean'];

const previousMonth = () => {
  const now = new Date(new Date().toLocaleString('en-US', { timeZone: 'Europe/Paris' }));
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Connexion au portail inter-ESC' })).toBeVisible();
  await page.getByLabel('Identifiant').fill(login);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

async function accessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), what).toEqual([]);
}

test('an APRAS analyst builds the summary of the six ESCs and exports it with the same numbers', async ({ page }) => {
  await page.goto('/');
  await page.screenshot({ path: 'test-results/portal-connexion.png' });
  await accessible(page, 'connexion');
  await signIn(page, ACCOUNTS.apras);
  await expect(page.getByRole('heading', { name: 'Tableau de bord inter-ESC', level: 1 })).toBeVisible();
  await expect(page.getByText('Camille Analyste (APRAS) · Analyste APRAS')).toBeVisible();

  // The previous month (complete), all six ESCs.
  const month = previousMonth();
  await page.getByLabel('Type de période').selectOption('month');
  await page.getByLabel('Mois (ou premier mois)').selectOption(month);
  await page.getByRole('button', { name: 'Afficher la synthèse' }).click();
  const synth = page.locator('section', { has: page.getByRole('heading', { name: 'Synthèse par ESC' }) });
  for (const name of ESC_NAMES) await expect(synth.getByRole('rowheader', { name, exact: true })).toBeVisible();
  const totalRow = synth.getByRole('row', { name: /Total des ESC choisis/ });
  const totalPassages = (await totalRow.locator('td').first().innerText()).trim();
  // Thousands separated the French way (narrow no-break space), never a code.
  expect(totalPassages).toMatch(/^\d{1,3}(\u202f\d{3})+$/);
  await expect(page.getByText('Médiane au rang le plus proche (nearest rank)').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Couverture' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Passages de relais par institutions et issue' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: /^CCAS → / }).first()).toBeVisible();
  await expect(page.getByText(/ESC_|BLOSNE|sur_place/)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/portal-tableau.png' });
  await page.screenshot({ path: 'test-results/portal-tableau-complet.png', fullPage: true });
  await accessible(page, 'tableau de bord');

  // Export: the same total in the workbook, the CSV and the PDF. (Chromium blocks downloads
  // from a server whose certificate it does not trust, as with this test's self-signed one, so
  // each link is followed with the page's own session instead of the download bar.)
  const fetchExport = async (name: string) => {
    const link = page.getByRole('link', { name });
    await expect(link).toHaveAttribute('download', '');
    const res = await page.request.get((await link.getAttribute('href'))!);
    expect(res.status()).toBe(200);
    return { body: await res.body(), disposition: res.headers()['content-disposition'] ?? '' };
  };
  const xlsx = await fetchExport('Classeur Excel (.xlsx)');
  expect(xlsx.disposition).toBe(`attachment; filename="synthese-inter-esc-${month}.xlsx"`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['Synthèse par ESC', 'Couverture', 'Définitions']));
  let xlsxTotal: unknown = null;
  wb.getWorksheet('Synthèse par ESC')!.eachRow((row) => {
    if (row.getCell(1).value === 'Total des ESC choisis') xlsxTotal = row.getCell(2).value;
  });
  expect(xlsxTotal).toBe(Number(totalPassages.replace(/\u202f/g, '')));
  const csvText = (await fetchExport('CSV pour Excel')).body.toString('utf8');
  expect(csvText.startsWith('\uFEFFTableau;Ligne;Colonne;Valeur;')).toBe(true);
  expect(csvText).toContain(`Synthèse par ESC;Total des ESC choisis;Passages;${totalPassages.replace(/\u202f/g, '')};`);
  const pdf = await fetchExport('Rapport PDF (comité de pilotage)');
  expect(pdf.disposition).toBe(`attachment; filename="synthese-inter-esc-${month}.pdf"`);
  expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

  // A July–June year under way: figures up to the current month, flagged incomplete.
  await page.getByLabel('Type de période').selectOption('schoolYear');
  await page.getByLabel('Mois (ou premier mois)').selectOption(month);
  await page.getByRole('button', { name: 'Afficher la synthèse' }).click();
  await expect(page.getByRole('heading', { name: 'Tendances' })).toBeVisible();
  await expect(page.getByText(/^Période en cours : elle se termine en juin \d{4}/)).toBeVisible();
  await expect(page.getByText(/^Mois en cours incomplet/)).toBeVisible();
  await page.screenshot({ path: 'test-results/portal-annee-en-cours.png' });
  // A period in the future is refused in French.
  await page.goto(`/tableau?periode=custom&mois=${month}&fin=2099-12`);
  await expect(page.getByRole('alert')).toContainText('est dans le futur');
  await page.screenshot({ path: 'test-results/portal-periode-refusee.png' });
  // IT's status is readable by the APRAS too.
  await page.getByRole('link', { name: 'État des sites' }).click();
  await expect(page.getByRole('heading', { name: 'État des sites', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Aide et définitions' }).click();
  await expect(page.getByRole('heading', { name: 'Secret statistique' })).toBeVisible();
  await page.screenshot({ path: 'test-results/portal-aide.png' });
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('heading', { name: 'Connexion au portail inter-ESC' })).toBeVisible();
});

test('a GTESC member reads the dashboards but exports nothing and sees no site status', async ({ page }) => {
  await signIn(page, ACCOUNTS.gtesc);
  await expect(page.getByRole('heading', { name: 'Tableau de bord inter-ESC', level: 1 })).toBeVisible();
  await page.getByLabel('Type de période').selectOption('quarter');
  await page.getByRole('button', { name: 'Afficher la synthèse' }).click();
  await expect(page.getByRole('heading', { name: 'Synthèse par ESC' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Classeur Excel/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'État des sites' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/portal-gtesc.png' });
  await page.goto(`/export?format=xlsx&periode=month&mois=${previousMonth()}`);
  await expect(page.getByRole('alert')).toHaveText('Les exports sont réservés aux analystes de l’APRAS.');
  await page.goto('/sites');
  await expect(page.getByRole('alert')).toContainText('réservé au service informatique');
});

test('IT sees every site’s last contact, last rows, lateness and version, and no figures', async ({ page }) => {
  await signIn(page, ACCOUNTS.it);
  await expect(page.getByRole('heading', { name: 'État des sites', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Synchronisation des sites' });
  for (const name of ESC_NAMES) await expect(table.getByRole('rowheader', { name, exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Dernier contact' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Dernières lignes reçues' })).toBeVisible();
  await expect(table.getByRole('cell', { name: 'jamais' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/portal-sites.png' });
  await accessible(page, 'état des sites');
  await expect(page.getByRole('link', { name: 'Tableau de bord inter-ESC' })).toHaveCount(0);
  await page.goto('/tableau');
  await expect(page.getByRole('alert')).toHaveText('Le tableau de bord est réservé à l’APRAS et au GTESC.');
});

test('one message for every failed sign-in; five failures lock the account', async ({ page }) => {
  await signIn(page, 'personne.inconnue', 'mauvais-mot-de-passe');
  const message = 'Identifiant ou mot de passe incorrect, ou compte bloqué après plusieurs essais (15 minutes). En cas de doute, adressez-vous au service informatique.';
  await expect(page.getByRole('alert')).toHaveText(message);
  for (let i = 0; i < 5; i++) {
    await signIn(page, ACCOUNTS.gtesc, 'mauvais-mot-de-passe');
    await expect(page.getByRole('alert')).toHaveText(message);
  }
  await page.screenshot({ path: 'test-results/portal-connexion-refusee.png' });
  // Locked: even the right password is refused, with the same message.
  await signIn(page, ACCOUNTS.gtesc);
  await expect(page.getByRole('alert')).toHaveText(message);
});
