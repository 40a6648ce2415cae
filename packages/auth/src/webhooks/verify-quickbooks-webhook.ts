import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { type RawBody, sameSignature } from './compare-signature.js';
import { checkedSecrets, minLengthRule } from './webhook-secrets.js';

export interface QuickBooksWebhookOptions {
  /** The app's verifier token(s) (Intuit issues 36 characters); several during a rotation. */
  verifierToken: string | readonly string[];
}

export interface QuickBooksWebhookVerifier {
  /**
   * Verifies `intuit-signature` on the raw body.
   * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
   */
  verify(header: string | undefined, body: RawBody): void;
}

/** Intuit's verifier tokens are 36 hex characters (as in its Java SDK's test); 32 is 128 bits. */
const VERIFIER_TOKEN = minLengthRule(
  'QuickBooks webhook option `verifierToken`',
  32,
  'Intuit issues 36 hex characters',
);

/**
 * A verifier of QuickBooks/Intuit `intuit-signature`: base64 HMAC-SHA256 of the raw body with the
 * app's verifier token.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` for an empty or short verifier token
 */
export function createQuickBooksWebhookVerifier(
  options: QuickBooksWebhookOptions,
): QuickBooksWebhookVerifier {
  const tokens = checkedSecrets(VERIFIER_TOKEN, options.verifierToken);
  return {
    verify(header, body) {
      if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'intuit-signature missing');
      const ok = tokens.map((token) =>
        sameSignature(header.trim(), createHmac('sha256', token).update(body).digest('base64')),
      );
      if (!ok.some(Boolean))
        throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Intuit signature does not match');
    },
  };
}
