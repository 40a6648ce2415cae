import { createHmac } from 'node:crypto';
import { type HeaderMap, lowerCaseHeaders } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { fieldValue } from '../signatures/http-message.js';
import { type RawBody, sameSignature } from './compare-signature.js';
import { claimDelivery } from './delivery-replay.js';
import { checkedSecrets, checkedTolerance, type WebhookSecretRule } from './webhook-secrets.js';

export interface StandardWebhookOptions {
  /** `whsec_<base64>` secret(s), 24 to 64 bytes each; several during a rotation. */
  secret: string | readonly string[];
  /** 300 s by default, the specification's. */
  toleranceSeconds?: number;
  /**
   * Where accepted `webhook-id`s are remembered: a redelivery of an id within its tolerance window
   * is refused (`ERR_WEBHOOK_REPLAYED`).
   */
  replayStore?: NonceStore;
  now?: () => number;
}

export interface StandardWebhookVerifier {
  /**
   * Verifies one delivery on its raw body; resolves with its `webhook-id`, the delivery's
   * idempotency key.
   * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`,
   *   `ERR_WEBHOOK_TIMESTAMP`; with a replay store `ERR_WEBHOOK_REPLAYED` and the store's `ERR_NONCE_STORE_*`
   */
  verify(headers: HeaderMap, body: RawBody): Promise<string>;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key bytes: the base64 after `whsec_` (the prefix is optional, as in the reference libraries). */
function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

/** The specification: "The secret key SHOULD be between 24 and 64 bytes", base64-encoded. */
const STANDARD_SECRET: WebhookSecretRule = {
  option: 'Standard Webhooks option `secret`',
  problem(secret) {
    const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
    if (!BASE64.test(b64)) return 'must be base64 after `whsec_`';
    const bytes = secretBytes(secret).length;
    return bytes < 24 || bytes > 64 ? `must be 24 to 64 bytes, not ${bytes}` : undefined;
  },
};

/**
 * A verifier of Standard Webhooks deliveries: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (space-separated `v1,<base64>` values), HMAC-SHA256 of
 * `<id>.<timestamp>.<raw body>` keyed with the base64 part of the `whsec_` secret, and with a
 * replay store each `webhook-id` accepted once within its window.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` for a secret outside 24-64 bytes, `ERR_AUTH_CONFIG`
 *   for a tolerance that is not a positive number
 */
export function createStandardWebhookVerifier(options: StandardWebhookOptions): StandardWebhookVerifier {
  const keys = checkedSecrets(STANDARD_SECRET, options.secret).map(secretBytes);
  const toleranceSeconds = checkedTolerance(
    'Standard Webhooks option `toleranceSeconds`',
    options.toleranceSeconds,
  );
  const now = options.now ?? Date.now;
  const { replayStore } = options;

  return {
    async verify(rawHeaders, body) {
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
      const nowMs = now();
      const timestampSeconds = Number(timestamp);
      if (Math.abs(nowMs / 1000 - timestampSeconds) > toleranceSeconds) {
        throw new AuthError('ERR_WEBHOOK_TIMESTAMP', 'webhook timestamp outside tolerance');
      }
      const given = signatures
        .slice(0, 4096)
        .split(' ')
        .filter((s) => s.startsWith('v1,'))
        .map((s) => s.slice(3));
      const matched = keys.some((key) => {
        const expected = createHmac('sha256', key)
          .update(`${id}.${timestamp}.`)
          .update(body)
          .digest('base64');
        return given.map((g) => sameSignature(g, expected)).some(Boolean);
      });
      if (!matched) throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'webhook signature does not match');
      if (replayStore) {
        await claimDelivery(replayStore, `standard-webhooks:${id}`, {
          timestampSeconds,
          toleranceSeconds,
          nowMs,
        });
      }
      return id;
    },
  };
}
