import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { createRequestSigner } from './create-request-signer.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { verifyRequest } from './verify-request.js';

describe('createRequestSigner (for @interlink/client)', () => {
  const secret = randomBytes(32);
  const signer = createRequestSigner({ key: createSigningKey({ keyId: 'k', alg: 'hmac-sha256', secret }) });
  const options = {
    keys: createKeyring([{ keyId: 'k', service: 'caller', alg: 'hmac-sha256' as const, secret }]),
    nonceStore: createMemoryNonceStore(),
  };

  it('signs each attempt with a fresh nonce, verifiable on the other side', async () => {
    const attempt = {
      method: 'POST',
      url: new URL('http://tickets.internal:8080/tickets?x=1'),
      headers: { 'content-type': 'application/json', 'x-tenant-id': 't1', host: 'tickets.internal:8080' },
      body: Buffer.from('{"a":1}'),
    };
    const first = signer.sign(attempt);
    const second = signer.sign(attempt);
    expect(first['signature-input']).not.toBe(second['signature-input']);
    for (const headers of [first, second]) {
      const verified = await verifyRequest(
        { ...attempt, url: '/tickets?x=1', headers: { ...attempt.headers, ...headers } },
        options,
      );
      expect(verified.tenantId).toBe('t1');
    }
  });

  it('refuses a streamed body', () => {
    expect(() =>
      signer.sign({ method: 'POST', url: 'http://x/', headers: {}, body: undefined, streamedBody: true }),
    ).toThrow(expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }));
  });
});
