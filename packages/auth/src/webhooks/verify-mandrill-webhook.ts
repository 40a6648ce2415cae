import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { type RawBody, sameSignature } from './compare-signature.js';
import { checkedSecrets, minLengthRule } from './webhook-secrets.js';

export interface MandrillWebhookOptions {
  /** The webhook's key(s), 22 characters as Mandrill issues them. */
  webhookKey: string | readonly string[];
  /** The webhook URL exactly as configured at Mandrill (it is signed). */
  url: string;
}

export interface MandrillWebhookVerifier {
  /**
   * Verifies `X-Mandrill-Signature` on the raw `application/x-www-form-urlencoded` body.
   * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
   */
  verify(header: string | undefined, body: RawBody): void;
}

/** Mandrill's webhook keys are 22 characters, like its API keys. */
const MANDRILL_KEY = minLengthRule('Mandrill webhook option `webhookKey`', 22, 'Mandrill issues 22');

/**
 * A verifier of `X-Mandrill-Signature`: base64 HMAC-SHA1 of the URL followed by each POST field's
 * name and value, fields sorted by name.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` for an empty or short webhook key
 */
export function createMandrillWebhookVerifier(options: MandrillWebhookOptions): MandrillWebhookVerifier {
  const keys = checkedSecrets(MANDRILL_KEY, options.webhookKey);
  return {
    verify(header, body) {
      if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'X-Mandrill-Signature missing');
      const fields = [
        ...new URLSearchParams(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')),
      ];
      fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const signed = options.url + fields.map(([k, v]) => k + v).join('');
      const ok = keys.map((key) =>
        sameSignature(header.trim(), createHmac('sha1', key).update(signed).digest('base64')),
      );
      if (!ok.some(Boolean))
        throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Mandrill signature does not match');
    },
  };
}
