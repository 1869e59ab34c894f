import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/main/store/ids';
import { can, ROLES } from '../../src/shared/permissions';
import { METHODS } from '../../src/shared/api/contract';

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 UUID, strictly increasing even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7(1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('permissions', () => {
  it('grants accounts management to administrators only', () => {
    for (const role of ROLES) expect(can({ role, institution: null }, 'accounts.manage')).toBe(role === 'admin');
  });

  it('refuses everything but public methods without a session', () => {
    for (const [name, def] of Object.entries(METHODS)) expect(can(null, def.permission), name).toBe(def.permission === 'public');
  });
});
