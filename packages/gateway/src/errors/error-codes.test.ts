import { readFileSync } from 'node:fs';
import { diffErrorTable, parseErrorTable } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { gatewayErrorCodes } from './gateway-error.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('docs/errors.md', () => {
  it('lists every @interlink/gateway code with its status, and nothing else for the gateway', () => {
    expect(diffErrorTable('@interlink/gateway', gatewayErrorCodes, parseErrorTable(docs))).toEqual([]);
  });

  it('catches a code missing from the docs', () => {
    const table = { ...gatewayErrorCodes, ERR_GATEWAY_NEW_ONE: { status: 400, title: 'New' } };
    expect(diffErrorTable('@interlink/gateway', table, parseErrorTable(docs))).toEqual([
      'ERR_GATEWAY_NEW_ONE is not in docs/errors.md',
    ]);
  });
});
