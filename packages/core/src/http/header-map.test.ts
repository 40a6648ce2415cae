import { describe, expect, it } from 'vitest';
import { lowerCaseHeaders } from './header-map.js';

describe('lowerCaseHeaders', () => {
  it('returns lower-case headers as they are, and joins fields that differ only in case', () => {
    const lower = { host: 'a', 'x-tenant-id': 't' };
    expect(lowerCaseHeaders(lower)).toBe(lower);
    const mixed = lowerCaseHeaders({ Host: 'a', 'X-Tenant-ID': 't', 'x-tenant-id': 'u' });
    expect(mixed).toEqual({ host: 'a', 'x-tenant-id': ['t', 'u'] });
  });
});
