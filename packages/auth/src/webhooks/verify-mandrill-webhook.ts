import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import { bodyBuffer, type RawBody, sameSignature, secretList } from './compare-signature.js';

export interface MandrillWebhookOptions {
  /** The webhook's key(s). */
  webhookKey: string | readonly string[];
  /** The webhook URL exactly as configured at Mandrill (it is signed). */
  url: string;
}

/**
 * Verifies `X-Mandrill-Signature`: base64 HMAC-SHA1 of the URL followed by each POST field's name
 * and value, fields sorted by name. `body` is the raw `application/x-www-form-urlencoded` body.
 * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`
 */
export function verifyMandrillWebhook(
  header: string | undefined,
  body: RawBody,
  options: MandrillWebhookOptions,
): void {
  if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'X-Mandrill-Signature missing');
  const fields = [...new URLSearchParams(bodyBuffer(body).toString('utf8'))];
  fields.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signed = options.url + fields.map(([k, v]) => k + v).join('');
  const ok = secretList(options.webhookKey).map((key) =>
    sameSignature(header.trim(), createHmac('sha1', key).update(signed).digest('base64')),
  );
  if (!ok.some(Boolean))
    throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Mandrill signature does not match');
}
