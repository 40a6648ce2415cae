import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { createMandrillWebhookVerifier } from '../webhooks/verify-mandrill-webhook.js';
import { createQuickBooksWebhookVerifier } from '../webhooks/verify-quickbooks-webhook.js';
import { createSquareWebhookVerifier } from '../webhooks/verify-square-webhook.js';
import { createStandardWebhookVerifier } from '../webhooks/verify-standard-webhook.js';
import { createStripeWebhookVerifier } from '../webhooks/verify-stripe-webhook.js';
import { LEGACY_SCHEMES } from './legacy-schemes.js';
import { createLegacyVerifier } from './verify-legacy.js';

// The seeds threw TypeErrors (500s) on malformed legacy headers; here nothing but AuthError may
// come out, and no random input is ever accepted.
const value = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^[0-9a-f]{0,70}$/),
  fc.constantFrom('temp-signature', 'true', '', String(Date.now())),
  fc.integer().map(String),
);
const names = [
  'x-internal-service',
  'x-internal-timestamp',
  'x-internal-signature',
  'x-service-name',
  'x-request-timestamp',
  'x-request-signature',
  'x-request-nonce',
  'x-internal-auth',
  'x-internal-api-key',
];
const headers = fc.record(Object.fromEntries(names.map((n) => [n, value])), { requiredKeys: [] });

/** A verification that may be refused (with an AuthError) but must never be accepted here. */
async function onlyAuthRejections(verification: Promise<unknown>): Promise<void> {
  try {
    await verification;
  } catch (error) {
    if (error instanceof AuthError) return;
    throw error;
  }
  throw new Error('a random webhook delivery was accepted');
}

function onlyAuthErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
  }
}

describe('property: legacy verifier and webhook verifiers throw nothing but AuthError', () => {
  it('legacy verifier with every scheme on, random headers (10,000): never accepted, never a TypeError', async () => {
    const verify = createLegacyVerifier({
      enabled: LEGACY_SCHEMES,
      secret: randomBytes(32),
      apiKey: randomBytes(32).toString('hex'),
      allowedServices: ['event-service', 'true', ''],
      nonceStore: createMemoryNonceStore({ maxEntries: 100_000 }),
    });
    await fc.assert(
      fc.asyncProperty(headers, fc.string({ maxLength: 40 }), async (h, body) => {
        try {
          const principal = await verify({
            method: 'POST',
            url: '/internal/x',
            headers: h as Record<string, string>,
            body,
          });
          if (principal) throw new Error(`accepted ${JSON.stringify(h)}`);
        } catch (error) {
          if (!(error instanceof AuthError)) throw error;
        }
      }),
      { numRuns: 10_000 },
    );
  }, 120_000);

  it('webhook verifiers on random headers and bodies (10,000)', async () => {
    const key = randomBytes(16).toString('base64url');
    const stripe = createStripeWebhookVerifier({
      secret: `whsec_${randomBytes(24).toString('hex')}`,
      replayStore: createMemoryNonceStore(),
    });
    const square = createSquareWebhookVerifier({ signatureKey: key, notificationUrl: 'https://x/' });
    const quickBooks = createQuickBooksWebhookVerifier({ verifierToken: randomBytes(18).toString('hex') });
    const mandrill = createMandrillWebhookVerifier({ webhookKey: key, url: 'https://x/' });
    const standard = createStandardWebhookVerifier({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.string({ maxLength: 120 })),
        fc.string({ maxLength: 80 }),
        async (header, body) => {
          const h = header ?? undefined;
          await onlyAuthRejections(stripe.verify(h, body));
          onlyAuthErrors(() => square.verify(h, body));
          onlyAuthErrors(() => quickBooks.verify(h, body));
          onlyAuthErrors(() => mandrill.verify(h, body));
          await onlyAuthRejections(
            standard.verify(
              {
                'webhook-id': 'msg_1',
                'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
                'webhook-signature': h,
              },
              body,
            ),
          );
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);
});
