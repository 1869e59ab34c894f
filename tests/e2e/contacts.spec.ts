/** The ASIP contact log: from the queue in four interactions or fewer, phone calls by shortcut, corrections. */
import { expect, test, type Page } from '@playwright/test';
import { apiAs, choosePost, DEMO, desk, expectAccessible } from './helpers';

/** A walk-in called to the agent's desk ("Commencer" is implied by what follows the call). */
async function arriveCallStart(agent: Page, service: string, post: string): Promise<string> {
  await agent.getByTestId(`service-${service}`).click();
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  const ticket = (await agent.getByTestId('issued-ticket-number').textContent())!.trim();
  await choosePost(agent, post);
  await agent.getByRole('button', { name: `Appeler ${ticket}` }).click();
  await expect(agent.getByTestId(`desk-${ticket}`)).toBeVisible();
  return ticket;
}

test('finishing a queue entry logs its contact in four interactions or fewer', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const ticket = await arriveCallStart(agent, 'ACCUEIL', 'Guichet 1');
  let interactions = 0;
  await agent.getByRole('button', { name: `Terminer ${ticket}` }).click();
  interactions++;
  const form = agent.getByRole('dialog', { name: `Contact du passage ${ticket}` });
  await expect(form.getByRole('combobox', { name: /^Canal/ })).toHaveValue('Sur place sans rendez-vous');
  await expectAccessible(agent, 'contact form');
  await form.getByText('Emploi / formation', { exact: true }).click();
  interactions++;
  await form.getByRole('button', { name: 'Enregistrer le contact' }).click();
  interactions++;
  expect(interactions).toBeLessThanOrEqual(4);
  await expect(agent.getByText(`Contact enregistré (passage ${ticket}).`)).toBeVisible();

  await agent.getByRole('link', { name: 'Contacts' }).click();
  const row = agent.getByRole('row', { name: new RegExp(ticket) });
  await expect(row).toContainText('Emploi / formation');
  await expect(row).toContainText('Sur place sans rendez-vous');
  await expectAccessible(agent, 'contacts list');
});

test('a phone call is logged from anywhere with a shortcut and a domain key', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent2);
  await agent.getByRole('link', { name: 'Contacts' }).click();
  const before = Number(await agent.getByTestId('contacts-total').textContent());
  await agent.getByRole('link', { name: 'File d’attente' }).click();
  await agent.keyboard.press('Alt+T');
  const quick = agent.getByRole('dialog', { name: /Téléphone : quel domaine/ });
  await expect(quick).toBeVisible();
  await expectAccessible(agent, 'quick phone log');
  await agent.keyboard.press('4');
  await expect(agent.getByText('Contact enregistré', { exact: true })).toBeVisible();
  await agent.getByRole('link', { name: 'Contacts' }).click();
  await expect(agent.getByTestId('contacts-total')).toHaveText(String(before + 1));
  await expect(agent.getByTestId('counts-channel')).toContainText('Téléphone');
});

test('an agent corrects their own contact and sees the audit trail; another agent cannot correct it', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const ticket = await arriveCallStart(agent, 'CCAS', 'Guichet 2');
  await agent.getByRole('button', { name: `Terminer ${ticket}` }).click();
  const form = agent.getByRole('dialog', { name: `Contact du passage ${ticket}` });
  await form.getByText('Alimentation', { exact: true }).click();
  await form.getByRole('button', { name: 'Enregistrer le contact' }).click();
  await agent.getByRole('link', { name: 'Contacts' }).click();
  await agent.getByLabel('Ticket').fill(ticket);
  const row = agent.getByRole('row', { name: new RegExp(ticket) });
  await row.getByRole('button', { name: /Corriger/ }).click();
  const edit = agent.getByRole('dialog', { name: `Corriger le contact du passage ${ticket}` });
  await edit.getByText('Alimentation', { exact: true }).click();
  await edit.getByText('Énergie et eau', { exact: true }).click();
  await edit.getByRole('button', { name: 'Enregistrer le contact' }).click();
  await expect(row).toContainText('Énergie et eau');
  await row.getByRole('button', { name: /Détail/ }).click();
  const history = agent.getByTestId('contact-history');
  await expect(history).toContainText('Corrigé');
  await expect(history).toContainText('Domaines : Alimentation → Énergie et eau');
  await expectAccessible(agent, 'contact detail');

  const other = await desk(browser, DEMO.agent2);
  await other.getByRole('link', { name: 'Contacts' }).click();
  await other.getByLabel('Ticket').fill(ticket);
  const otherRow = other.getByRole('row', { name: new RegExp(ticket) });
  await expect(otherRow).toBeVisible();
  await expect(otherRow.getByRole('button', { name: /Corriger/ })).toHaveCount(0);
});

test('invalid domain codes are refused with VALIDATION', async ({ request }) => {
  const agent = await apiAs(request, DEMO.agent);
  for (const domains of [['XYZ_INCONNU'], ['pas un code']]) {
    const { error } = await agent('contacts.log', { channel: 'telephone', domains });
    expect(error?.data?.code).toBe('VALIDATION');
    expect(error?.message).toMatch(/domaine|invalide/i);
  }
});
