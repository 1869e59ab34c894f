/** Statistics, day closing and exports, as the site coordination uses them. */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO, desk, expectAccessible } from './helpers';

test('the coordination reviews today, fixes open tickets, closes the day (edits then refused) and reopens it with a reason', async ({ browser }) => {
  const coord = await desk(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Statistiques' }).click();
  await expect(coord.getByTestId('kpi-arrivals')).toBeVisible();
  await expectAccessible(coord, 'statistics today');

  await coord.getByRole('link', { name: 'Clôture des journées' }).click();
  await expect(coord.getByRole('heading', { name: 'Clôture de la journée' })).toBeVisible();
  await expectAccessible(coord, 'day review');
  // Every ticket still open today is fixed from the review screen.
  const items = coord.getByTestId('review-items');
  for (let i = 0; i < 40; i++) {
    const fix = items.getByRole('button', { name: /Parti·e sans être reçu·e|Terminer/ }).first();
    if ((await fix.count()) === 0) break;
    await fix.click();
    await coord.waitForTimeout(250);
  }
  await coord.getByLabel('Remarque sur la journée (facultatif)').fill('Journée de test, un agent absent');
  // Closing today asks first, saying what it does (desk.spec.ts covers the early closing and the banner).
  await coord.getByRole('button', { name: 'Clôturer la journée…' }).click();
  await expect(coord.getByTestId('close-today-counts')).toContainText('Personne n’attend dans la file.');
  await coord.getByTestId('close-today-dialog').getByRole('button', { name: 'Clôturer la journée', exact: true }).click();
  await expect(coord.getByTestId('closing-status')).toContainText('clôturée');

  const agent = await desk(browser, DEMO.agent);
  await agent.getByTestId('service-ACCUEIL').click();
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(agent.getByRole('alert')).toContainText('clôturée');

  await coord.getByRole('button', { name: 'Rouvrir la journée…' }).click();
  await coord.getByRole('dialog').getByLabel(/^Motif/).fill('Arrivées tardives à enregistrer');
  await coord.getByRole('dialog').getByRole('button', { name: 'Rouvrir' }).click();
  await expect(coord.getByTestId('closing-status')).toContainText('rouverte');
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(agent.getByTestId('issued-ticket')).toBeVisible();
});

test('a period report is shown with definitions and exported as CSV for French Excel', async ({ browser }) => {
  const coord = await desk(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Statistiques' }).click();
  await coord.getByRole('tab', { name: 'Rapports et exports' }).click();
  await coord.getByText('Trimestre', { exact: true }).click();
  await expect(coord.getByTestId('period-table')).toBeVisible();
  await expectAccessible(coord, 'period report');
  // The compared ranges are named: the quarter before, the same quarter a year earlier.
  await expect(coord.getByTestId('previous-range')).toHaveText(/^\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}$/);
  const arrivals = (await coord.getByTestId('row-arrivals').locator('td').nth(1).textContent())!.trim();

  const [download] = await Promise.all([coord.waitForEvent('download'), coord.getByRole('button', { name: 'Export CSV' }).click()]);
  const content = readFileSync((await download.path())!);
  expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = content.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('Site;Du;Au;Tableau;Ligne;Colonne;Valeur;Unité;Définition');
  const arrivalsLine = lines.find((l) => l.includes(';Synthèse;Arrivées à l’accueil;Valeur;'))!;
  // The screen groups thousands (« 4 528 »); the CSV keeps plain digits for Excel.
  expect(arrivalsLine.split(';')[6]).toBe(arrivals.replace(/\s/g, ''));
  expect(lines.some((l) => /;\d+,\d;minutes;/.test(l) || /;;minutes;/.test(l))).toBe(true);
});
