/**
 * Issue 12, "words, formats, errors": errors at the field at fault (with a summary that leads to
 * them) and no silent truncation; "Annuler ce contact"; the Journal in French and Paris time; no
 * developer text on user screens; French date and time pickers even in an English browser;
 * French formats and words; hand-over delays in hours or days; the ticket-letter check; the
 * inbox grouped by what needs doing; accessibility of open menus, dialogs and pickers; the
 * in-app guide. At 1366×768, with screenshots kept for review (tests/e2e/artifacts).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { choosePost, DEMO, expectAccessible, expectAccessibleState, keepScreenshot, signIn } from './helpers';

test.use({ viewport: { width: 1366, height: 768 } });
// Several desks per test on a shared 2-core machine: give each test room.
test.beforeEach(() => test.slow());

const VIEWPORT = { width: 1366, height: 768 };

async function deskAt(browser: Browser, user: { login: string; password: string }, locale = 'fr-FR'): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale, timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

async function newArrival(agent: Page, service: string): Promise<string> {
  await agent.getByRole('link', { name: 'File d’attente' }).click();
  await agent.getByTestId(`service-${service}`).click();
  const issued = agent.getByTestId('issued-ticket-number');
  const before = (await issued.count()) ? (await issued.textContent())!.trim() : '';
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  // The new ticket, not the one still shown from a previous arrival.
  await expect.poll(async () => ((await issued.count()) ? (await issued.textContent())!.trim() : '')).toMatch(/^[A-Z]-\d{3}$/);
  await expect(issued).not.toHaveText(before);
  return (await issued.textContent())!.trim();
}

/** Today in Paris as dd/MM/yyyy, the way the app writes it. */
function todayFr(): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

test('errors show on the field at fault, the summary leads to them, and long texts are never cut', async ({ browser }) => {
  const agent = await deskAt(browser, DEMO.agent);
  await agent.getByRole('link', { name: 'Contacts' }).click();
  await agent.getByRole('button', { name: 'Autre contact' }).click();
  const form = agent.getByRole('dialog', { name: /Nouveau contact/ });
  await form.getByRole('button', { name: /Reconnaître la personne/ }).click();
  await form.getByRole('textbox', { name: 'Prénom', exact: true }).fill('Alice');
  const long = 'Rappeler la semaine prochaine pour le dossier. '.repeat(11).slice(0, 510);
  const note = form.getByRole('textbox', { name: /Note de suivi/ });
  await note.fill(long);
  // Nothing is cut: the whole text stays, and the counter says it is too long.
  await expect(note).toHaveValue(long);
  await expect(form.getByTestId('char-count').last()).toHaveText('510/500 caractères');
  await form.getByRole('button', { name: 'Enregistrer le contact' }).click();

  const summary = form.getByTestId('error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Domaines de la demande : Choisissez au moins un domaine.');
  await expect(summary).toContainText('Nom : Nom requis pour reconnaître la personne.');
  await expect(summary).toContainText('Note de suivi : 510 caractères pour 500 au plus : raccourcissez de 10.');
  // In the order of the form, whatever the order of the checks.
  await expect(summary.getByRole('listitem').first()).toContainText('Domaines de la demande');
  await expect(summary.getByRole('listitem').last()).toContainText('Note de suivi');
  // The message also sits under the field itself.
  const lastName = form.getByRole('textbox', { name: 'Nom', exact: true });
  await expect(lastName).toHaveAccessibleDescription(/Nom requis pour reconnaître la personne/);
  await keepScreenshot(agent, 'contact-form-errors');
  await expectAccessibleState(agent, 'contact form with errors', { include: '[role="dialog"]' });
  await summary.getByRole('link', { name: 'Nom' }).click();
  await expect(lastName).toBeFocused();
  await summary.getByRole('link', { name: 'Note de suivi' }).click();
  await expect(note).toBeFocused();
  await agent.keyboard.press('Escape');
  await expect(form).toHaveCount(0);

  // The arrival form: 45 characters stay 45, and the arrival is refused until shortened.
  await agent.getByRole('link', { name: 'File d’attente' }).click();
  const firstName = agent.getByLabel('Prénom ou initiales (facultatif)');
  await firstName.fill('Marie-Christine Dupont-Lefèvre de la Tour Auv');
  await expect(firstName).toHaveValue('Marie-Christine Dupont-Lefèvre de la Tour Auv');
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(agent.getByTestId('error-summary')).toContainText('Prénom ou initiales : 45 caractères pour 40 au plus : raccourcissez de 5.');
  await expect(agent.getByTestId('issued-ticket')).toHaveCount(0);
});

