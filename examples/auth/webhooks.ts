// Needs Redis (REDIS_URL) and a Stripe webhook secret (STRIPE_WEBHOOK_SECRET): type-checked only by the packaging test.
import { authPlugin, createRedisNonceStore, createStripeWebhookVerifier } from '@interlink/auth';
import { createService } from '@interlink/core';
import { Redis } from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const config = { stripeWebhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? '' };
const service = createService({ name: 'integration-service' });
const { app } = service;
await app.register(authPlugin, {}); // keeps the raw body (request.rawBody) the signature is over

// #region readme
const stripe = createStripeWebhookVerifier({
  secret: config.stripeWebhookSecret, // or [newer, older] during a rotation
  replayStore: createRedisNonceStore({ redis, prefix: 'example:webhooks:' }), // optional: dedup by event id
});
app.post('/webhooks/stripe', async (request, reply) => {
  const signature = request.headers['stripe-signature']; // a repeated header counts as none
  await stripe.verify(Array.isArray(signature) ? undefined : signature, request.rawBody ?? ''); // AuthError on refusal
  return reply.code(204).send();
});
// #endregion readme

await service.listen({ port: Number(process.env.PORT ?? 3002) });
