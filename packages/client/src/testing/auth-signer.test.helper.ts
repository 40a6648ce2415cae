import type { IncomingHttpHeaders } from 'node:http';
import {
  createKeyring,
  createMemoryNonceStore,
  createRequestSigner,
  createSigningKey,
  verifyRequest,
} from '@interlink/auth';
import type { RequestSigner } from '../signing/request-signer.js';

const KEY_ID = 'client-test-1';

/** @interlink/auth's RFC 9421 signer with an HMAC key, as a service would configure it. */
export function createTestSigner(secret: string): RequestSigner {
  return createRequestSigner({ key: createSigningKey({ keyId: KEY_ID, alg: 'hmac-sha256', secret }) });
}

/**
 * Verifies a request the way a receiving service does (auth's verifier, over the raw body); returns
 * the signature's nonce, or undefined when the signature does not verify.
 */
export async function verifyTestSignature(
  secret: string,
  method: string,
  target: string,
  headers: IncomingHttpHeaders,
  body: Uint8Array,
): Promise<string | undefined> {
  const keys = createKeyring([{ keyId: KEY_ID, service: 'client-test', alg: 'hmac-sha256', secret }]);
  try {
    const verified = await verifyRequest(
      { method, url: target, headers, ...(body.length > 0 ? { body } : {}) },
      { keys, nonceStore: createMemoryNonceStore() },
    );
    return verified.nonce;
  } catch {
    return undefined;
  }
}
