/** The shared queue across two reception desks, a CDAS office and the waiting-room display. */
import { expect, test } from '@playwright/test';
import { choosePost, DEMO, desk, DESK_VIEWPORT, expectAccessible, signIn } from './helpers';

test('an arrival registered at one desk appears live at the other desk, in the CDAS office and, once called, on the display without any name', async ({ browser }) => {
  const desk1 = await desk(browser, DEMO.agent);
  const desk2 = await desk(browser, DEMO.agent2);
  const office = await desk(browser, DEMO.cdas);
  const display = await (await browser.newContext()).newPage();
  await display.goto('/display');
  await expectAccessible(display, 'waiting-room display');

  // A plain walk-in in three interactions: service, first name, confirm.
  let interactions = 0;
  await desk1.getByTestId('service-CDAS').click();
  interactions++;
  await desk1.getByLabel('Prénom ou initiales (facultatif)').fill('Zoé');
  interactions++;
  await desk1.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  interactions++;
  expect(interactions).toBeLessThanOrEqual(3);
  const ticket = (await desk1.getByTestId('issued-ticket-number').textContent())!.trim();
  expect(ticket).toMatch(/^D-\d{3}$/);
  await expectAccessible(desk1, 'queue board with arrival form');

  await expect(desk2.getByTestId(`entry-${ticket}`)).toContainText('Zoé');
  await office.getByRole('link', { name: 'File d’attente' }).click();
  await expect(office.getByTestId(`entry-${ticket}`)).toBeVisible();
  // The CDAS office sees only the CDAS queue.
  await expect(office.getByRole('tab', { name: /CCAS/ })).toHaveCount(0);

  await choosePost(office, 'Bureau 3');
  // Earlier CDAS arrivals are called first (arrival order). The office serves one person at a time:
  // "Terminer et appeler le suivant" until our ticket is at the office.
  const strip = office.getByTestId('my-desk');
  await office.getByRole('button', { name: /^Appeler le suivant/ }).click();
  await expect
    .poll(
      async () => {
        const atDesk = await strip.locator('[data-testid^="desk-"]').getAttribute('data-testid', { timeout: 2000 }).catch(() => null);
        if (atDesk === `desk-${ticket}`) return true;
        await strip.getByRole('button', { name: /^Terminer et appeler le suivant/ }).click();
        await office.getByRole('dialog', { name: /Contact du passage/ }).getByRole('button', { name: 'Plus tard' }).click();
        return false;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await expect(desk1.getByRole('table', { name: /appelées/ })).toContainText(ticket);
  await expect(display.getByTestId('display-latest')).toContainText(`${ticket.split('-')[0]} ${Number(ticket.split('-')[1])}`);
  await expect(display.getByTestId('display-latest')).toContainText('Bureau 3');
  await expect(display.locator('body')).not.toContainText('Zoé');
});

test('two desks calling the same person at once: one succeeds, the other is told why', async ({ browser }) => {
  const desk1 = await desk(browser, DEMO.agent);
  // The second desk's screen lags (its live updates are held back), as when both click within the same instant.
  const context2 = await browser.newContext({ viewport: DESK_VIEWPORT, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  let holding = false;
  const held: string[] = [];
  let release: () => void = () => undefined;
  await context2.routeWebSocket(/\/rpc(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const notification = typeof m === 'string' && 'method' in (JSON.parse(m) as object);
      if (holding && notification) held.push(m as string);
      else ws.send(m);
    });
    release = () => {
      holding = false;
      for (const m of held.splice(0)) ws.send(m);
    };
  });
  const desk2 = await context2.newPage();
  await signIn(desk2, DEMO.agent2);

  await desk1.getByTestId('service-ARCS').click();
  await desk1.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  await expect(desk1.getByTestId('issued-ticket-number')).toHaveText(/^S-\d{3}$/);
  const ticket = (await desk1.getByTestId('issued-ticket-number').textContent())!.trim();
  await choosePost(desk1, 'Guichet 1');
  await choosePost(desk2, 'Guichet 2');
  const b1 = desk1.getByRole('button', { name: `Appeler ${ticket}` });
  const b2 = desk2.getByRole('button', { name: `Appeler ${ticket}` });
  await expect(b1).toBeEnabled();
  await expect(b2).toBeEnabled();
  holding = true;
  await b1.click();
  await expect(desk1.getByTestId(`desk-${ticket}`)).toBeVisible();
  await b2.click();
  await expect(desk2.getByText(/impossible : le ticket/)).toBeVisible();
  await expect(desk1.getByText(/impossible : le ticket/)).toHaveCount(0);
  release();
  // Both desks end up showing the ticket called to exactly one desk: in its "Mon poste", in the other's list.
  await expect(desk1.getByTestId(`desk-${ticket}`)).toBeVisible();
  await expect(desk2.getByRole('table', { name: /appelées/ }).getByText(ticket)).toBeVisible();
  await expect(desk2.getByTestId(`desk-${ticket}`)).toHaveCount(0);
});

test('a desk serves a person from call to finish and sees the waiting time', async ({ page, browser }) => {
  const agent = await desk(browser, DEMO.agent);
  await agent.getByTestId('service-CAF').click();
  await agent.getByRole('button', { name: 'Enregistrer l’arrivée' }).click();
  const ticket = (await agent.getByTestId('issued-ticket-number').textContent())!.trim();
  await expect(agent.getByTestId(`entry-${ticket}`).getByTestId('waited')).toHaveText('0 min');
  await choosePost(agent, 'Bureau 1');
  await agent.getByRole('button', { name: `Appeler ${ticket}` }).click();
  // "Commencer" is optional (in the menu): finishing after the call counts the interview from the call.
  await agent.getByRole('button', { name: `Autres actions pour ${ticket}` }).click();
  await agent.getByRole('menuitem', { name: /Commencer l’entretien/ }).click();
  await expect(agent.getByTestId(`desk-${ticket}`)).toContainText('En cours');
  await agent.getByRole('button', { name: `Terminer ${ticket}` }).click();
  await expect(agent.getByRole('dialog', { name: `Contact du passage ${ticket}` })).toBeVisible();
  await agent.getByRole('button', { name: 'Plus tard' }).click();
  await expect(agent.getByRole('table', { name: 'Passages terminés aujourd’hui' })).toContainText(ticket);
  await agent.getByText(/Ordre de passage : comment la file est triée/).click();
  await expect(agent.getByTestId('ordering-rule')).toContainText('minutes d’attente en plus');
  await page.close();
});
