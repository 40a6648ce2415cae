import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { clientErrorCodes } from './client-error-codes.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/client code with its status, and nothing else for client', () => {
    expect(diffErrorTable('@interlink/client', clientErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...clientErrorCodes, ERR_NEW_ONE: { status: 400, title: 'New' } };
    expect(diffErrorTable('@interlink/client', table, parseErrorTable(docs))).toEqual([
      'ERR_NEW_ONE is not in docs/errors.md',
    ]);
  });

  it('lists each code once across all packages', () => {
    const codes = parseErrorTable(docs).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
