import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { bodyBuffer, type RawBody, sameSignature, secretList } from './compare-signature.js';

export interface StripeWebhookOptions {
  /** Endpoint secret(s) (`whsec_...`); several during a rotation. */
  secret: string | readonly string[];
  /** 300 s by default, Stripe's own. */
  toleranceSeconds?: number;
  now?: () => number;
}

/**
 * Verifies `Stripe-Signature` (`t=<ts>,v1=<hex>,v1=<hex>...`): HMAC-SHA256 of `<t>.<raw body>`,
 * any `v1` matching any secret, `t` within the tolerance.
 * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`, `ERR_WEBHOOK_TIMESTAMP`
 */
export function verifyStripeWebhook(
  header: string | undefined,
  body: RawBody,
  options: StripeWebhookOptions,
): void {
  if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'Stripe-Signature missing');
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.slice(0, 4096).split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value);
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'Stripe-Signature has no timestamp or v1 signature');
  }
  const now = (options.now ?? Date.now)() / 1000;
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    throw new AuthError('ERR_WEBHOOK_TIMESTAMP', 'Stripe timestamp outside tolerance');
  }
  const payload = Buffer.concat([Buffer.from(`${timestamp}.`), bodyBuffer(body)]);
  for (const secret of secretList(options.secret)) {
    const expected = createHmac('sha256', secret).update(payload).digest('hex');
    // Every candidate is compared, so timing says nothing about which one matched.
    if (signatures.map((s) => sameSignature(s, expected)).some(Boolean)) return;
  }
  throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Stripe signature does not match');
}
