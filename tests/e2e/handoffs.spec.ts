/** Warm hand-overs between the reception desk and the CDAS and CAF offices. */
import { expect, test, type Page } from '@playwright/test';
import { apiAs, DEMO, desk, expectAccessible } from './helpers';

async function newArrival(agent: Page, service: string, firstName = ''): Promise<string> {
  await agent.getByRole('link', { name: 'File d’attente' }).click();
  await agent.getByTestId(`service-${service}`).click();
  if (firstName) await agent.getByLabel('Prénom ou initiales (facultatif)').fill(firstName);
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  return (await agent.getByTestId('issued-ticket-number').textContent())!.trim();
}

async function handOver(agent: Page, ticket: string, to: string, options: { consentName?: string; domain?: string }) {
  await agent.getByRole('button', { name: `Autres actions pour ${ticket}` }).click();
  await agent.getByRole('menuitem', { name: 'Passage de relais…' }).click();
  const form = agent.getByRole('dialog', { name: `Passage de relais – ticket ${ticket}` });
  await form.getByRole('combobox', { name: /^Vers/ }).click();
  await agent.getByRole('option', { name: to, exact: true }).click();
  await form.getByText(options.domain ?? 'Logement (accès, maintien, charges)', { exact: true }).click();
  await form.getByRole('radio', { name: 'Accompagnée au bureau maintenant' }).click();
  if (options.consentName) {
    await form.getByLabel(/La personne accepte/).check();
    await form.getByRole('checkbox', { name: 'Nom' }).check();
    await form.getByRole('textbox', { name: 'Nom', exact: true }).fill(options.consentName);
  }
  await expectAccessible(agent, 'hand-over form');
  await form.getByRole('button', { name: 'Envoyer le passage de relais' }).click();
  await expect(form).toHaveCount(0);
}

test('a hand-over with consent reaches the CDAS inbox live, is taken in charge, and the sender sees it without reload', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const office = await desk(browser, DEMO.cdas);
  await office.getByRole('link', { name: 'Passages de relais' }).click();
  await expectAccessible(office, 'hand-over inbox');
  const ticket = await newArrival(agent, 'ACCUEIL', 'Inès');
  await handOver(agent, ticket, 'CDAS', { consentName: 'Inès B.' });

  const card = office.getByRole('article').or(office.locator('[data-testid^="handoff-"]')).filter({ hasText: `ticket ${ticket}` });
  await expect(card).toBeVisible();
  await expect(card).not.toContainText('Inès B.');
  await card.getByRole('button', { name: 'Voir les informations transmises' }).click();
  await expect(card.getByTestId('handoff-details')).toContainText('Inès B.');
  await card.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(card.getByTestId('handoff-state')).toContainText('Pris en charge');

  await expect(agent.getByText('CDAS a pris en charge votre passage de relais.')).toBeVisible();
  await agent.getByRole('link', { name: 'Passages de relais' }).click();
  const sent = agent.locator('[data-testid^="handoff-"]').filter({ hasText: `ticket ${ticket}` });
  await expect(sent.getByTestId('handoff-state')).toContainText('Pris en charge');
  await expectAccessible(agent, 'sent hand-overs');
});

test('a hand-over without consent shows no name; declined, it is re-oriented to the CAF', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent2);
  const cdas = await desk(browser, DEMO.cdas);
  const caf = await desk(browser, DEMO.caf);
  await cdas.getByRole('link', { name: 'Passages de relais' }).click();
  await caf.getByRole('link', { name: 'Passages de relais' }).click();
  const ticket = await newArrival(agent, 'ACCUEIL', 'Yasmine');
  await handOver(agent, ticket, 'CDAS', { domain: 'Aides financières / budget' });

  const card = cdas.locator('[data-testid^="handoff-"]').filter({ hasText: `ticket ${ticket}` });
  await expect(card).toContainText('Aucune information personnelle transmise');
  await expect(card).not.toContainText('Yasmine');
  await expect(card.getByRole('button', { name: 'Voir les informations transmises' })).toHaveCount(0);
  await card.getByRole('button', { name: 'Décliner…' }).click();
  const decline = cdas.getByRole('dialog', { name: 'Décliner le passage de relais' });
  await decline.getByRole('combobox', { name: /^Motif/ }).click();
  await cdas.getByRole('option', { name: 'Relève d’une autre structure' }).click();
  await decline.getByLabel('Précision (facultatif)').fill('Voir la CAF pour les prestations');
  await decline.getByRole('button', { name: 'Décliner' }).click();

  await expect(agent.getByText(/CDAS a décliné votre passage de relais/)).toBeVisible();
  await agent.getByRole('link', { name: 'Passages de relais' }).click();
  await agent.getByRole('tab', { name: /Envoyés/ }).click();
  const sent = agent.locator('[data-testid^="handoff-"]').filter({ hasText: `ticket ${ticket}` }).filter({ hasText: 'Décliné' });
  await expect(sent).toContainText('Relève d’une autre structure');
  await sent.getByRole('button', { name: 'Réorienter…' }).click();
  const form = agent.getByRole('dialog', { name: /Réorienter/ });
  await form.getByRole('combobox', { name: /^Vers/ }).click();
  await agent.getByRole('option', { name: 'CAF', exact: true }).click();
  await form.getByRole('radio', { name: 'Appel ensemble maintenant' }).click();
  await form.getByRole('button', { name: 'Envoyer le passage de relais' }).click();
  await expect(caf.locator('[data-testid^="handoff-"]').filter({ hasText: 'Aides financières / budget' }).first()).toBeVisible();
});

test('a CAF professional cannot read a hand-over addressed to the CDAS', async ({ request }) => {
  const agent = await apiAs(request, DEMO.agent);
  const created = await agent('handoffs.create', {
    toInstitution: 'CDAS',
    domains: ['LOGEMENT'],
    mode: 'rappel',
    consent: true,
    sharedFields: ['phone'],
    personPhone: '06 00 00 00 00',
  });
  const caf = await apiAs(request, DEMO.caf);
  const read = await caf('handoffs.details', { id: created.result!.id });
  expect(read.error?.data?.code).toBe('FORBIDDEN');
});

test('the journal shows who read the personal details of a hand-over', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const office = await desk(browser, DEMO.cdas);
  await office.getByRole('link', { name: 'Passages de relais' }).click();
  const ticket = await newArrival(agent, 'ACCUEIL', 'Léa');
  await handOver(agent, ticket, 'CDAS', { consentName: 'Léa M.' });
  const card = office.locator('[data-testid^="handoff-"]').filter({ hasText: `ticket ${ticket}` });
  await card.getByRole('button', { name: 'Voir les informations transmises' }).click();
  await expect(card.getByTestId('handoff-details')).toContainText('Léa M.');

  const coord = await desk(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Journal' }).click();
  await coord.getByRole('combobox', { name: 'Objet' }).click();
  await coord.getByRole('option', { name: 'Passages de relais' }).click();
  const journal = coord.getByTestId('audit-table');
  await expect(journal.getByRole('row').filter({ hasText: 'Informations transmises consultées' }).filter({ hasText: 'cdas' }).first()).toBeVisible();
  await expect(journal).not.toContainText('Léa M.');
  await expectAccessible(coord, 'journal');
});
