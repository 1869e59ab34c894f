/**
 * The reception desk as agents really use it (issue 12): a 1366×768 screen, a French AZERTY
 * keyboard, keyboard first. Screenshots of every state are kept in tests/e2e/artifacts/.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiAs, azerty, choosePost, DEMO, desk, expectAccessible, expectNoHorizontalScroll, expectOnScreen, keepScreenshot } from './helpers';

// Long scenarios on a shared 2-core machine.
test.describe.configure({ timeout: 600_000 });

/** A purpose whose label is long enough to wrap in a narrow column. */
const LONG_PURPOSE = 'Culture, loisirs, sport / bénévolat';

async function arrival(page: Page, service: string, options: { firstName?: string; purpose?: string } = {}): Promise<string> {
  await page.getByTestId(`service-${service}`).click();
  if (options.firstName) await page.getByLabel('Prénom ou initiales (facultatif)').fill(options.firstName);
  if (options.purpose) {
    await page.getByRole('combobox', { name: 'Motif (facultatif)' }).fill(options.purpose.slice(0, 12));
    await page.getByRole('option', { name: options.purpose, exact: true }).click();
  }
  const issued = page.getByTestId('issued-ticket-number');
  const before = (await issued.count()) ? (await issued.textContent())!.trim() : '';
  await page.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  // The new ticket, not the one still shown from the previous arrival.
  const current = async () => ((await issued.count()) ? (await issued.textContent())!.trim() : '');
  await expect.poll(async () => { const t = await current(); return /^[A-Z]-\d{3}$/.test(t) && t !== before; }).toBe(true);
  return current();
}

async function contactsTotal(page: Page): Promise<number> {
  await page.getByRole('link', { name: 'Contacts' }).click();
  const n = Number(await page.getByTestId('contacts-total').textContent());
  await page.getByRole('link', { name: 'File d’attente' }).click();
  return n;
}

/** Test set-up through the API: nobody left waiting for a service, so "Appeler le suivant" calls our arrival. */
async function emptyService(request: APIRequestContext, serviceCode: string): Promise<void> {
  const rpc = await apiAs(request, DEMO.coord);
  const { entries } = (await rpc('queue.list', {})).result as { entries: { id: string; version: number; state: string; serviceCode: string }[] };
  for (const e of entries.filter((x) => x.state === 'waiting' && x.serviceCode === serviceCode)) await rpc('queue.left', { id: e.id, version: e.version });
}

/** Keeps the screenshot, checks the width and accessibility of one state of the desk. */
async function look(page: Page, name: string, axe = true): Promise<void> {
  await expectNoHorizontalScroll(page, name);
  if (axe) await expectAccessible(page, name);
  await keepScreenshot(page, name);
}

