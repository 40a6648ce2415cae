import { describe, expect, it } from 'vitest';
import { isTenantId, isTopic, isUserId } from '../index.js';

// The one rule an edge that takes ids from outside (the realtime gateway) checks before publishing.
describe('the ids every transport carries', () => {
  it('takes words of letters, digits, "_" and "-", up to 100 characters', () => {
    for (const id of ['t1', 'acme-corp', 'a_b', 'x'.repeat(100)]) {
      expect(isTenantId(id), id).toBe(true);
      expect(isUserId(id), id).toBe(true);
    }
    for (const id of ['', 'a.b', 'a*', 'a>', 'a b', 'a@b', 'é', 'x'.repeat(101), 42, undefined]) {
      expect(isTenantId(id), String(id)).toBe(false);
      expect(isUserId(id), String(id)).toBe(false);
    }
  });

  it('refuses tenants starting with "_" (reserved on NATS) and the user "_" (read as "no user")', () => {
    expect(isTenantId('_replay')).toBe(false);
    expect(isTenantId('_')).toBe(false);
    expect(isUserId('_')).toBe(false);
    expect(isUserId('_svc')).toBe(true);
  });

  it('takes types of dot-separated words', () => {
    expect(isTopic('order.paid')).toBe(true);
    expect(isTopic('A-1.b_2.c')).toBe(true);
    for (const type of ['', 'order..paid', '.order', 'order.', 'order:paid', 'a b', 'order.paid\n', '.'])
      expect(isTopic(type), type).toBe(false);
  });
});
