import { createHmac } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { type RawBody, sameSignature } from './compare-signature.js';
import { claimDelivery } from './delivery-replay.js';
import { checkedSecrets, checkedTolerance, type WebhookSecretRule } from './webhook-secrets.js';

export interface StripeWebhookOptions {
  /** Endpoint secret(s) (`whsec_` and at least 32 characters); several during a rotation. */
  secret: string | readonly string[];
  /** 300 s by default, Stripe's own. */
  toleranceSeconds?: number;
  /**
   * Where accepted event ids are remembered: a redelivery of an id within its tolerance window is
   * refused (`ERR_WEBHOOK_REPLAYED`). Without it, a captured delivery can be replayed until its
   * timestamp is too old.
   */
  replayStore?: NonceStore;
  now?: () => number;
}

export interface StripeWebhookVerifier {
  /**
   * Verifies one delivery on its raw body.
   * @throws AuthError `ERR_WEBHOOK_SIGNATURE_MISSING`, `ERR_WEBHOOK_SIGNATURE_INVALID`,
   *   `ERR_WEBHOOK_TIMESTAMP`; with a replay store `ERR_WEBHOOK_ID_MISSING`, `ERR_WEBHOOK_REPLAYED`
   *   and the store's `ERR_NONCE_STORE_*`
   */
  verify(header: string | undefined, body: RawBody): Promise<void>;
}

/**
 * Stripe issues endpoint secrets as `whsec_` followed by 32 alphanumeric characters (Dashboard)
 * or 64 hex digits (Stripe CLI), and signs with the whole string as the HMAC key.
 */
const STRIPE_SECRET: WebhookSecretRule = {
  option: 'Stripe webhook option `secret`',
  problem: (secret) =>
    secret.startsWith('whsec_') && secret.length >= 'whsec_'.length + 32
      ? undefined
      : 'must be `whsec_` followed by at least 32 characters',
};

/** Longest `Stripe-Signature` read: a few signatures during a rotation fit many times over. */
const MAX_HEADER_LENGTH = 4096;

const utf8 = new TextDecoder();

/** The event's `id`, the key Stripe's redeliveries share. */
function eventId(body: RawBody): string {
  let event: { id?: unknown } | null | undefined;
  try {
    event = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch {
    // A signed body that is not JSON names no event.
  }
  const id = event?.id;
  if (typeof id !== 'string' || id === '')
    throw new AuthError('ERR_WEBHOOK_ID_MISSING', 'Stripe event has no id to deduplicate by');
  return id;
}

/**
 * A verifier of `Stripe-Signature` (`t=<ts>,v1=<hex>,v1=<hex>...`): HMAC-SHA256 of `<t>.<raw body>`,
 * any `v1` matching any secret, `t` within the tolerance, and with a replay store each event id
 * accepted once within its window.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` for an empty or short secret, `ERR_AUTH_CONFIG` for a
 *   tolerance that is not a positive number
 */
export function createStripeWebhookVerifier(options: StripeWebhookOptions): StripeWebhookVerifier {
  const secrets = checkedSecrets(STRIPE_SECRET, options.secret);
  const toleranceSeconds = checkedTolerance(
    'Stripe webhook option `toleranceSeconds`',
    options.toleranceSeconds,
  );
  const now = options.now ?? Date.now;
  const { replayStore } = options;

  return {
    async verify(header, body) {
      if (!header) throw new AuthError('ERR_WEBHOOK_SIGNATURE_MISSING', 'Stripe-Signature missing');
      let timestamp: string | undefined;
      const signatures: string[] = [];
      for (const part of header.slice(0, MAX_HEADER_LENGTH).split(',')) {
        const eq = part.indexOf('=');
        const key = part.slice(0, eq).trim();
        const value = part.slice(eq + 1).trim();
        if (key === 't') timestamp = value;
        else if (key === 'v1') signatures.push(value);
      }
      if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
        throw new AuthError(
          'ERR_WEBHOOK_SIGNATURE_MISSING',
          'Stripe-Signature has no timestamp or v1 signature',
        );
      }
      const nowMs = now();
      const timestampSeconds = Number(timestamp);
      if (Math.abs(nowMs / 1000 - timestampSeconds) > toleranceSeconds) {
        throw new AuthError('ERR_WEBHOOK_TIMESTAMP', 'Stripe timestamp outside tolerance');
      }
      // Every candidate is compared, so timing says nothing about which one matched.
      const matched = secrets.some((secret) => {
        const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
        return signatures.map((s) => sameSignature(s, expected)).some(Boolean);
      });
      if (!matched) throw new AuthError('ERR_WEBHOOK_SIGNATURE_INVALID', 'Stripe signature does not match');
      if (replayStore) {
        await claimDelivery(replayStore, `stripe:${eventId(body)}`, {
          timestampSeconds,
          toleranceSeconds,
          nowMs,
        });
      }
    },
  };
}