test('at 1366×768 no state of the desk scrolls sideways, and Mon poste keeps every action on screen', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  await look(agent, 'desk-01-first-visit');
  // First visit: the desk is asked calmly, once, in the strip (no red error).
  await expect(agent.getByTestId('choose-desk')).toContainText('À quel poste travaillez-vous ?');
  await expect(agent.getByText('À choisir pour appeler')).toHaveCount(0);

  // A busy morning: people in every service, some with long purposes, priorities and names.
  for (const [service, firstName] of [
    ['ACCUEIL', 'Marie-Claire'],
    ['CCAS', 'Jean-Baptiste'],
    ['CDAS', ''],
    ['CAF', 'Aïssatou'],
    ['ARCS', 'Théo'],
    ['WEKER', 'Kévin'],
  ] as const) {
    await arrival(agent, service, { firstName, purpose: LONG_PURPOSE });
  }
  await agent.getByRole('tab', { name: /^Toutes/ }).click();
  // The "Toutes" table never wraps a purpose over lines: one line each, the full text kept for hover and readers.
  const purposeCell = agent.getByRole('table', { name: /en attente/ }).getByTitle(LONG_PURPOSE).first();
  await expect(purposeCell).toBeVisible();
  const lineHeight = await purposeCell.evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).lineHeight));
  expect((await purposeCell.boundingBox())!.height).toBeLessThanOrEqual(lineHeight + 1);
  for (const waited of await agent.getByTestId('waited').all()) expect((await waited.boundingBox())!.height).toBeLessThan(30);
  // Service tabs stay on one line.
  const tabs = await agent.getByRole('tab').all();
  const tops = new Set(await Promise.all(tabs.map(async (t) => Math.round((await t.boundingBox())!.y))));
  expect(tops.size).toBe(1);
  // The ordering paragraph is behind a disclosure.
  await expect(agent.getByTestId('ordering-rule')).toBeHidden();
  await look(agent, 'desk-02-toutes', false);

  // Arrival options open: the button and the issued ticket stay on screen.
  await agent.getByText('Rendez-vous, priorité, besoins').click();
  await agent.locator('#arrival-more').getByText('Jeune enfant', { exact: true }).click();
  await expectOnScreen(agent, agent.getByRole('button', { name: 'Enregistrer l’arrivée' }), 'Enregistrer l’arrivée with options open');
  const ticket = await arrival(agent, 'ACCUEIL', { firstName: 'Zoé' });
  await agent.getByText('Rendez-vous, priorité, besoins').click();
  await expectOnScreen(agent, agent.getByTestId('issued-ticket'), 'the issued ticket with options open');
  await look(agent, 'desk-03-arrival-options-open');

  // Choose the desk from the calm prompt, then call: the person is in "Mon poste" with every action.
  await agent.getByTestId('choose-desk').getByRole('button', { name: 'Guichet 1', exact: true }).click();
  await agent.getByRole('tab', { name: /^Accueil commun/ }).click();
  await agent.getByRole('button', { name: /^Appeler le suivant/ }).click();
  const strip = agent.getByTestId('my-desk');
  const called = (await strip.locator('[data-testid^="desk-"]').getAttribute('data-testid'))!.replace('desk-', '');
  for (const name of [`Terminer ${called}`, `Terminer et appeler le suivant (${called})`, `Rappeler ${called}`, `Autres actions pour ${called}`]) {
    await expectOnScreen(agent, strip.getByRole('button', { name, exact: true }), name);
  }
  await look(agent, 'desk-04-called');
  // Scrolled down a long list, the person at my desk and their actions are still on screen.
  await agent.evaluate('window.scrollTo(0, document.scrollingElement.scrollHeight)');
  await expectOnScreen(agent, strip.getByRole('button', { name: `Terminer ${called}`, exact: true }), 'Terminer after scrolling down');
  await keepScreenshot(agent, 'desk-04b-called-scrolled');
  await agent.evaluate('window.scrollTo(0, 0)');

  // The row menu open, then a dialog: still no sideways scroll, and accessible.
  await strip.getByRole('button', { name: `Autres actions pour ${called}` }).click();
  await expect(agent.getByRole('menu')).toBeVisible();
  await look(agent, 'desk-05-menu-open');
  await agent.getByRole('menuitem', { name: /Commencer l’entretien/ }).click();
  await expect(strip).toContainText('En cours');
  await look(agent, 'desk-06-in-progress', false);
  await strip.getByRole('button', { name: `Autres actions pour ${called}` }).click();
  await agent.getByRole('menuitem', { name: 'Orienter vers un autre service…' }).click();
  await expect(agent.getByRole('dialog')).toBeVisible();
  await look(agent, 'desk-07-dialog');
  await agent.keyboard.press('Escape');

  // The other desks' people are listed compactly; a waiting row's menu is accessible too.
  await agent.getByRole('button', { name: `Autres actions pour ${ticket}` }).click();
  await expect(agent.getByRole('menu')).toBeVisible();
  await expectAccessible(agent, 'waiting row menu');
  await agent.keyboard.press('Escape');

  // Finishing opens the contact form: focus inside, save button on screen (sticky footer).
  await strip.getByRole('button', { name: `Terminer ${called}`, exact: true }).click();
  const form = agent.getByRole('dialog', { name: `Contact du passage ${called}` });
  await expect(form).toBeVisible();
  await expect.poll(() => form.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
  await form.getByText('Reconnaître la personne (facultatif, avec son accord)').click();
  await expectOnScreen(agent, form.getByRole('button', { name: 'Enregistrer le contact' }), 'Enregistrer le contact');
  await look(agent, 'desk-08-contact-form');
  await azerty(agent, 'Escape');
  await expect(form).toHaveCount(0);
  await look(agent, 'desk-09-after-finish', false);
});

