import { createHmac, randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { thrownCode } from '../testing/refusal-code.test.helper.js';
import { verifyMandrillWebhook } from './verify-mandrill-webhook.js';
import { verifyQuickBooksWebhook } from './verify-quickbooks-webhook.js';
import { verifySquareWebhook } from './verify-square-webhook.js';
import { verifyStandardWebhook } from './verify-standard-webhook.js';
import { verifyStripeWebhook } from './verify-stripe-webhook.js';

describe('Standard Webhooks', () => {
  // The specification's published vector.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const headers = {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };
  const body = '{"test": 2432232314}';
  const now = () => 1614265330 * 1000;

  it('verifies the published vector, also among several signatures, and returns the id', () => {
    expect(verifyStandardWebhook(headers, body, { secret, now })).toBe('msg_p5jXN8AQM9LWM0D4loKWxJek');
    const several = { ...headers, 'webhook-signature': `v1,bm9wZQ== ${headers['webhook-signature']}` };
    expect(verifyStandardWebhook(several, body, { secret: ['whsec_b2xk', secret], now })).toBe(
      headers['webhook-id'],
    );
  });

  it.each<[string, () => unknown, string]>([
    [
      'changed body',
      () => verifyStandardWebhook(headers, '{"test": 2432232315}', { secret, now }),
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'wrong secret',
      () => verifyStandardWebhook(headers, body, { secret: 'whsec_b3RoZXI=', now }),
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'old timestamp',
      () => verifyStandardWebhook(headers, body, { secret, now: () => (1614265330 + 301) * 1000 }),
      'ERR_WEBHOOK_TIMESTAMP',
    ],
    [
      'no signature',
      () => verifyStandardWebhook({ ...headers, 'webhook-signature': undefined }, body, { secret, now }),
      'ERR_WEBHOOK_SIGNATURE_MISSING',
    ],
  ])('refuses: %s', (_name, fn, code) => {
    expect(thrownCode(fn)).toBe(code);
  });
});

describe('Stripe', () => {
  const stripe = new Stripe('sk_test_interlink');
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded' });

  it("accepts the header of the official package's test generator", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    expect(thrownCode(() => verifyStripeWebhook(header, body, { secret }))).toBe('accepted');
  });

  it('accepts when any of several v1 signatures matches (secret rotation at Stripe)', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret });
    const withOld = `${header},v1=${'0'.repeat(64)}`;
    expect(thrownCode(() => verifyStripeWebhook(withOld, body, { secret }))).toBe('accepted');
  });

  it.each<[string, () => unknown, string]>([
    [
      'changed body',
      () =>
        verifyStripeWebhook(stripe.webhooks.generateTestHeaderString({ payload: body, secret }), `${body} `, {
          secret,
        }),
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'older than 300 s',
      () =>
        verifyStripeWebhook(
          stripe.webhooks.generateTestHeaderString({
            payload: body,
            secret,
            timestamp: Math.floor(Date.now() / 1000) - 301,
          }),
          body,
          { secret },
        ),
      'ERR_WEBHOOK_TIMESTAMP',
    ],
    [
      'no v1',
      () => verifyStripeWebhook(`t=${Math.floor(Date.now() / 1000)}`, body, { secret }),
      'ERR_WEBHOOK_SIGNATURE_MISSING',
    ],
    ['garbage', () => verifyStripeWebhook('t=abc,v1=', body, { secret }), 'ERR_WEBHOOK_SIGNATURE_MISSING'],
  ])('refuses: %s', (_name, fn, code) => {
    expect(thrownCode(fn)).toBe(code);
  });
});

describe('Square, QuickBooks, Mandrill', () => {
  const key = randomBytes(16).toString('base64');
  const url = 'https://integrations.example.com/webhooks/square';
  const body = '{"merchant_id":"M1","type":"payment.updated"}';

  it('Square: base64 HMAC-SHA256 of notification URL + body', () => {
    const header = createHmac('sha256', key)
      .update(url + body)
      .digest('base64');
    expect(
      thrownCode(() => verifySquareWebhook(header, body, { signatureKey: key, notificationUrl: url })),
    ).toBe('accepted');
    expect(
      thrownCode(() =>
        verifySquareWebhook(header, body, { signatureKey: key, notificationUrl: `${url}/other` }),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(
      thrownCode(() => verifySquareWebhook(undefined, body, { signatureKey: key, notificationUrl: url })),
    ).toBe('ERR_WEBHOOK_SIGNATURE_MISSING');
  });

  it('QuickBooks: base64 HMAC-SHA256 of the body with the verifier token', () => {
    const token = randomBytes(16).toString('hex');
    const header = createHmac('sha256', token).update(body).digest('base64');
    expect(thrownCode(() => verifyQuickBooksWebhook(header, body, token))).toBe('accepted');
    expect(thrownCode(() => verifyQuickBooksWebhook(header, `${body}x`, token))).toBe(
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    );
  });

  it('Mandrill: base64 HMAC-SHA1 of URL + sorted form fields', () => {
    const hookUrl = 'https://integrations.example.com/webhooks/mandrill';
    const events = JSON.stringify([{ event: 'send', _id: 'abc' }]);
    const form = new URLSearchParams({ zeta: '1', mandrill_events: events }).toString();
    const header = createHmac('sha1', 'mandrill-key')
      .update(`${hookUrl}mandrill_events${events}zeta1`)
      .digest('base64');
    expect(
      thrownCode(() => verifyMandrillWebhook(header, form, { webhookKey: 'mandrill-key', url: hookUrl })),
    ).toBe('accepted');
    const tampered = new URLSearchParams({ zeta: '2', mandrill_events: events }).toString();
    expect(
      thrownCode(() => verifyMandrillWebhook(header, tampered, { webhookKey: 'mandrill-key', url: hookUrl })),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });
});
