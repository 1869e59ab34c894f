/** Shared steps of the end-to-end tests: sign-in, accessibility check, a French keyboard, the desk's screen. */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';

/** The screen of a reception PC (issue 12). */
export const DESK_VIEWPORT = { width: 1366, height: 768 } as const;
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
  // Contexts made here do not inherit the config's `use`: the desk's screen, language and time zone.
  const context = await browser.newContext({ viewport: DESK_VIEWPORT, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
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

/**
 * Checks the page in its current interactive state (an open menu, dialog, date or time picker),
 * not only at rest: the state stays as it is (nothing is clicked or closed), transitions are
 * disabled as in `expectAccessible`. `include` narrows the check to the open layer (a CSS
 * selector such as '[role="menu"]'), and always checks it is really there first.
 */
export async function expectAccessibleState(page: Page, context: string, options: { include?: string } = {}): Promise<void> {
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  if (options.include) await expect(page.locator(options.include).filter({ visible: true }).first(), `${context}: ${options.include} is open`).toBeVisible();
  let builder = new AxeBuilder({ page });
  if (options.include) builder = builder.include(options.include);
  const results = await builder.analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).slice(0, 5).join('\n  ')}`).join('\n');
  expect(serious, `${context}\n${report}`).toEqual([]);
}

export async function choosePost(page: Page, post = 'Guichet 1'): Promise<void> {
  // The demo hub is shared by the tests: whoever an earlier test left at this desk is finished first.
  await freeDesks(page.request, [post], new URL(page.url()).origin);
  await page.getByRole('combobox', { name: 'Mon poste' }).click();
  await page.getByRole('option', { name: post, exact: true }).click();
}

/**
 * A French AZERTY keyboard, as Chromium receives it: Playwright's keyboard types as a US layout,
 * so the key/code pairs of AZERTY are sent through the DevTools protocol. The digit row gives
 * `&é"'(-è_çà` without Shift (codes Digit1…Digit0); letters used by shortcuts sit on the same
 * keys as on QWERTY; `?` is Shift+Comma.
 */
const AZERTY: Record<string, { key: string; text?: string; vk: number; shift?: boolean }> = {
  Digit1: { key: '&', text: '&', vk: 49 },
  Digit2: { key: 'é', text: 'é', vk: 50 },
  Digit3: { key: '"', text: '"', vk: 51 },
  Digit4: { key: "'", text: "'", vk: 52 },
  Digit5: { key: '(', text: '(', vk: 53 },
  Digit6: { key: '-', text: '-', vk: 54 },
  Digit7: { key: 'è', text: 'è', vk: 55 },
  Digit8: { key: '_', text: '_', vk: 56 },
  Digit9: { key: 'ç', text: 'ç', vk: 57 },
  Digit0: { key: 'à', text: 'à', vk: 48 },
  Numpad4: { key: '4', text: '4', vk: 100 },
  Comma: { key: ',', text: ',', vk: 188 },
  Enter: { key: 'Enter', text: '\r', vk: 13 },
  NumpadEnter: { key: 'Enter', text: '\r', vk: 13 },
  Escape: { key: 'Escape', vk: 27 },
  Space: { key: ' ', text: ' ', vk: 32 },
  Tab: { key: 'Tab', vk: 9 },
  F1: { key: 'F1', vk: 112 },
};
const SHIFTED: Record<string, { key: string; text: string }> = { Comma: { key: '?', text: '?' } };

/**
 * Presses one combination on an AZERTY keyboard: `Alt+Digit1`, `Alt+KeyS`, `Control+Enter`,
 * `Digit4`, `Shift+Comma` (?), `F1`… Modifiers are held around the key, as a person would.
 */
export async function azerty(page: Page, combo: string): Promise<void> {
  const parts = combo.split('+');
  const code = parts.pop()!;
  const mods = new Set(parts);
  const cdp = await page.context().newCDPSession(page);
  const letter = /^Key([A-Z])$/.exec(code)?.[1];
  const base = letter ? { key: letter.toLowerCase(), text: letter.toLowerCase(), vk: letter.charCodeAt(0) } : AZERTY[code];
  if (!base) throw new Error(`No AZERTY mapping for ${code}`);
  const shifted = mods.has('Shift') ? SHIFTED[code] : undefined;
  const key = shifted?.key ?? (mods.has('Shift') && letter ? letter : base.key);
  const text = shifted?.text ?? (mods.has('Shift') && letter ? letter : base.text);
  const modifiers = (mods.has('Alt') ? 1 : 0) | (mods.has('Control') ? 2 : 0) | (mods.has('Meta') ? 4 : 0) | (mods.has('Shift') ? 8 : 0);
  const modKeys: [string, string, string, number][] = [
    ['Alt', 'Alt', 'AltLeft', 18],
    ['Control', 'Control', 'ControlLeft', 17],
    ['Shift', 'Shift', 'ShiftLeft', 16],
  ];
  let held = 0;
  for (const [name, k, c, vk] of modKeys) {
    if (!mods.has(name)) continue;
    held |= name === 'Alt' ? 1 : name === 'Control' ? 2 : 8;
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: k, code: c, windowsVirtualKeyCode: vk, modifiers: held });
  }
  // Text is typed only without Alt/Ctrl (with them, a key is a command, not a character).
  const types = text !== undefined && !(modifiers & 3);
  await cdp.send('Input.dispatchKeyEvent', {
    type: types ? 'keyDown' : 'rawKeyDown',
    key,
    code,
    windowsVirtualKeyCode: base.vk,
    modifiers,
    ...(types ? { text, unmodifiedText: text } : {}),
  });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: base.vk, modifiers });
  for (const [name, k, c, vk] of [...modKeys].reverse()) {
    if (!mods.has(name)) continue;
    held &= ~(name === 'Alt' ? 1 : name === 'Control' ? 2 : 8);
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, code: c, windowsVirtualKeyCode: vk, modifiers: held });
  }
  await cdp.detach();
}