test('keyboard alone on AZERTY: Appeler le suivant → saved walk-in contact in 4 key presses or fewer; a busy desk is refused', async ({ browser, request }) => {
  await emptyService(request, 'ARCS');
  const agent = await desk(browser, DEMO.agent2);
  await choosePost(agent, 'Guichet 2');
  await agent.getByRole('tab', { name: /^Centre social/ }).click();
  await arrival(agent, 'ARCS', { purpose: 'Emploi / formation' });
  const before = await contactsTotal(agent);
  await agent.getByRole('tab', { name: /^Centre social/ }).click();

  // Focus is in a field, as right after registering an arrival.
  await agent.getByLabel('Prénom ou initiales (facultatif)').focus();
  let presses = 0;
  await azerty(agent, 'Alt+KeyS'); // Appeler le suivant
  presses++;
  const strip = agent.getByTestId('my-desk');
  await expect(strip.locator('[data-testid^="desk-"]')).toBeVisible();
  const ticket = (await strip.locator('[data-testid^="desk-"]').getAttribute('data-testid'))!.replace('desk-', '');

  // A second call to this desk is refused, with a clear French message.
  await azerty(agent, 'Alt+KeyS');
  await expect(agent.getByText(new RegExp(`Guichet 2 reçoit déjà le ticket ${ticket}`))).toBeVisible();
  await keepScreenshot(agent, 'desk-10-call-refused');

  await azerty(agent, 'Alt+KeyF'); // Terminer: "Commencer" is implied by the call
  presses++;
  const form = agent.getByRole('dialog', { name: `Contact du passage ${ticket}` });
  await expect(form).toBeVisible();
  await expect(form.getByRole('checkbox', { name: 'Emploi / formation' })).toBeChecked();
  await expect.poll(() => form.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
  await azerty(agent, 'Control+Enter'); // Enregistrer
  presses++;
  await expect(form).toHaveCount(0);
  expect(presses).toBeLessThanOrEqual(4);
  expect(await contactsTotal(agent)).toBe(before + 1);

  // Without a purpose at arrival: one more key (Space on the first domain), still 4.
  await agent.getByRole('tab', { name: /^Centre social/ }).click();
  await arrival(agent, 'ARCS');
  presses = 0;
  await azerty(agent, 'Alt+KeyS');
  // The person walks to the desk: the strip shows them (the agent reads the ticket there).
  await expect(strip.locator('[data-testid^="desk-"]')).toBeVisible();
  await azerty(agent, 'Alt+KeyF');
  presses += 2;
  const form2 = agent.getByRole('dialog', { name: /Contact du passage/ });
  await expect(form2).toBeVisible();
  await expect.poll(() => form2.evaluate((el) => (el.ownerDocument.activeElement as unknown as { type?: string } | null)?.type === 'checkbox' && el.contains(el.ownerDocument.activeElement))).toBe(true);
  await azerty(agent, 'Space');
  await azerty(agent, 'Control+Enter');
  presses += 2;
  await expect(form2).toHaveCount(0);
  expect(presses).toBeLessThanOrEqual(4);
  expect(await contactsTotal(agent)).toBe(before + 2);
});

test('a phone contact in 2 key presses on AZERTY, never on a bare Enter; the picker closes when the full form opens', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const before = await contactsTotal(agent);
  await agent.getByLabel('Prénom ou initiales (facultatif)').focus();
  await azerty(agent, 'Alt+KeyT');
  const picker = agent.getByRole('dialog', { name: /Téléphone : quel domaine/ });
  await expect(picker).toBeVisible();
  await look(agent, 'desk-11-phone-picker');
  // Enter alone logs nothing.
  await azerty(agent, 'Enter');
  await agent.waitForTimeout(300);
  await expect(picker).toBeVisible();
  // The 4th domain is the key « ' » on AZERTY (Digit4), without Shift.
  const fourth = (await picker.getByTestId('quick-domain-4').textContent())!.replace(/^4/, '').trim();
  await azerty(agent, 'Digit4');
  await expect(picker).toHaveCount(0);
  await expect(agent.getByText('Contact enregistré', { exact: true })).toBeVisible();
  await expect(agent.getByText(`Téléphone · ${fourth}`)).toBeVisible();
  expect(await contactsTotal(agent)).toBe(before + 1);

  // The keypad works too; and "Ouvrir le formulaire complet" replaces the picker, Échap closes the form.
  await azerty(agent, 'Alt+KeyE');
  await expect(agent.getByRole('dialog', { name: /Courriel : quel domaine/ })).toBeVisible();
  await agent.getByRole('button', { name: 'Ouvrir le formulaire complet' }).click();
  await expect(agent.getByRole('dialog', { name: /quel domaine/ })).toHaveCount(0);
  const form = agent.getByRole('dialog', { name: /Nouveau contact – Courriel/ });
  await expect(form).toBeVisible();
  await azerty(agent, 'Escape');
  await expect(form).toHaveCount(0);
  await azerty(agent, 'Alt+KeyT');
  await azerty(agent, 'Numpad4');
  await expect(agent.getByRole('dialog', { name: /quel domaine/ })).toHaveCount(0);
  expect(await contactsTotal(agent)).toBe(before + 2);
});

