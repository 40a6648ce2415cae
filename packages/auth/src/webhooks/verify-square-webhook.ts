import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { type RawBody, sameSignature } from './compare-signature.js';
import { checkedSecrets, minLengthRule } from './webhook-secrets.js';

export interface SquareWebhookOptions {
  /** The subscription's signature key(s), 22 characters as Square issues them. */
  signatureKey: string | readonly string[];
  /** The notification URL exactly as configured at Square (it is signed). */
  notificationUrl: string;
}

export interface SquareWebhookVerifier {
  /**
   * Verifies `x-square-hmacsha256-signature` on the raw body.
   * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
   */
  verify(header: string | undefined, body: RawBody): void;
}

/** Square's signature keys are 16 random bytes in base64url: 22 characters. */
const SQUARE_KEY = minLengthRule('Square webhook option `signatureKey`', 22, 'Square issues 22');

/**
 * A verifier of `x-square-hmacsha256-signature`: base64 HMAC-SHA256 of notification URL + raw body.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` for an empty or short signature key
 */
export function createSquareWebhookVerifier(options: SquareWebhookOptions): SquareWebhookVerifier {
  const keys = checkedSecrets(SQUARE_KEY, options.signatureKey);
  const url = options.notificationUrl;
  return {
    verify(header, body) {
      if (!header)
        throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'x-square-hmacsha256-signature missing');
      const ok = keys.map((key) =>
        sameSignature(header.trim(), createHmac('sha256', key).update(url).update(body).digest('base64')),
      );
      if (!ok.some(Boolean))
        throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Square signature does not match');
    },
  };
}
