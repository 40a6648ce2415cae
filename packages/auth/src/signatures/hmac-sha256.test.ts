import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmacSha256Base64 } from './hmac-sha256.js';

const reference = (secret: Buffer, message: string) =>
  createHmac('sha256', secret).update(message).digest('base64');

describe('createHmacSha256Base64 (RFC 2104 over crypto.hash)', () => {
  it('gives the bytes createHmac gives, for random keys (shorter, as long as and longer than the block) and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 400 }), { minLength: 1, maxLength: 5 }),
        (bytes, messages) => {
          const secret = Buffer.from(bytes);
          const mac = createHmacSha256Base64(createSecretKey(secret));
          for (const message of messages) expect(mac(message)).toBe(reference(secret, message));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees at the block boundary, on lone surrogates, on repeated lengths and past its scratch space', () => {
    const messages = [
      '',
      'a',
      '\ud800',
      'x\udc00y',
      'é'.repeat(3000),
      'b'.repeat(2730),
      'c'.repeat(2731),
      'd'.repeat(20_000),
      '"@method": GET\n"@path": /a',
      '"@method": GET\n"@path": /b',
    ];
    for (const length of [63, 64, 65, 128, 129]) {
      const secret = randomBytes(length);
      const mac = createHmacSha256Base64(createSecretKey(secret));
      for (const message of [...messages, ...messages.reverse()]) {
        expect(mac(message)).toBe(reference(secret, message));
      }
    }
  });

  it('matches the RFC 4231 test vectors (test cases 2 and 6: a short key, a key longer than the block)', () => {
    const case2 = createHmacSha256Base64(createSecretKey(Buffer.from('Jefe')));
    expect(Buffer.from(case2('what do ya want for nothing?'), 'base64').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    const case6 = createHmacSha256Base64(createSecretKey(Buffer.alloc(131, 0xaa)));
    expect(
      Buffer.from(case6('Test Using Larger Than Block-Size Key - Hash Key First'), 'base64').toString('hex'),
    ).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });
});