test('every printed shortcut works with focus in a field, on AZERTY; ? lists them with the help link, F1 opens the guide', async ({ browser }) => {
  const agent = await desk(browser, DEMO.coord);
  await agent.getByRole('link', { name: 'File d’attente' }).click();
  await choosePost(agent, 'Bureau 5');
  const field = agent.getByLabel('Prénom ou initiales (facultatif)');

  // Alt+1…9: the tabs, by the digit row (& é " …) without Shift.
  await field.focus();
  await azerty(agent, 'Alt+Digit3');
  await expect(agent.getByRole('tab', { selected: true })).toHaveText(/^CCAS/);
  await expect(field).toHaveValue('');
  await azerty(agent, 'Alt+Digit2');
  await expect(agent.getByRole('tab', { selected: true })).toHaveText(/^Accueil commun/);

  // Alt+N: to the service choice of a new arrival.
  await field.focus();
  await azerty(agent, 'Alt+KeyN');
  await expect(agent.locator('[role="radio"][aria-checked="true"]')).toBeFocused();

  // Alt+S then Alt+Enter (finish and call the next one) then Alt+F, each from a field.
  await arrival(agent, 'ACCUEIL', { firstName: 'Un' });
  await arrival(agent, 'ACCUEIL', { firstName: 'Deux' });
  await field.focus();
  await azerty(agent, 'Alt+KeyS');
  const strip = agent.getByTestId('my-desk');
  await expect(strip.locator('[data-testid^="desk-"]')).toHaveCount(1);
  const first = (await strip.locator('[data-testid^="desk-"]').getAttribute('data-testid'))!;
  await field.focus();
  await azerty(agent, 'Alt+Enter');
  const form = agent.getByRole('dialog', { name: /Contact du passage/ });
  await expect(form).toBeVisible();
  await azerty(agent, 'Escape');
  await expect(strip.locator('[data-testid^="desk-"]')).not.toHaveAttribute('data-testid', first);
  await field.focus();
  await azerty(agent, 'Alt+KeyF');
  await expect(form).toBeVisible();
  // Ctrl+Entrée with focus in a field of the form (the note).
  await form.getByText('Accès aux droits / RSA', { exact: true }).click();
  await form.getByLabel('Note de suivi (facultatif)').fill('Rappel prévu');
  await azerty(agent, 'Control+Enter');
  await expect(form).toHaveCount(0);
  await expect(strip).toContainText('Personne à votre poste');

  // Alt+T and Alt+E from a field.
  await field.focus();
  await azerty(agent, 'Alt+KeyT');
  await expect(agent.getByRole('dialog', { name: /Téléphone : quel domaine/ })).toBeVisible();
  await azerty(agent, 'Escape');
  await field.focus();
  await azerty(agent, 'Alt+KeyE');
  await expect(agent.getByRole('dialog', { name: /Courriel : quel domaine/ })).toBeVisible();
  await azerty(agent, 'Escape');

  // ? outside a field (typed in a field it is just a character), F1 anywhere.
  await field.focus();
  await azerty(agent, 'Shift+Comma');
  await expect(field).toHaveValue('?');
  await expect(agent.getByRole('dialog', { name: 'Raccourcis clavier de cette page' })).toHaveCount(0);
  await field.fill('');
  await agent.getByRole('heading', { name: 'Nouvelle arrivée' }).click();
  await azerty(agent, 'Shift+Comma');
  const help = agent.getByRole('dialog', { name: 'Raccourcis clavier de cette page' });
  await expect(help).toBeVisible();
  for (const label of ['Appeler le suivant', 'Terminer et appeler le suivant', 'Nouvelle arrivée', 'Changer d’onglet de service', 'Verrouiller le poste', 'Contact par téléphone']) {
    await expect(help).toContainText(label);
  }
  await expect(help.getByRole('link', { name: /Aide en ligne/ })).toHaveAttribute('href', '/aide');
  await look(agent, 'desk-12-shortcuts-help');
  await azerty(agent, 'Escape');
  // F1 opens the guide of one's role, from a field too; its last section lists the shortcuts.
  await field.focus();
  await azerty(agent, 'F1');
  await expect(agent).toHaveURL(/\/aide\/coordination$/);
  await expect(agent.getByTestId('help-shortcuts')).toBeVisible();
  await agent.getByRole('link', { name: 'File d’attente' }).click();

  // Alt+L locks the desk, from a field.
  await field.focus();
  await azerty(agent, 'Alt+KeyL');
  await expect(agent.getByRole('heading', { name: 'Poste verrouillé' })).toBeVisible();
});

