import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { bodyBuffer, type RawBody, sameSignature, secretList } from './compare-signature.js';

export interface SquareWebhookOptions {
  /** The subscription's signature key(s). */
  signatureKey: string | readonly string[];
  /** The notification URL exactly as configured at Square (it is signed). */
  notificationUrl: string;
}

/**
 * Verifies `x-square-hmacsha256-signature`: base64 HMAC-SHA256 of notification URL + raw body.
 * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
 */
export function verifySquareWebhook(
  header: string | undefined,
  body: RawBody,
  options: SquareWebhookOptions,
): void {
  if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'x-square-hmacsha256-signature missing');
  const payload = Buffer.concat([Buffer.from(options.notificationUrl), bodyBuffer(body)]);
  const ok = secretList(options.signatureKey).map((key) =>
    sameSignature(header.trim(), createHmac('sha256', key).update(payload).digest('base64')),
  );
  if (!ok.some(Boolean))
    throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Square signature does not match');
}
