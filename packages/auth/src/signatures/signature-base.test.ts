import fc from 'fast-check';
import { type BareItem, serializeInnerList, serializeItem, Token } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import { type ComponentId, serializeComponentId, serializeSignatureParams } from './signature-base.js';

const key = fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,8}$/);
const bare: fc.Arbitrary<BareItem> = fc.oneof(
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.boolean(),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9:/!#$%&'*+.^_`|~-]{0,8}$/).map((t) => new Token(t)),
);
const params = fc
  .uniqueArray(fc.tuple(key, bare), { selector: ([k]) => k, maxLength: 5 })
  .map((entries) => new Map(entries));
const componentId: fc.Arbitrary<ComponentId> = fc.tuple(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  params,
);

describe('hand-written structured-field serialization', () => {
  it('equals structured-headers for component identifiers and signature parameters (5,000 cases)', () => {
    fc.assert(
      fc.property(fc.array(componentId, { maxLength: 6 }), params, (components, p) => {
        for (const id of components) expect(serializeComponentId(id)).toBe(serializeItem(id));
        expect(serializeSignatureParams(components, p)).toBe(serializeInnerList([components, p]));
      }),
      { numRuns: 5_000 },
    );
  });
});
