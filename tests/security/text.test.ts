/**
 * Issue 13 item 17: bidi overrides, zero-width and control characters in typed text render spoofed
 * names. One shared helper (src/shared/api/text.ts) refuses them; this suite checks it as a
 * property over the whole contract: every string field of every method's params, at any depth,
 * refuses a bidi override (and a zero-width joiner) with a VALIDATION issue on that very field.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission, type Role } from '../../src/shared/permissions';
import { SAFE_LINE, SAFE_MULTILINE, zText } from '../../src/shared/api/text';
import type { Connection } from '../../src/main/api/types';
import { ADMIN, createTestSite, rpc, rpcRaw, signIn, signInAs, snapshot, type TestSite } from '../fixtures/site';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
}

let site: TestSite;
const sessions = new Map<Role, Connection>();
let schema: { methods: Record<string, { params: JsonSchema; permission: string }> };

beforeAll(async () => {
  site = await createTestSite();
  sessions.set('admin', await signIn(site.app, ADMIN.login, ADMIN.password));
  sessions.set('coordinateur', await signInAs(site, 'coord', 'coordinateur', null));
  sessions.set('professionnel', await signInAs(site, 'pro', 'professionnel', 'CDAS'));
  schema = (await rpc(site.app, { token: null }, 'rpc.schema', {})) as typeof schema;
});
afterAll(() => site.close());

function sessionFor(permission: string): Connection {
  for (const [role, conn] of sessions) if (can({ role, institution: 'CDAS' }, permission as Permission)) return conn;
  return { token: null };
}

/** Every path to a string value in a params schema ("a", "a.b", "list.0", "map.KEY"). */
function stringPaths(s: JsonSchema, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes('string')) out.push(prefix);
  for (const sub of [...(s.anyOf ?? []), ...(s.allOf ?? [])]) out.push(...stringPaths(sub, prefix));
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...stringPaths(v, [...prefix, k]));
  if (s.items) out.push(...stringPaths(s.items, [...prefix, '0']));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.push(...stringPaths(s.additionalProperties, [...prefix, 'KEY']));
  return out;
}

function paramsWith(path: string[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const inner = paramsWith(rest, value);
  return head === '0' ? [inner] : { [head!]: inner };
}

const HOSTILE = ['Dupont\u202Etnemom', 'Du\u200Dpont', 'A\u2066B\u2069', 'x\u0007y', 'Ali\uFEFFce'];

const fields = () =>
  Object.entries(schema.methods).flatMap(([method, def]) =>
    stringPaths(def.params)
      .filter((p) => p.length > 0)
      .map((path) => ({ method, path, permission: def.permission })),
  );

describe('every string field of the contract refuses deceptive characters', () => {
  it('lists the string fields it checks (the walk is not empty)', () => {
    const all = fields();
    expect(all.length).toBeGreaterThan(60);
    expect(all.map((f) => `${f.method}:${f.path.join('.')}`)).toEqual(expect.arrayContaining(['queue.add:firstName', 'handoffs.create:personName', 'contacts.log:person.lastName', 'directory.saveEntry:name']));
  });

  it('answers VALIDATION on that field, whatever the deceptive character, and changes nothing', async () => {
    const before = snapshot(site.store);
    const failures: string[] = [];
    for (const { method, path, permission } of fields()) {
      for (const hostile of HOSTILE) {
        const r = await rpcRaw(site.app, sessionFor(permission), method, paramsWith(path, hostile));
        const dotted = path.join('.');
        const onField = 'error' in r && r.error.data.code === 'VALIDATION' && (r.error.data.issues ?? []).some((i) => i.path === dotted || i.path.startsWith(`${dotted}.`));
        if (!onField) failures.push(`${method} ${dotted} ${JSON.stringify(hostile)} → ${JSON.stringify('error' in r ? r.error.data : 'OK')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(snapshot(site.store)).toBe(before);
  }, 120_000);
});

describe('zText', () => {
  it('normalises to NFC and trims, keeps line feeds only where multi-line', () => {
    expect(zText().parse('  Ame\u0301lie ')).toBe('Amélie');
    expect(zText({ multiline: true }).parse('ligne 1\r\nligne 2\tfin')).toBe('ligne 1\nligne 2\tfin');
    expect(zText().safeParse('ligne 1\nligne 2').success).toBe(false);
  });

  it('accepts ordinary French text of any kind, refuses any string holding one deceptive character (property)', () => {
    const ordinary = fc.string({ unit: fc.constantFrom(...'abcdeéèêàçùôœÆ’«» -\'0123456789.,;:!?()'.split('')), maxLength: 40 });
    const deceptive = fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u0000', '\u001B', '\u0085');
    fc.assert(fc.property(ordinary, (s) => SAFE_LINE.test(s) && SAFE_MULTILINE.test(s)));
    // Inside the text (at its ends, the characters JavaScript counts as spaces, like U+FEFF, are trimmed away).
    fc.assert(
      fc.property(ordinary, deceptive, ordinary, (a, d, b) => {
        expect(zText().safeParse(`${a}y${d}${b}x`).success).toBe(false);
        expect(zText({ multiline: true }).safeParse(`${a}y${d}${b}x`).success).toBe(false);
      }),
    );
  });
});
