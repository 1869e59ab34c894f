/**
 * The renderer when the hub cannot serve its version: the page's WebSocket is relayed to the real
 * demo hub announcing another contract (as a page built for another version would), and the page
 * says what to do instead of failing on every screen.
 */
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { CONTRACT_VERSION } from '../../src/shared/api/version';
import { DEMO, expectAccessible, signIn } from './helpers';

const PORT = Number(process.env.E2E_PORT ?? 4899);

/** Relays the page's /rpc socket to the hub, announcing `contract` instead of the page's own. */
async function announce(page: Page, contract: number): Promise<void> {
  await page.routeWebSocket(/\/rpc/, (route) => {
    const upstream = new WebSocket(`ws://127.0.0.1:${PORT}/rpc?contract=${contract}`);
    const pending: string[] = [];
    upstream.on('open', () => pending.splice(0).forEach((m) => upstream.send(m)));
    route.onMessage((m) => (upstream.readyState === WebSocket.OPEN ? upstream.send(String(m)) : pending.push(String(m))));
    upstream.on('message', (data) => route.send(data.toString()));
    upstream.on('close', () => route.close());
    route.onClose(() => upstream.close());
  });
}

test.use({ viewport: { width: 1366, height: 768 } });

test('a desk newer than its hub is told to wait for the hub’s update', async ({ page }) => {
  await announce(page, CONTRACT_VERSION + 1);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Le hub du site doit d’abord être mis à jour' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('plus récente que le hub du site');
  await expect(page.getByRole('button', { name: 'Recharger la page' })).toBeVisible();
  await expect(page.getByLabel('Identifiant')).toHaveCount(0);
  await expectAccessible(page, 'versions différentes (hub plus ancien)');
  await page.screenshot({ path: 'test-results/version-wait-for-hub.png' });
});

test('a desk older than its hub is told to update itself', async ({ page }) => {
  await announce(page, CONTRACT_VERSION - 1);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Ce poste doit être mis à jour' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('rechargez la page (touche F5)');
  await page.screenshot({ path: 'test-results/version-update-desk.png' });
});

test('a desk of the hub’s version works as usual', async ({ page }) => {
  await signIn(page, DEMO.agent);
});
