import type { JsonWebKey } from 'node:crypto';
import { createSigningKey, type SigningAlgorithm, type SigningKey } from '@interlink/auth';
import { KeyConfigProblem, parseJson, pemBlocks } from './key-config-problem.js';

/**
 * The key the proxy signs `/api/*` requests with: for `hmac-sha256` the secret itself (UTF-8, as
 * the upstream's keyring holds it), for `ed25519` a PKCS#8 PEM or a JWK private key.
 * @throws KeyConfigProblem or auth's `ERR_AUTH_CONFIG` error, both printable
 */
export function parseSigningKey(keyId: string, alg: SigningAlgorithm, value: string): SigningKey {
  if (alg === 'hmac-sha256') return createSigningKey({ keyId, alg, secret: value });
  const text = value.trim();
  if (text.startsWith('{')) {
    return createSigningKey({ keyId, alg, privateKey: parseJson(text, 'the JWK') as JsonWebKey });
  }
  const [block, ...more] = pemBlocks(text);
  if (!block || more.length > 0 || !block.label.includes('PRIVATE KEY')) {
    throw new KeyConfigProblem('an ed25519 signing key must be one PEM private key or a JWK');
  }
  return createSigningKey({ keyId, alg, privateKey: block.pem });
}
