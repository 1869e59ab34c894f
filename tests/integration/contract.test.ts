/**
 * The contract: every method listed by `rpc.schema` answers VALIDATION to invalid params and
 * changes nothing; the schema itself is complete and strict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';
import { can, type Permission, type Role } from '../../src/shared/permissions';
import type { Connection } from '../../src/main/api/types';
import { METHODS, EVENTS } from '../../src/shared/api/contract';
import { ERROR_CODES } from '../../src/shared/api/errors';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
}

let site: TestSite;
let admin: Connection;
const byRole = new Map<Role, Connection>();

/** A session allowed to call a method, so that validation (not permission) is what answers. */
function allowed(permission: string): Connection {
  for (const [role, conn] of byRole) if (can({ role, institution: 'CDAS' }, permission as Permission)) return conn;
  return admin;
}
let schema: { methods: Record<string, { params: JsonSchema; result: JsonSchema; permission: string }>; events: Record<string, unknown> };

beforeAll(async () => {
  site = await createTestSite();
  admin = await signIn(site.app, ADMIN.login, ADMIN.password);
  byRole.set('admin', admin);
  byRole.set('coordinateur', await signInAs(site, 'coord', 'coordinateur', 'CCAS'));
  schema = (await rpc(site.app, { token: null }, 'rpc.schema', {})) as typeof schema;
});
afterAll(() => site.close());

/** A value of the wrong type for a property of the given schema. */
function wrongValue(prop: JsonSchema): unknown {
  const t = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  if (t === 'string') return { not: 'a string' };
  return 'pas le bon type';
}

function invalidParamsFor(params: JsonSchema): unknown[] {
  const cases: unknown[] = [{ champInconnu: 1 }, 'texte', [1, 2, 3], 42, true];
  for (const [name, prop] of Object.entries(params.properties ?? {})) cases.push({ [name]: wrongValue(prop) });
  if ((params.required ?? []).length > 0) cases.push({});
  return cases;
}

describe('rpc.schema', () => {
  it('lists every method with params, result and permission, and every event', () => {
    expect(Object.keys(schema.methods).sort()).toEqual(Object.keys(METHODS).sort());
    expect(Object.keys(schema.events).sort()).toEqual(Object.keys(EVENTS).sort());
    for (const [name, m] of Object.entries(schema.methods)) {
      expect(m.params.type, name).toBe('object');
      expect(m.params.additionalProperties, `${name} rejects unknown fields`).toBe(false);
      expect(typeof m.permission).toBe('string');
    }
  });

  it('has stable error codes', () => {
    expect(ERROR_CODES).toEqual(['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'LOCKED', 'UNAVAILABLE', 'VERSION']);
  });
});

describe('every method refuses invalid params with VALIDATION and changes nothing', () => {
  it.each(Object.keys(METHODS))('%s', async (method) => {
    for (const params of invalidParamsFor(schema.methods[method]!.params)) {
      const before = snapshot(site.store);
      const res = await rpcRaw(site.app, allowed(schema.methods[method]!.permission), method, params);
      expect('error' in res, `${method} ${JSON.stringify(params)}`).toBe(true);
      if ('error' in res) {
        expect(res.error.data.code, `${method} ${JSON.stringify(params)}`).toBe('VALIDATION');
        expect(res.error.message).toMatch(/[a-zé]/);
      }
      expect(snapshot(site.store), `${method} changed the database`).toBe(before);
    }
  });
});

describe('envelope', () => {
  it('answers an unknown method with NOT_FOUND', async () => {
    const r = await rpcRaw(site.app, admin, 'queue.nimporte', {});
    expect('error' in r && r.error).toMatchObject({ code: -32601, data: { code: 'NOT_FOUND' } });
  });

  it('answers a malformed envelope with VALIDATION', async () => {
    const r = await site.app.router.handle({ jsonrpc: '1.0', id: 3, method: 'session.me' }, admin);
    expect(r).toMatchObject({ id: 3, error: { code: -32600, data: { code: 'VALIDATION' } } });
  });

  it('does not answer notifications, and answers batches in order', async () => {
    expect(await site.app.router.handle({ jsonrpc: '2.0', method: 'session.me' }, admin)).toBeNull();
    const batch = await site.app.router.handle(
      [
        { jsonrpc: '2.0', id: 'a', method: 'session.me' },
        { jsonrpc: '2.0', id: 'b', method: 'site.info' },
      ],
      admin,
    );
    expect(Array.isArray(batch) && batch.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('refuses protected methods without a session', async () => {
    const r = await rpcRaw(site.app, { token: null }, 'accounts.list', {});
    expect('error' in r && r.error.data.code).toBe('UNAUTHENTICATED');
  });
});