test('professionals: no Toutes tab, no Alt+N, Appeler le suivant waits for the office; a hand-over walked to the office lands in their queue', async ({ browser }) => {
  const office = await desk(browser, DEMO.cdas);
  await office.getByRole('link', { name: 'File d’attente' }).click();
  await expect(office.getByRole('tab', { name: /^Toutes/ })).toHaveCount(0);
  await expect(office.getByRole('button', { name: /^Appeler le suivant/ })).toBeDisabled();
  await expect(office.getByText(/nouvelle arrivée/i)).toHaveCount(0);
  await look(office, 'desk-13-professional-first-visit');
  await office.getByTestId('choose-desk').getByRole('button', { name: 'Bureau 3', exact: true }).click();
  await expect(office.getByRole('button', { name: /^Appeler le suivant/ })).toBeEnabled();

  // Reception hands a waiting person over to the CDAS, walked to the office now: the ticket moves to the CDAS queue.
  const agent = await desk(browser, DEMO.agent);
  const walked = await arrival(agent, 'ACCUEIL', { firstName: 'Inès' });
  await handOver(agent, walked, 'Accompagnée au bureau maintenant');
  await expect(agent.getByText(new RegExp(`Ticket ${walked} placé dans la file du CDAS`))).toBeVisible();
  const row = office.getByTestId(`entry-${walked}`);
  await expect(row).toContainText('Relais reçu');
  await expect(row).toContainText('Inès');

  // A call-back hand-over ends the ticket as "Relayé·e", and the ticket follows the answer.
  const later = await arrival(agent, 'ACCUEIL', { firstName: 'Yanis' });
  await handOver(agent, later, 'Rappel par le service');
  const ended = agent.getByTestId(`ended-${later}`);
  await expect(ended).toContainText('Relayé·e');
  await expect(ended).toContainText('CDAS : en attente de réponse');
  await expect(agent.getByTestId(`entry-${later}`)).toHaveCount(0);
  await office.getByRole('link', { name: 'Passages de relais' }).click();
  const card = office.locator('[data-testid^="handoff-"]').filter({ hasText: `ticket ${later}` });
  await card.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(ended).toContainText('CDAS : pris en charge');
  await keepScreenshot(agent, 'desk-14-handed-over');
});

