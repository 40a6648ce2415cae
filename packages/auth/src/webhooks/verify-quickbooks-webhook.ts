import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { bodyBuffer, type RawBody, sameSignature, secretList } from './compare-signature.js';

/**
 * Verifies QuickBooks/Intuit `intuit-signature`: base64 HMAC-SHA256 of the raw body with the
 * app's verifier token.
 * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
 */
export function verifyQuickBooksWebhook(
  header: string | undefined,
  body: RawBody,
  verifierToken: string | readonly string[],
): void {
  if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'intuit-signature missing');
  const raw = bodyBuffer(body);
  const ok = secretList(verifierToken).map((token) =>
    sameSignature(header.trim(), createHmac('sha256', token).update(raw).digest('base64')),
  );
  if (!ok.some(Boolean))
    throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Intuit signature does not match');
}