test('a contact logged by mistake is cancelled from the list: it leaves the counts and the journal says so', async ({ browser }) => {
  const agent = await deskAt(browser, DEMO.agent2);
  await agent.getByRole('link', { name: 'Contacts' }).click();
  const total = agent.getByTestId('contacts-total');
  await expect(total).toBeVisible();
  const before = Number((await total.textContent())!.replace(/\s/g, ''));
  await agent.getByRole('button', { name: 'Autre contact' }).click();
  const form = agent.getByRole('dialog', { name: /Nouveau contact/ });
  await form.getByText('Mobilité / transports', { exact: true }).click();
  await form.getByRole('button', { name: 'Enregistrer le contact' }).click();
  await expect(total).toHaveText(String(before + 1));

  const row = agent.getByRole('row').filter({ hasText: 'Mobilité / transports' }).first();
  await row.getByRole('button', { name: /^Annuler le contact de/ }).click();
  const dialog = agent.getByRole('dialog', { name: /^Annuler le contact de \d{2}:\d{2}$/ });
  await expect(dialog).toContainText('sortira de tous les comptes');
  await dialog.getByRole('button', { name: 'Annuler ce contact' }).click();
  await expect(dialog.getByTestId('error-summary')).toContainText('Choisissez pourquoi ce contact est annulé.');
  await dialog.getByRole('radio', { name: 'Enregistré deux fois' }).check();
  await expectAccessibleState(agent, 'cancel contact dialog', { include: '[role="dialog"]' });
  await keepScreenshot(agent, 'cancel-contact-dialog');
  await dialog.getByRole('button', { name: 'Annuler ce contact' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(total).toHaveText(String(before));
  await expect(agent.getByRole('row').filter({ hasText: 'Mobilité / transports' })).toHaveCount(0);

  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Journal' }).click();
  const journal = coord.getByTestId('audit-table');
  const cancelled = journal.getByRole('row').filter({ hasText: 'Contact annulé' }).filter({ hasText: 'agent2' }).first();
  await expect(cancelled).toContainText('Motif de l’annulation : — → Enregistré deux fois');
});

test('the Journal speaks French: action labels, field labels, Paris time; so does its export', async ({ browser }) => {
  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Journal' }).click();
  const table = coord.getByTestId('audit-table');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const text = (await table.locator('td').allInnerTexts()).join('\n');
  // No raw action codes (queue.left, day.close…) nor field names (closedByName, ticketNumber…).
  expect(text).not.toMatch(/\b(queue|day|contact|handoff|session|account|setting)\.[a-zA-Z]+\b/);
  expect(text).not.toMatch(/(^|\n)[a-z]+[A-Z][a-zA-Z]+ :/);
  expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  const firstTime = (await table.getByRole('row').nth(1).getByRole('cell').first().textContent())!;
  expect(firstTime).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  await keepScreenshot(coord, 'journal');
  await expectAccessible(coord, 'journal');
  const [download] = await Promise.all([coord.waitForEvent('download'), coord.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = (await import('node:fs')).readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffDate et heure;Compte;Action;Objet;Modifications;Identifiant');
  expect(csv).not.toMatch(/;(queue|day|contact|handoff|session|account)\.[a-zA-Z]+;|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
});

test('no developer text on Synchronisation, Postes du site, Sauvegardes', async ({ browser }) => {
  const admin = await deskAt(browser, DEMO.admin);
  const developerWords = /npm run|README|docs\/|décision \d|--host|--backup|ci-dessus|boucle locale|0\.0\.0\.0/;
  for (const [link, shot] of [
    ['Synchronisation', 'sync-admin'],
    ['Postes du site', 'devices'],
    ['Sauvegardes', 'backups'],
  ] as const) {
    await admin.getByRole('link', { name: link }).click();
    await expect(admin.getByRole('heading', { name: link, level: 1 })).toBeVisible();
    await expect(admin.locator('main')).not.toContainText(developerWords);
    await keepScreenshot(admin, shot);
  }
  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Synchronisation' }).click();
  await expect(coord.locator('main')).toContainText('Ce qui quitte le site');
  await expect(coord.locator('main')).not.toContainText(developerWords);
});

test('date and time inputs follow the app’s French locale in an English browser', async ({ browser }) => {
  const coord = await deskAt(browser, DEMO.coord, 'en-US');
  await coord.getByRole('link', { name: 'Journal' }).click();
  const to = coord.getByRole('textbox', { name: 'Au' });
  await expect(to).toHaveValue(todayFr());
  await to.click();
  const calendar = coord.locator('.mantine-Popover-dropdown').filter({ has: coord.locator('table') }).first();
  await expect(calendar).toBeVisible();
  // French month and weekday names, weeks starting on Monday.
  const month = new Intl.DateTimeFormat('fr-FR', { month: 'long', timeZone: 'Europe/Paris' }).format(new Date());
  await expect(calendar).toContainText(month);
  await expect(calendar.locator('thead th').first()).toHaveText('lu');
  await keepScreenshot(coord, 'date-picker-en-us');
  await expectAccessibleState(coord, 'open date picker', { include: '.mantine-Popover-dropdown:has(table)' });
  await coord.keyboard.press('Escape');
  // Typed the French way, read the French way (1 February, not 2 January).
  const from = coord.getByRole('textbox', { name: 'Du' });
  await from.fill('01/02/2026');
  await from.blur();
  await expect(from).toHaveValue('01/02/2026');
  await expect(coord.getByTestId('audit-table')).toBeVisible();

  const agent = await deskAt(browser, DEMO.agent, 'en-US');
  await agent.getByRole('button', { name: /Rendez-vous, priorité/ }).click();
  const hours = agent.getByRole('textbox', { name: 'Heures' }).or(agent.getByLabel('Heures')).first();
  await hours.click();
  await hours.pressSequentially('0600');
  await expect(agent.getByLabel('Minutes').first()).toHaveValue('00');
  await expect(hours).toHaveValue('06');
  // 24-hour clock: no AM/PM choice anywhere.
  await expect(agent.locator('select')).toHaveCount(0);
  await expect(agent.locator('main')).not.toContainText(/\b(AM|PM)\b/);
  await expectAccessibleState(agent, 'open time picker');
  await keepScreenshot(agent, 'time-picker-en-us');
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(agent.getByTestId('error-summary')).toContainText(/Rendez-vous à : .*fermé au public/);
  await expect(agent.getByTestId('issued-ticket')).toHaveCount(0);
});

test('formats and words: French numbers and times, article-aware names, plain words on the display, French password toggle, no cut labels', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Afficher le mot de passe en clair' })).toHaveCount(1);
  await expect(page.locator('body')).not.toContainText('Toggle');
  // The sign-in choice is written whole ("Avec code personnel", not "Avec code personne…").
  // A label is cut when its text is wider than its box, or its box runs past the control's edge.
  const cut = await page.locator('.mantine-SegmentedControl-label').evaluateAll((els) =>
    els
      .filter((e) => {
        const root = e.closest('.mantine-SegmentedControl-root')!.getBoundingClientRect();
        const box = e.getBoundingClientRect();
        const range = e.ownerDocument.createRange();
        range.selectNodeContents(e);
        const text = range.getBoundingClientRect();
        return box.right > root.right + 1 || text.right > root.right + 1 || text.width > box.width + 1;
      })
      .map((e) => e.textContent),
  );
  expect(cut).toEqual([]);
  await expect(page.getByText('Avec code personnel', { exact: true })).toBeVisible();
  await keepScreenshot(page, 'sign-in');

  await page.goto('/display');
  await expect(page.locator('main')).toBeVisible();
  await expect(page.locator('main')).not.toContainText('·');

  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Statistiques' }).click();
  await coord.getByRole('tab', { name: 'Rapports et exports' }).click();
  await coord.getByText('Année civile', { exact: true }).click();
  const arrivals = (await coord.getByTestId('row-arrivals').locator('td').nth(1).textContent())!.trim();
  // Thousands are grouped the French way (a narrow no-break space), never "4528" nor "4,528".
  expect(arrivals).toMatch(/^\d{1,3}(\u202f\d{3})*$/);
  await keepScreenshot(coord, 'period-report');
  await coord.getByRole('link', { name: 'Site et horaires' }).click();
  await expect(coord.getByRole('table')).toContainText(/\d{2}:\d{2}–\d{2}:\d{2}/);
});

test('settings: hand-over delays in hours or days, and a ticket letter already taken is refused on the spot', async ({ browser }) => {
  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Réglages de la file' }).click();
  const number = coord.getByRole('textbox', { name: 'Expiration : Rendez-vous pris maintenant (nombre)' });
  const unit = coord.getByRole('combobox', { name: 'Expiration : Rendez-vous pris maintenant (unité)' });
  await expect(number).toHaveValue('2');
  await expect(unit).toHaveValue('jours');
  await number.fill('3');
  await coord.getByRole('button', { name: 'Enregistrer les délais' }).click();
  await expect(coord.getByText('Délais des passages de relais enregistrés.')).toBeVisible();
  await coord.reload();
  await expect(coord.getByRole('textbox', { name: 'Expiration : Rendez-vous pris maintenant (nombre)' })).toHaveValue('3');
  await expect(coord.getByRole('combobox', { name: 'Retard : Rendez-vous pris maintenant (unité)' })).toHaveValue('heures');
  await keepScreenshot(coord, 'handoff-delays');

  await coord.getByLabel('Nouvelle permanence').fill('Permanence CPAM');
  await coord.getByRole('textbox', { name: 'Lettre du ticket' }).fill('C');
  await coord.getByRole('button', { name: 'Ajouter' }).click();
  await expect(coord.getByRole('textbox', { name: 'Lettre du ticket' })).toHaveAccessibleDescription(/La lettre C est déjà celle du service « CCAS »/);
  await expect(coord.getByRole('table', { name: 'Services de la file' })).not.toContainText('Permanence CPAM');
  await keepScreenshot(coord, 'ticket-letter-refused');
});

test('the hand-over inbox puts what needs an answer first, then what is in progress, then what is finished', async ({ browser }) => {
  const agent = await deskAt(browser, DEMO.agent);
  const cdas = await deskAt(browser, DEMO.cdas);
  for (const [i, domain] of ['Santé (dont santé psychique, handicap)', 'Parentalité / garde d’enfants'].entries()) {
    await agent.getByRole('link', { name: 'Passages de relais' }).click();
    await agent.getByRole('button', { name: 'Nouveau passage de relais' }).click();
    const form = agent.getByRole('dialog', { name: 'Passage de relais' });
    await form.getByRole('combobox', { name: /^Vers/ }).click();
    await agent.getByRole('option', { name: 'CDAS', exact: true }).click();
    await form.getByText(domain, { exact: true }).click();
    await form.getByRole('radio', { name: i === 0 ? 'Rappel par le service' : 'Appel ensemble maintenant' }).click();
    if (i === 0) {
      await expectAccessibleState(agent, 'hand-over form', { include: '[role="dialog"]' });
      await form.getByRole('radio', { name: 'Rendez-vous pris maintenant' }).click();
      await form.getByRole('button', { name: 'Envoyer le passage de relais' }).click();
      await expect(form.getByTestId('error-summary')).toContainText('Date du rendez-vous : Date du rendez-vous requise');
      await form.getByRole('radio', { name: 'Rappel par le service' }).click();
    }
    await form.getByRole('button', { name: 'Envoyer le passage de relais' }).click();
    await expect(form).toHaveCount(0);
  }
  await cdas.getByRole('link', { name: 'Passages de relais' }).click();
  const waiting = cdas.getByTestId('inbox-waiting');
  const accepted = cdas.getByTestId('inbox-accepted');
  const card = waiting.locator('[data-testid^="handoff-"]').filter({ hasText: 'Parentalité / garde d’enfants' }).first();
  await card.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(accepted).toContainText('Parentalité / garde d’enfants');
  await expect(waiting).toContainText('Santé (dont santé psychique, handicap)');
  const order = await cdas.locator('[data-testid^="inbox-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(order).toEqual(['inbox-waiting', 'inbox-accepted', 'inbox-finished']);
  await expect(agent.getByText('Le CDAS a pris en charge votre passage de relais.')).toBeVisible();
  await keepScreenshot(cdas, 'inbox-grouped');
  await expectAccessible(cdas, 'grouped inbox');
});

test('accessibility in interactive states: row menu, called entry, arrival options, phone picker, reopening a day', async ({ browser }) => {
  const agent = await deskAt(browser, DEMO.agent);
  const ticket = await newArrival(agent, 'ACCUEIL');
  await agent.getByRole('button', { name: `Autres actions pour ${ticket}` }).click();
  await expect(agent.getByRole('menu')).toBeVisible();
  await expectAccessibleState(agent, 'row ⋯ menu', { include: '[role="menu"]' });
  await agent.getByRole('menuitem').last().hover();
  await expectAccessibleState(agent, 'row ⋯ menu, red item hovered', { include: '[role="menu"]' });
  await keepScreenshot(agent, 'row-menu');
  await agent.keyboard.press('Escape');

  await choosePost(agent);
  await agent.getByRole('button', { name: `Appeler ${ticket}` }).click();
  // The accessible name contains the visible text.
  await expect(agent.getByRole('button', { name: `Absent·e ${ticket}` })).toBeVisible();
  await expectAccessibleState(agent, 'called entry');

  await agent.getByRole('button', { name: /Rendez-vous, priorité/ }).click();
  await agent.getByText('Mobilité réduite', { exact: true }).click();
  await agent.getByText('Interprète', { exact: true }).first().click();
  await expectAccessibleState(agent, 'arrival options with chips chosen');
  await keepScreenshot(agent, 'arrival-options');

  await agent.keyboard.press('Alt+T');
  await expect(agent.getByRole('dialog', { name: /Téléphone : quel domaine/ })).toBeVisible();
  await agent.getByRole('button', { name: 'Ouvrir le formulaire complet' }).hover();
  await expectAccessibleState(agent, 'phone picker', { include: '[role="dialog"]' });
  await agent.keyboard.press('Escape');

  // Reopening a closed day: the orange buttons keep their contrast.
  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Clôture des journées' }).click();
  await coord.getByRole('button', { name: 'Jour précédent' }).click();
  const status = coord.getByTestId('closing-status');
  if ((await status.count()) === 0 || !/clôturée/.test((await status.textContent()) ?? '')) {
    await coord.getByRole('button', { name: 'Clôturer la journée' }).click();
    await expect(status).toContainText('clôturée');
  }
  await expectAccessible(coord, 'closed day');
  await coord.getByRole('button', { name: 'Rouvrir la journée…' }).click();
  const reopen = coord.getByRole('dialog', { name: /Rouvrir la journée/ });
  await reopen.getByRole('button', { name: 'Rouvrir' }).click();
  await expect(reopen.getByTestId('error-summary')).toContainText('Motif');
  await expectAccessibleState(coord, 'reopen dialog with an error', { include: '[role="dialog"]' });
  await keepScreenshot(coord, 'reopen-day');
  await reopen.getByRole('textbox', { name: /^Motif/ }).fill('Vérification des contacts de la veille');
  await reopen.getByRole('button', { name: 'Rouvrir' }).click();
  await expect(status).toContainText('rouverte');
});

test('the guide: an "Aide" link in the header, F1 from a field, one page per role', async ({ browser }) => {
  const agent = await deskAt(browser, DEMO.agent);
  await agent.getByLabel('Prénom ou initiales (facultatif)').focus();
  await agent.keyboard.press('F1');
  await expect(agent).toHaveURL(/\/aide\/accueil$/);
  await expect(agent.getByRole('heading', { level: 1 })).toHaveText('Aide – Guide de l’agent d’accueil');
  for (const task of ['Accueillir une personne', 'Appeler, recevoir, terminer', 'Enregistrer un contact', 'Corriger ou annuler un contact', 'Passer le relais', 'Raccourcis clavier']) {
    await expect(agent.getByRole('heading', { name: new RegExp(task), level: 2 })).toBeVisible();
  }
  await expect(agent.getByTestId('help-appeler')).toContainText('Terminer et appeler le suivant');
  await expect(agent.getByTestId('help-poste')).toContainText('Mon poste');
  await keepScreenshot(agent, 'help-reception');
  await expectAccessible(agent, 'help page');

  const coord = await deskAt(browser, DEMO.coord);
  await coord.getByRole('link', { name: 'Aide' }).click();
  await expect(coord).toHaveURL(/\/aide\/coordination$/);
  await expect(coord.getByTestId('help-cloture')).toContainText('Clôturer la journée');
  await coord.locator('label').filter({ hasText: /^Administration$/ }).click();
  await expect(coord.getByRole('heading', { level: 1 })).toHaveText('Aide – Guide de l’administration');
  await expect(coord.getByTestId('help-comptes')).toBeVisible();
  const pro = await deskAt(browser, DEMO.cdas);
  await pro.getByRole('link', { name: 'Aide' }).click();
  await expect(pro.getByTestId('help-recevoir')).toContainText('À recevoir');
  await expect(pro.getByTestId('help-shortcuts')).not.toContainText('Nouvelle arrivée');
  await expect(pro.locator('main')).not.toContainText(/npm|README|docs\//);
});