async function handOver(agent: Page, ticket: string, mode: string): Promise<void> {
  await agent.getByRole('button', { name: `Autres actions pour ${ticket}` }).click();
  await agent.getByRole('menuitem', { name: 'Passage de relais…' }).click();
  const form = agent.getByRole('dialog', { name: `Passage de relais – ticket ${ticket}` });
  await form.getByRole('combobox', { name: /^Vers/ }).click();
  await agent.getByRole('option', { name: 'CDAS', exact: true }).click();
  await form.getByText('Logement (accès, maintien, charges)', { exact: true }).click();
  await form.getByRole('radio', { name: mode }).click();
  await expectNoHorizontalScroll(agent, 'hand-over form');
  await form.getByRole('button', { name: 'Envoyer le passage de relais' }).click();
  await expect(form).toHaveCount(0);
}

test('closing today asks first, saying who is still waiting; every desk then shows the banner, live, until it is reopened', async ({ browser }) => {
  const agent = await desk(browser, DEMO.agent);
  const office = await desk(browser, DEMO.caf);
  await office.getByRole('link', { name: 'File d’attente' }).click();
  await arrival(agent, 'CAF', { firstName: 'Lina' });

  const coord = await desk(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Clôture des journées' }).click();
  await coord.getByRole('button', { name: 'Clôturer la journée…' }).click();
  const dialog = coord.getByTestId('close-today-dialog');
  await expect(dialog).toContainText('aucun poste ne pourra plus enregistrer d’arrivée ni de contact');
  await expect(coord.getByTestId('close-today-counts')).toContainText(/Encore dans la file : \d+ personnes? en attente/);
  await look(coord, 'desk-15-close-today-confirmation');
  // Nothing is closed until confirmed.
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(agent.getByTestId('day-closed-banner')).toHaveCount(0);
  await coord.getByRole('button', { name: 'Clôturer la journée…' }).click();
  await coord.getByLabel(/^Motif pour clore/).fill('Fermeture exceptionnelle : réunion d’équipe');
  await coord.getByRole('button', { name: 'Clore les tickets et clôturer la journée' }).click();
  await expect(coord.getByTestId('closing-status')).toContainText('clôturée');

  for (const page of [agent, office]) {
    const banner = page.getByTestId('day-closed-banner');
    await expect(banner).toContainText('par Sophie Durand');
    await expect(banner).toContainText('rouvrir');
  }
  await look(agent, 'desk-16-day-closed-banner');
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(agent.getByRole('alert')).toContainText('clôturée');

  await coord.getByRole('button', { name: 'Rouvrir la journée…' }).click();
  await coord.getByRole('dialog').getByLabel(/^Motif/).fill('Réouverture après la réunion');
  await coord.getByRole('dialog').getByRole('button', { name: 'Rouvrir' }).click();
  await expect(agent.getByTestId('day-closed-banner')).toHaveCount(0);
  await expect(office.getByTestId('day-closed-banner')).toHaveCount(0);
});

test('the administrator opens Réglages de la file', async ({ browser }) => {
  const admin = await desk(browser, DEMO.admin);
  await admin.getByRole('link', { name: 'Réglages de la file' }).click();
  await expect(admin.getByRole('heading', { name: 'Réglages de la file d’attente' })).toBeVisible();
  await expect(admin.getByText('Vous n’avez pas les droits nécessaires')).toHaveCount(0);
  await expect(admin.getByRole('textbox').first()).toBeVisible();
  await look(admin, 'desk-17-admin-queue-settings');
});
