import fc from 'fast-check';
import { type InnerList, parseDictionary, serializeInnerList } from 'structured-headers';
import { describe, expect, it } from 'vitest';
import {
  matchSignatureInput,
  parseByteMemberFast,
  parseSignatureInputFast,
} from './fast-structured-fields.js';

function full(input: string): unknown {
  try {
    return parseDictionary(input);
  } catch {
    return 'parse error';
  }
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 12,
});
const key = fc.oneof(fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,6}$/), printable);
const component = fc.oneof(
  fc.constantFrom('@method', '@authority', 'content-digest', 'x-tenant-id'),
  printable,
);
const value = fc.oneof(
  fc.integer({ min: 0, max: 1e15 }).map(String),
  fc.stringMatching(/^0\d{0,3}$/),
  printable.map((s) => `"${s}"`),
  printable,
);
const signatureInput = fc
  .tuple(
    key,
    fc.array(component, { maxLength: 5 }),
    // Keys from a small set too, so that repeated parameters come up often.
    fc.array(fc.tuple(fc.oneof(key, fc.constantFrom('created', 'nonce')), value), { maxLength: 7 }),
    fc.constantFrom('', ' ', ', x=1'),
  )
  .map(
    ([label, comps, params, tail]) =>
      `${label}=(${comps.map((c) => `"${c}"`).join(' ')})${params.map(([k, v]) => `;${k}=${v}`).join('')}${tail}`,
  );
const byteMember = fc
  .tuple(key, fc.uint8Array({ maxLength: 70 }), fc.constantFrom('', '=', 'A', ' '))
  .map(([label, bytes, noise]) => `${label}=:${Buffer.from(bytes).toString('base64')}${noise}:`);

describe('fast structured-field paths', () => {
  it('parse a Signature-Input exactly as structured-headers does, or defer to it (20,000 cases)', () => {
    fc.assert(
      fc.property(signatureInput, (input) => {
        const fast = parseSignatureInputFast(input);
        if (fast === undefined) return;
        const parsed = full(input) as Map<string, InnerList>;
        expect(fast).toEqual(parsed);
        // The text taken for the signature base is the serialization the full path would make.
        const [label, member] = [...parsed][0]!;
        expect(matchSignatureInput(input)?.innerList).toBe(serializeInnerList(member));
        expect(`${label}=${serializeInnerList(member)}`).toBe(input);
      }),
      { numRuns: 20_000 },
    );
  });

  it('parse a byte-sequence member exactly as structured-headers does, or defer to it (20,000 cases)', () => {
    fc.assert(
      fc.property(byteMember, (input) => {
        const fast = parseByteMemberFast(input);
        if (fast !== undefined) expect(fast).toEqual(full(input));
      }),
      { numRuns: 20_000 },
    );
  });

  it('take the shapes the signer writes (so the fast path is actually used)', () => {
    expect(
      parseSignatureInputFast(
        'interlink=("@method" "@authority" "content-digest");created=1800000000;expires=1800000060;nonce="abc_-";keyid="k-1";alg="hmac-sha256";tag="interlink"',
      ),
    ).toEqual(
      parseDictionary(
        'interlink=("@method" "@authority" "content-digest");created=1800000000;expires=1800000060;nonce="abc_-";keyid="k-1";alg="hmac-sha256";tag="interlink"',
      ),
    );
    expect(parseByteMemberFast('sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:')).toBeDefined();
    expect(parseSignatureInputFast('a=("x"), b=("y")')).toBeUndefined();
    // Not canonical, so left to the full parser: a leading zero, a repeated parameter.
    expect(parseSignatureInputFast('a=("x");created=01')).toBeUndefined();
    expect(parseSignatureInputFast('a=("x");created=1;created=2')).toBeUndefined();
  });
});
