import { createHmac } from 'node:crypto';
import { type HeaderMap, lowerCaseHeaders } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import { fieldValue } from '../signatures/http-message.js';
import { bodyBuffer, type RawBody, sameSignature, secretList } from './compare-signature.js';

export interface StandardWebhookOptions {
  /** `whsec_<base64>` secret(s); several during a rotation. */
  secret: string | readonly string[];
  /** 300 s by default, the specification's. */
  toleranceSeconds?: number;
  now?: () => number;
}

function secretBytes(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  return Buffer.from(b64, 'base64');
}

/**
 * Verifies a Standard Webhooks delivery: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (space-separated `v1,<base64>` values), HMAC-SHA256 of
 * `<id>.<timestamp>.<raw body>` keyed with the base64 part of the `whsec_` secret.
 * Returns the `webhook-id`, the idempotency key of the delivery.
 * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`, `ERR_WEBHOOK_TIMESTAMP`
 */
export function verifyStandardWebhook(
  rawHeaders: HeaderMap,
  body: RawBody,
  options: StandardWebhookOptions,
): string {
  const headers = lowerCaseHeaders(rawHeaders);
  const id = fieldValue(headers, 'webhook-id');
  const timestamp = fieldValue(headers, 'webhook-timestamp');
  const signatures = fieldValue(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new AuthError(
      'ERR_WEBHOOK_SIGNATURE_MISSING',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!/^\d{1,12}$/.test(timestamp))
    throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'webhook-timestamp is not a number');
  const now = (options.now ?? Date.now)() / 1000;
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    throw new AuthError('ERR_WEBHOOK_TIMESTAMP', 'webhook timestamp outside tolerance');
  }
  const payload = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), bodyBuffer(body)]);
  const given = signatures
    .slice(0, 4096)
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  for (const secret of secretList(options.secret)) {
    const expected = createHmac('sha256', secretBytes(secret)).update(payload).digest('base64');
    if (given.map((g) => sameSignature(g, expected)).some(Boolean)) return id;
  }
  throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'webhook signature does not match');
}
