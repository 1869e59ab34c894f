/**
 * Versions that differ during a roll-out, over the real hub (HTTP and WebSocket): a desk that
 * announces a contract the hub cannot serve gets, for every call, the error VERSION with a French
 * sentence saying what to do (update the desk / wait for the hub), and nothing is done for it;
 * desks of the served versions (and old clients that announce nothing) work as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningHub } from '../../src/main/hub/server';
import { CONTRACT_VERSION, contractVerdict, parseContract } from '../../src/shared/api/version';
import { startTestHub, type TestHub } from '../fixtures/hub';
import { ADMIN, type TestSite } from '../fixtures/site';

let t: TestHub;
let site: TestSite;
let hub: RunningHub;

beforeAll(async () => {
  ({ site, hub } = t = await startTestHub({ staticDir: null }));
});
afterAll(() => t.close());

const login = { jsonrpc: '2.0', id: 1, method: 'session.login', params: ADMIN };
const sessions = () => (site.store.sqlite.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;

async function post(body: unknown, contract?: string): Promise<Record<string, unknown> | Record<string, unknown>[]> {
  const res = await fetch(new URL('rpc', hub.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(contract === undefined ? {} : { 'X-Esc-Contract': contract }) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

function socketCall(query: string, message: unknown): Promise<Record<string, unknown> | Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(new URL(`rpc${query}`, hub.url.replace('http', 'ws')));
    ws.on('open', () => ws.send(JSON.stringify(message)));
    ws.on('message', (d) => {
      resolve(JSON.parse(d.toString()) as Record<string, unknown>);
      ws.close();
    });
    ws.on('error', reject);
  });
}

type Err = { error: { message: string; data: { code: string; action: string; hubContract: number } } };

describe('a desk newer than the hub', () => {
  it('is told to wait for the hub’s update, over HTTP and WebSocket, and nothing is done', async () => {
    const before = sessions();
    for (const answer of [await post(login, String(CONTRACT_VERSION + 1)), await socketCall(`?contract=${CONTRACT_VERSION + 1}`, login)]) {
      const { error } = answer as Err;
      expect(error.data).toEqual({ code: 'VERSION', action: 'wait_for_hub', hubContract: CONTRACT_VERSION });
      expect(error.message).toMatch(/plus récente que le hub du site.*mettre le hub à jour/);
    }
    expect(sessions()).toBe(before);
  });

  it('gets the same answer for every request of a batch, each with its id', async () => {
    const answers = (await post([login, { ...login, id: 'b' }], '99')) as unknown as (Err & { id: unknown })[];
    expect(answers.map((a) => [a.id, a.error.data.code])).toEqual([
      [1, 'VERSION'],
      ['b', 'VERSION'],
    ]);
  });
});

describe('a desk older than the hub can serve', () => {
  it('is told to update itself (reload the page, or restart the desktop app)', async () => {
    for (const answer of [await post(login, '0'), await socketCall('?contract=0', login)]) {
      const { error } = answer as Err;
      expect(error.data.action).toBe('update_desk');
      expect(error.message).toMatch(/plus ancienne que le hub.*rechargez la page \(touche F5\)/);
    }
  });

  it('an unreadable version is refused the same way', async () => {
    expect(((await post(login, 'latest')) as Err).error.data.action).toBe('update_desk');
  });
});

describe('desks the hub serves', () => {
  it('work when they announce its contract, and when they announce none (clients older than versioning)', async () => {
    for (const answer of [await post(login, String(CONTRACT_VERSION)), await post(login), await socketCall(`?contract=${CONTRACT_VERSION}`, login), await socketCall('', login)]) {
      expect((answer as { result: { token: string } }).result.token).toBeTruthy();
    }
  });

  it('/health and system.about say which contract the hub speaks', async () => {
    const health = (await (await fetch(new URL('health', hub.url))).json()) as { contract: number; version: string };
    expect(health.contract).toBe(CONTRACT_VERSION);
    const about = (await post({ jsonrpc: '2.0', id: 3, method: 'system.about', params: {} })) as { result: { contract: number; oldestContract: number; version: string } };
    expect(about.result).toMatchObject({ contract: CONTRACT_VERSION, version: health.version });
  });
});

describe('the rule, for a hub serving contracts 2 to 3', () => {
  const hubRange = { current: 3, oldest: 2 };
  it.each([
    ['1', 'update_desk'],
    ['2', 'ok'],
    ['3', 'ok'],
    ['4', 'wait_for_hub'],
    ['x', 'update_desk'],
  ])('a desk announcing %s → %s', (announced, expected) => {
    const verdict = contractVerdict(parseContract(announced), hubRange);
    expect(verdict.ok ? 'ok' : verdict.action).toBe(expected);
  });

  it('a desk announcing nothing spoke contract 1: too old for this hub', () => {
    expect(contractVerdict(null, hubRange)).toMatchObject({ ok: false, action: 'update_desk' });
  });
});
