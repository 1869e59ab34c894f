/**
 * Issue 13 item 5: sign-in answers must not tell whether an account exists, is an administrator,
 * has a PIN, has signed in today or is locked. Each of `session.login` and `session.pinLogin`
 * answers every refusal with one and the same message, the fifth failure included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, type TestSite } from '../fixtures/site';
import { codeOf, messageOf } from './hub-client';

let site: TestSite;
beforeEach(async () => {
  site = await createTestSite();
  site.clock.set('2026-11-23T08:00:00Z');
});
afterEach(() => site.close());

const anon = () => ({ token: null });
const login = (l: string, password: string) => rpcRaw(site.app, anon(), 'session.login', { login: l, password });
const pinLogin = (l: string, pin: string) => rpcRaw(site.app, anon(), 'session.pinLogin', { login: l, pin });

describe('session.login', () => {
  it('answers the same message for an unknown login, a wrong password, each failure up to the lock-out, and a locked account', async () => {
    await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    const answers = [await login('personne', 'un-mot-de-passe-faux'), await login(ADMIN.login, 'un-mot-de-passe-faux')];
    for (let i = 0; i < 5; i++) answers.push(await login('agent', `faux-${i}-faux-faux`));
    answers.push(await login('agent', 'agent-password-1')); // locked now: the right password is refused the same way
    answers.push(await login('AGENT ', 'un-mot-de-passe-faux'));
    for (const a of answers) expect(codeOf(a)).toBe('UNAUTHENTICATED');
    const messages = new Set(answers.map(messageOf));
    expect([...messages]).toHaveLength(1);
    expect([...messages][0]).toMatch(/^Identifiant ou mot de passe incorrect\./);
  });
});

describe('session.pinLogin', () => {
  it('answers the same message for an unknown login, an administrator, an account without PIN, no password sign-in today, a wrong PIN, the lock-out and a locked account', async () => {
    await signInAs(site, 'nopin', 'agent_accueil', 'CCAS');
    const agent = await signInAs(site, 'agent', 'agent_accueil', 'CCAS');
    await rpc(site.app, agent, 'session.setPin', { currentPassword: 'agent-password-1', pin: '4821' });
    const late = await signInAs(site, 'hier', 'agent_accueil', 'CCAS');
    await rpc(site.app, late, 'session.setPin', { currentPassword: 'hier-password-1', pin: '4821' });
    site.store.sqlite.prepare("UPDATE accounts SET last_password_login_at = '2026-11-20T08:00:00.000Z' WHERE login = 'hier'").run();
    await signIn(site.app, ADMIN.login, ADMIN.password);

    const answers = [await pinLogin('personne', '4821'), await pinLogin(ADMIN.login, '4821'), await pinLogin('nopin', '4821'), await pinLogin('hier', '4821')];
    for (let i = 0; i < 5; i++) answers.push(await pinLogin('agent', String(5170 + i)));
    answers.push(await pinLogin('agent', '4821')); // locked now
    for (const a of answers) expect(codeOf(a)).toBe('UNAUTHENTICATED');
    const messages = new Set(answers.map(messageOf));
    expect([...messages]).toHaveLength(1);
    expect([...messages][0]).toMatch(/^Identifiant ou code personnel incorrect\./);
  });
});