/** Nothing scrolls sideways: the page is never wider than the screen. */
export async function expectNoHorizontalScroll(page: Page, state: string): Promise<void> {
  const size = (await page.evaluate('({ scrollWidth: document.scrollingElement.scrollWidth, clientWidth: document.scrollingElement.clientWidth })')) as {
    scrollWidth: number;
    clientWidth: number;
  };
  expect(size.scrollWidth, `${state}: the page scrolls horizontally (${size.scrollWidth} > ${size.clientWidth})`).toBeLessThanOrEqual(size.clientWidth);
}

/** Where the desk screenshots are kept (ignored by git): a reviewer opens them after a run. */
export const ARTIFACTS = 'tests/e2e/artifacts';

/** Keeps a screenshot of the screen as the agent sees it (the viewport, not the whole page). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
}

/** Whether an element is entirely on screen (inside the viewport). */
export async function expectOnScreen(page: Page, locator: ReturnType<Page['locator']>, what: string): Promise<void> {
  await expect(locator, what).toBeVisible();
  const box = (await locator.boundingBox())!;
  const vp = page.viewportSize()!;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge beyond the screen`).toBeLessThanOrEqual(vp.width);
  expect(box.y + box.height, `${what}: bottom edge below the fold`).toBeLessThanOrEqual(vp.height);
}

/** What `/rpc` answers, as the e2e tests read it. */
export interface RpcAnswer {
  result?: Record<string, unknown>;
  error?: { message: string; data?: { code: string } };
}

/**
 * Signs `user` in through the hub's API (`origin` + `/rpc`, or the page's base URL when empty)
 * and returns a caller of methods in that session: tests prepare or check state beside the UI.
 */
export async function apiAs(request: APIRequestContext, user: { login: string; password: string }, origin = ''): Promise<(method: string, params: unknown) => Promise<RpcAnswer>> {
  const call = async (method: string, params: unknown, token?: string) =>
    (await (await request.post(`${origin}/rpc`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, data: { jsonrpc: '2.0', id: 1, method, params } })).json()) as RpcAnswer;
  const token = ((await call('session.login', user)).result as { token: string }).token;
  return (method, params) => call(method, params, token);
}

/**
 * A desk receives one person at a time: the demo hub is shared by the tests, so a test that calls
 * to a desk first finishes whoever an earlier test (or its failed first attempt) left there.
 */
export async function freeDesks(request: APIRequestContext, destinations: readonly string[], origin = ''): Promise<void> {
  const rpc = await apiAs(request, DEMO.coord, origin);
  const { entries } = (await rpc('queue.list', {})).result as { entries: { id: string; version: number; state: string; calledTo: string | null }[] };
  for (const e of entries) {
    if (e.calledTo && destinations.includes(e.calledTo) && (e.state === 'called' || e.state === 'in_progress')) await rpc('queue.finish', { id: e.id, version: e.version });
  }
}
