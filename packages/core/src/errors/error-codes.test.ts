import { describeErrorTable } from '@interlink/testing/errors';
import { describe, expect, it } from 'vitest';
import { coreErrorCodes, defineErrorCodes } from './error-codes.js';

describeErrorTable('@interlink/core', coreErrorCodes, 'ERR_');

describe('defineErrorCodes', () => {
  it('reads one code a line: status, title, and a final (not retryable) mark', () => {
    const codes = defineErrorCodes(`
      // a heading
      ERR_DEMO_INVALID   400 Demo payload invalid (not retryable)

      ERR_DEMO_BUSY      503 Demo (still) busy
    `);
    expect(codes).toEqual({
      ERR_DEMO_INVALID: { status: 400, title: 'Demo payload invalid', retryable: false },
      ERR_DEMO_BUSY: { status: 503, title: 'Demo (still) busy' },
    });
  });

  it.each([
    ['a line without a status', 'ERR_DEMO Demo', '"ERR_DEMO Demo" is not "ERR_CODE status Title"'],
    ['a status out of range', 'ERR_DEMO 600 Demo', '"ERR_DEMO 600 Demo" is not'],
    ['a line without a title', 'ERR_DEMO 400', '"ERR_DEMO 400" is not'],
    ['a code without ERR_', 'DEMO 400 Demo', '"DEMO 400 Demo" is not'],
    ['a code written twice', 'ERR_DEMO 400 Demo\nERR_DEMO 404 Demo again', 'ERR_DEMO is listed twice'],
  ])('refuses %s when the module loads', (_, table, message) => {
    expect(() => defineErrorCodes(table)).toThrow(message);
  });
});
