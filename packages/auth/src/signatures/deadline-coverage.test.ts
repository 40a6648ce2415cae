import { randomBytes } from 'node:crypto';
import { DEADLINE_HEADER } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { codeOf } from '../testing/refusal-code.test.helper.js';
import { createRequestSigner } from './create-request-signer.js';
import { signRequest } from './sign-request.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { verifyRequest } from './verify-request.js';

// The caller's deadline (core's x-interlink-deadline) is covered whenever it is sent, by both
// signers, and a verifier refuses one that is not covered or was changed.

const secret = randomBytes(32);
const key = createSigningKey({ keyId: 'k1', alg: 'hmac-sha256', secret });
const options = () => ({
  keys: createKeyring([{ keyId: 'k1', service: 'svc', alg: 'hmac-sha256' as const, secret }]),
  nonceStore: createMemoryNonceStore(),
  authority: 'tickets.internal:8080',
});
const deadline = String(Date.now() + 5000);
const headers = { 'content-type': 'application/json', [DEADLINE_HEADER]: deadline };
const body = Buffer.from('{"seats":2}');

/** The request as the receiver sees it, with the signer's headers and `over` on top. */
function received(signed: Record<string, string>, over: Record<string, string> = {}) {
  return {
    method: 'POST',
    url: '/tickets?event=e-1',
    headers: { host: 'tickets.internal:8080', ...headers, ...signed, ...over },
    body,
  };
}

describe('the deadline header is covered by the signature', () => {
  it("the client's signer (createRequestSigner) and signRequest cover it; the verifier reports it", async () => {
    const client = createRequestSigner({ key }).sign({
      method: 'POST',
      url: 'http://tickets.internal:8080/tickets?event=e-1',
      headers,
      body,
    });
    const direct = signRequest(
      { method: 'POST', url: 'http://tickets.internal:8080/tickets?event=e-1', headers, body },
      { key },
    );
    for (const signed of [client, { ...direct }]) {
      expect(signed['signature-input']).toContain(`"${DEADLINE_HEADER}"`);
      const verified = await verifyRequest(received(signed), options());
      expect(verified.covered).toContain(DEADLINE_HEADER);
      expect(verified.deadline).toBe(deadline);
      // Moved by a relay: refused.
      const later = received(signed, { [DEADLINE_HEADER]: String(Date.now() + 86_000_000) });
      expect(await codeOf(verifyRequest(later, options()))).toBe('ERR_SIGNATURE_INVALID');
    }
  });

  it('a deadline added to a request signed without one is refused', async () => {
    const { [DEADLINE_HEADER]: _none, ...plain } = headers;
    const signed = createRequestSigner({ key }).sign({
      method: 'POST',
      url: 'http://tickets.internal:8080/tickets?event=e-1',
      headers: plain,
      body,
    });
    expect(await codeOf(verifyRequest(received(signed), options()))).toBe('ERR_SIGNATURE_COVERAGE');
  });
});
