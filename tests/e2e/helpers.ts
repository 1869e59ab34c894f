/** Shared steps of the end-to-end tests: sign-in, accessibility check. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';

/** The built hub and CLI, as in production (built by the Playwright web server, scripts/e2e-hub.mjs). */
export const HUB_CLI = 'out/hub/cli.js';

export const DEMO = {
  admin: { login: 'admin', password: 'demo-admin-esc' },
  agent: { login: 'agent', password: 'demo-agent-esc' },
  agent2: { login: 'agent2', password: 'demo-agent-esc' },
  cdas: { login: 'cdas', password: 'demo-cdas-esc' },
  caf: { login: 'caf', password: 'demo-caf-esc' },
  coord: { login: 'coord', password: 'demo-coord-esc' },
} as const;

export async function signIn(page: Page, user: { login: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Identifiant').fill(user.login);
  await page.getByLabel(/^Mot de passe/).fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

/** A new browser context (its own session, like another desk or office) signed in as `user`. */
export async function desk(browser: Browser, user: { login: string; password: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** Fails on serious or critical accessibility violations, listing them readably. */
export async function expectAccessible(page: Page, context: string): Promise<void> {
  // Colours are checked at rest: a drawer or modal still fading in blends its text with the page
  // behind, which axe would report as low contrast (a flaky false alarm).
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`).join('\n');
  expect(serious, `${context}\n${report}`).toEqual([]);
}

export async function choosePost(page: Page, post = 'Guichet 1'): Promise<void> {
  await page.getByRole('combobox', { name: 'Mon poste' }).click();
  await page.getByRole('option', { name: post, exact: true }).click();
}
