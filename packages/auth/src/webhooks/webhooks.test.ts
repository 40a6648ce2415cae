import { createHmac, randomBytes } from 'node:crypto';
import { openRedisScratch } from '@interlink/testing';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { createRedisNonceStore } from '../replay/redis-nonce-store.js';
import {
  explainedCodeOf as codeOf,
  explainedThrownCode as thrownCode,
} from '../testing/refusal-code.test.helper.js';
import { createMandrillWebhookVerifier } from './verify-mandrill-webhook.js';
import { createQuickBooksWebhookVerifier } from './verify-quickbooks-webhook.js';
import { createSquareWebhookVerifier } from './verify-square-webhook.js';
import { createStandardWebhookVerifier } from './verify-standard-webhook.js';
import { createStripeWebhookVerifier } from './verify-stripe-webhook.js';

const scratch = openRedisScratch('auth-test-webhooks-');
afterAll(() => scratch.close());

const T = 1_800_000_000; // seconds
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const stripeSecret = `whsec_${hex(16)}`; // 32 characters after the prefix, as the Dashboard issues
const stripeHeader = (body: string, t: number | string, secret = stripeSecret) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
const event = (id: string) => JSON.stringify({ id, type: 'payment_intent.succeeded' });

/** The refusal code of creating a verifier, with its message when it names the option. */
function creationRefusal(create: () => unknown, option: string): string {
  try {
    create();
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    // The option, then what is wrong with it.
    return message.startsWith(`${option}: `) && message.length > option.length + 2
      ? code
      : `${code} without naming ${option} and its problem: ${message}`;
  }
  return 'created';
}

describe('webhook secrets are checked when a verifier is created', () => {
  const url = 'https://integrations.example.com/webhooks';
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
  // Each provider: its option, a secret of the shortest length it accepts, and one a character short.
  it.each<[string, string, (secret: string | string[]) => unknown, string, string]>([
    [
      'Stripe',
      'Stripe webhook option `secret`',
      (secret) => createStripeWebhookVerifier({ secret }),
      `whsec_${'a1'.repeat(16)}`,
      `whsec_${'a1'.repeat(15)}a`,
    ],
    [
      'Standard Webhooks',
      'Standard Webhooks option `secret`',
      (secret) => createStandardWebhookVerifier({ secret }),
      `whsec_${b64(24)}`,
      `whsec_${b64(23)}`,
    ],
    [
      'Square',
      'Square webhook option `signatureKey`',
      (signatureKey) => createSquareWebhookVerifier({ signatureKey, notificationUrl: url }),
      'Ibxx_5AKakO-3qeNVR61Dw',
      'Ibxx_5AKakO-3qeNVR61D',
    ],
    [
      'QuickBooks',
      'QuickBooks webhook option `verifierToken`',
      (verifierToken) => createQuickBooksWebhookVerifier({ verifierToken }),
      hex(16),
      hex(16).slice(1),
    ],
    [
      'Mandrill',
      'Mandrill webhook option `webhookKey`',
      (webhookKey) => createMandrillWebhookVerifier({ webhookKey, url }),
      'LHNE3WlaGNdDzR7OQpvrPg',
      'LHNE3WlaGNdDzR7OQpvrP',
    ],
  ])(
    '%s: empty, short, none or one short in a rotation refused, naming the option',
    (_p, option, create, shortest, short) => {
      for (const secret of ['', short, [], [shortest, short]])
        expect(creationRefusal(() => create(secret as string | string[]), option)).toBe(
          'ERR_WEBHOOK_SECRET_WEAK',
        );
      expect(creationRefusal(() => create(shortest), option)).toBe('created');
      expect(creationRefusal(() => create([shortest, shortest]), option)).toBe('created');
    },
  );

  it("Stripe: the secret is `whsec_` and 32 characters or more, never another Stripe key or '' (an empty HMAC key)", () => {
    const option = 'Stripe webhook option `secret`';
    for (const secret of ['whsec_', `sk_live_${hex(20)}`, hex(20), ` whsec_${hex(16)}`])
      expect(creationRefusal(() => createStripeWebhookVerifier({ secret }), option)).toBe(
        'ERR_WEBHOOK_SECRET_WEAK',
      );
    // The Stripe CLI's form: 64 hex digits.
    expect(creationRefusal(() => createStripeWebhookVerifier({ secret: `whsec_${hex(32)}` }), option)).toBe(
      'created',
    );
  });

  it('Standard Webhooks: base64 of 24 to 64 bytes, with or without `whsec_`', () => {
    const option = 'Standard Webhooks option `secret`';
    const make = (secret: string) => creationRefusal(() => createStandardWebhookVerifier({ secret }), option);
    for (const secret of ['whsec_', `whsec_${b64(65)}`, `whsec_${b64(30)}!`, `whsec_${b64(24).slice(1)}`])
      expect(make(secret)).toBe('ERR_WEBHOOK_SECRET_WEAK');
    for (const secret of [`whsec_${b64(64)}`, b64(24), `whsec_${b64(40)}`])
      expect(make(secret)).toBe('created');
  });

  it('a tolerance that is not a positive number of seconds is refused', () => {
    const secret = stripeSecret;
    const standard = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    for (const toleranceSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        creationRefusal(
          () => createStripeWebhookVerifier({ secret, toleranceSeconds }),
          'Stripe webhook option `toleranceSeconds`',
        ),
      ).toBe('ERR_AUTH_CONFIG');
      expect(
        creationRefusal(
          () => createStandardWebhookVerifier({ secret: standard, toleranceSeconds }),
          'Standard Webhooks option `toleranceSeconds`',
        ),
      ).toBe('ERR_AUTH_CONFIG');
    }
  });
});

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
  const other = `whsec_${randomBytes(32).toString('base64')}`;

  it('verifies the published vector, also among several signatures and secrets, and returns the id', async () => {
    expect(await createStandardWebhookVerifier({ secret, now }).verify(headers, body)).toBe(
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
    );
    const several = { ...headers, 'webhook-signature': `v1,bm9wZQ== ${headers['webhook-signature']}` };
    expect(await createStandardWebhookVerifier({ secret: [other, secret], now }).verify(several, body)).toBe(
      headers['webhook-id'],
    );
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'changed body',
      () => createStandardWebhookVerifier({ secret, now }).verify(headers, '{"test": 2432232315}'),
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'wrong secret',
      () => createStandardWebhookVerifier({ secret: other, now }).verify(headers, body),
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    ],
    [
      'old timestamp',
      () =>
        createStandardWebhookVerifier({ secret, now: () => (1614265330 + 301) * 1000 }).verify(headers, body),
      'ERR_WEBHOOK_TIMESTAMP',
    ],
    [
      'no signature',
      () =>
        createStandardWebhookVerifier({ secret, now }).verify(
          { ...headers, 'webhook-signature': undefined },
          body,
        ),
      'ERR_WEBHOOK_SIGNATURE_MISSING',
    ],
  ])('refuses: %s', async (_name, verify, code) => {
    expect(await codeOf(verify())).toBe(code);
  });
});

describe('Stripe', () => {
  const stripe = new Stripe('sk_test_interlink');
  const body = event('evt_1');
  const verifier = (options: { now?: () => number; toleranceSeconds?: number } = {}) =>
    createStripeWebhookVerifier({ secret: stripeSecret, now: () => T * 1000, ...options });

  it("accepts the header of the official package's test generator", async () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripeSecret });
    expect(await codeOf(createStripeWebhookVerifier({ secret: stripeSecret }).verify(header, body))).toBe(
      'accepted',
    );
  });

  it('accepts when any of several v1 signatures matches, and any of several secrets (rotation)', async () => {
    const withOld = `${stripeHeader(body, T)},v1=${'0'.repeat(64)}`;
    expect(await codeOf(verifier().verify(withOld, body))).toBe('accepted');
    const newer = `whsec_${hex(16)}`;
    const rotating = createStripeWebhookVerifier({ secret: [newer, stripeSecret], now: () => T * 1000 });
    expect(await codeOf(rotating.verify(stripeHeader(body, T), body))).toBe('accepted');
    expect(await codeOf(rotating.verify(stripeHeader(body, T, newer), body))).toBe('accepted');
  });

  it('tolerates spaces around the parts of the header', async () => {
    const [t, v1] = stripeHeader(body, T).split(',');
    expect(
      await codeOf(verifier().verify(` ${t!.replace('=', ' = ')} , ${v1!.replace('=', '= ')} `, body)),
    ).toBe('accepted');
  });

  it.each<[string, string | undefined, string]>([
    ['changed body', stripeHeader(`${body} `, T), 'ERR_WEBHOOK_SIGNATURE_INVALID'],
    ['another secret', stripeHeader(body, T, `whsec_${hex(16)}`), 'ERR_WEBHOOK_SIGNATURE_INVALID'],
    ['no header', undefined, 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['an empty header', '', 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['no v1', `t=${T}`, 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['no t', stripeHeader(body, T).replace(`t=${T},`, ''), 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['garbage', 't=abc,v1=', 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    // Signed with the secret over exactly that `t`: only the timestamp's syntax refuses them
    // (Number() of either is NaN, which no tolerance comparison would catch).
    ['a t that only ends in digits', stripeHeader(body, `x${T}`), 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['a t that only starts with digits', stripeHeader(body, `${T}x`), 'ERR_WEBHOOK_SIGNATURE_MISSING'],
    ['a t of 13 digits', stripeHeader(body, `${T}000`), 'ERR_WEBHOOK_SIGNATURE_MISSING'],
  ])('refuses: %s', async (_name, header, code) => {
    expect(await codeOf(verifier().verify(header, body))).toBe(code);
  });

  it('accepts a timestamp up to the tolerance away, either side, and not a millisecond more', async () => {
    const header = stripeHeader(body, T);
    const at = (ms: number) => codeOf(verifier({ now: () => ms }).verify(header, body));
    expect(await at((T + 300) * 1000)).toBe('accepted');
    expect(await at((T - 300) * 1000)).toBe('accepted');
    expect(await at((T + 300) * 1000 + 1)).toBe('ERR_WEBHOOK_TIMESTAMP');
    expect(await at((T - 300) * 1000 - 1)).toBe('ERR_WEBHOOK_TIMESTAMP');
    const tight = (ms: number) =>
      codeOf(verifier({ now: () => ms, toleranceSeconds: 10 }).verify(header, body));
    expect(await tight((T + 10) * 1000)).toBe('accepted');
    expect(await tight((T + 10) * 1000 + 1)).toBe('ERR_WEBHOOK_TIMESTAMP');
  });

  it('reads the first 4,096 characters of the header only', async () => {
    const signed = stripeHeader(body, T);
    // Padding parts (`x=...`) put the valid v1 just inside, or one character past, the limit.
    const padTo = (length: number) => {
      const filler = `x=${'a'.repeat(length - signed.length - 3)},`;
      return `${filler}${signed}`;
    };
    const inside = padTo(4096);
    expect(inside).toHaveLength(4096);
    expect(await codeOf(verifier().verify(inside, body))).toBe('accepted');
    expect(await codeOf(verifier().verify(padTo(4097), body))).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });
});

/** A Standard Webhooks delivery of `id` signed at `t` (seconds) with `secret`. */
function standardDelivery(secret: string, id: string, t: number, body: string) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${t}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${signature}` };
}

// The memory store reads this clock; Redis expires keys on its own, so those cases stay well
// inside the window.
let clock = T * 1000;
const stripeDeduplicating = (replayStore: NonceStore) =>
  createStripeWebhookVerifier({ secret: stripeSecret, replayStore, now: () => clock });

describe.each<[string, () => NonceStore]>([
  ['memory', () => createMemoryNonceStore({ now: () => clock })],
  ['redis', () => createRedisNonceStore({ redis: scratch.redis, prefix: `${scratch.prefix}${hex(4)}:` })],
])('deliveries deduplicated by id within the tolerance window (%s store)', (_name, makeStore) => {
  const standardSecret = `whsec_${randomBytes(32).toString('base64')}`;

  it('Stripe: a redelivery of an event id is refused, another event passes, each verifier sharing the store', async () => {
    clock = T * 1000;
    const replayStore = makeStore();
    const [a, b] = [stripeDeduplicating(replayStore), stripeDeduplicating(replayStore)];
    const id = `evt_${hex(8)}`;
    expect(await codeOf(a.verify(stripeHeader(event(id), T), event(id)))).toBe('accepted');
    // The same bytes again, then the event signed anew (as Stripe retries), at either replica.
    expect(await codeOf(a.verify(stripeHeader(event(id), T), event(id)))).toBe('ERR_WEBHOOK_REPLAYED');
    clock += 5_000;
    expect(await codeOf(b.verify(stripeHeader(event(id), T + 5), event(id)))).toBe('ERR_WEBHOOK_REPLAYED');
    const other = `evt_${hex(8)}`;
    expect(await codeOf(b.verify(stripeHeader(event(other), T + 5), event(other)))).toBe('accepted');
  });

  it('Standard Webhooks: a redelivery of a webhook-id is refused, another message passes', async () => {
    clock = T * 1000;
    const verifier = createStandardWebhookVerifier({
      secret: standardSecret,
      replayStore: makeStore(),
      now: () => clock,
    });
    const id = `msg_${hex(8)}`;
    const body = '{"type":"invoice.paid"}';
    expect(await verifier.verify(standardDelivery(standardSecret, id, T, body), body)).toBe(id);
    clock += 5_000;
    expect(await codeOf(verifier.verify(standardDelivery(standardSecret, id, T + 5, body), body))).toBe(
      'ERR_WEBHOOK_REPLAYED',
    );
    const other = `msg_${hex(8)}`;
    expect(await verifier.verify(standardDelivery(standardSecret, other, T + 5, body), body)).toBe(other);
  });

  it('Stripe: the raw body as bytes (a plain Uint8Array or a Buffer) is verified and deduplicated alike', async () => {
    clock = T * 1000;
    const verifier = stripeDeduplicating(makeStore());
    const id = `evt_${hex(8)}`;
    const header = stripeHeader(event(id), T);
    expect(await codeOf(verifier.verify(header, new Uint8Array(Buffer.from(event(id)))))).toBe('accepted');
    expect(await codeOf(verifier.verify(header, Buffer.from(event(id))))).toBe('ERR_WEBHOOK_REPLAYED');
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('ERR_WEBHOOK_REPLAYED');
  });

  it('a forged delivery never takes an id: the genuine one still passes', async () => {
    clock = T * 1000;
    const verifier = stripeDeduplicating(makeStore());
    const id = `evt_${hex(8)}`;
    const forged = stripeHeader(event(id), T, `whsec_${hex(16)}`);
    expect(await codeOf(verifier.verify(forged, event(id)))).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(await codeOf(verifier.verify(stripeHeader(event(id), T), event(id)))).toBe('accepted');
  });

  it('Stripe: a signed body with no event id is refused when deduplicating, accepted without a store', async () => {
    clock = T * 1000;
    const verifier = stripeDeduplicating(makeStore());
    for (const body of ['not json', '{"type":"x"}', '{"id":""}', '{"id":7}', 'null'])
      expect(await codeOf(verifier.verify(stripeHeader(body, T), body))).toBe('ERR_WEBHOOK_ID_MISSING');
    const plain = createStripeWebhookVerifier({ secret: stripeSecret, now: () => clock });
    expect(await codeOf(plain.verify(stripeHeader('not json', T), 'not json'))).toBe('accepted');
  });
});

describe('a deduplicated id lives exactly as long as its delivery could be accepted', () => {
  it('the same signed bytes are refused up to the last accepted instant; a redelivery after it passes', async () => {
    let clock = T * 1000;
    const verifier = createStripeWebhookVerifier({
      secret: stripeSecret,
      replayStore: createMemoryNonceStore({ now: () => clock }),
      now: () => clock,
    });
    const id = `evt_${hex(8)}`;
    const header = stripeHeader(event(id), T);
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('accepted');
    // The last millisecond at which the timestamp is still within 300 s: the replay is refused.
    clock = (T + 300) * 1000;
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('ERR_WEBHOOK_REPLAYED');
    // One later, those bytes are too old anyway, and the event signed anew is a new delivery.
    clock += 1;
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('ERR_WEBHOOK_TIMESTAMP');
    expect(await codeOf(verifier.verify(stripeHeader(event(id), T + 301), event(id)))).toBe('accepted');
  });

  it('a delivery stamped ahead of our clock is remembered until its own window ends', async () => {
    let clock = (T - 200) * 1000; // the provider's clock runs 200 s ahead of ours
    const verifier = createStripeWebhookVerifier({
      secret: stripeSecret,
      replayStore: createMemoryNonceStore({ now: () => clock }),
      now: () => clock,
    });
    const id = `evt_${hex(8)}`;
    const header = stripeHeader(event(id), T);
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('accepted');
    clock = (T + 300) * 1000; // 500 s later, the same bytes are still within tolerance
    expect(await codeOf(verifier.verify(header, event(id)))).toBe('ERR_WEBHOOK_REPLAYED');
  });

  it('in Redis, the entry expires with the window: tolerance (plus the last millisecond) for a delivery stamped now', async () => {
    const prefix = `${scratch.prefix}${hex(4)}:`;
    const replayStore = createRedisNonceStore({ redis: scratch.redis, prefix });
    const verifier = createStripeWebhookVerifier({
      secret: stripeSecret,
      replayStore,
      toleranceSeconds: 120,
      now: () => T * 1000,
    });
    const id = `evt_${hex(8)}`;
    await verifier.verify(stripeHeader(event(id), T), event(id));
    const ttl = await scratch.redis.pttl(`${prefix}stripe:${id}`);
    expect(ttl).toBeLessThanOrEqual(120_001);
    // Redis counts down from the SET; a second covers this test's own round trips.
    expect(ttl).toBeGreaterThan(119_000);
  });
});

describe('Square, QuickBooks, Mandrill', () => {
  const key = randomBytes(16).toString('base64url');
  const url = 'https://integrations.example.com/webhooks/square';
  const body = '{"merchant_id":"M1","type":"payment.updated"}';

  it('Square: base64 HMAC-SHA256 of notification URL + body', () => {
    const header = createHmac('sha256', key)
      .update(url + body)
      .digest('base64');
    const square = createSquareWebhookVerifier({ signatureKey: key, notificationUrl: url });
    expect(thrownCode(() => square.verify(header, body))).toBe('accepted');
    expect(
      thrownCode(() =>
        createSquareWebhookVerifier({ signatureKey: key, notificationUrl: `${url}/other` }).verify(
          header,
          body,
        ),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(thrownCode(() => square.verify(undefined, body))).toBe('ERR_WEBHOOK_SIGNATURE_MISSING');
  });

  it('QuickBooks: base64 HMAC-SHA256 of the body with the verifier token', () => {
    const token = hex(18);
    const header = createHmac('sha256', token).update(body).digest('base64');
    const quickBooks = createQuickBooksWebhookVerifier({ verifierToken: token });
    expect(thrownCode(() => quickBooks.verify(header, body))).toBe('accepted');
    expect(thrownCode(() => quickBooks.verify(header, `${body}x`))).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });

  it('Mandrill: base64 HMAC-SHA1 of URL + sorted form fields', () => {
    const hookUrl = 'https://integrations.example.com/webhooks/mandrill';
    const events = JSON.stringify([{ event: 'send', _id: 'abc' }]);
    const form = new URLSearchParams({ zeta: '1', mandrill_events: events }).toString();
    const header = createHmac('sha1', key).update(`${hookUrl}mandrill_events${events}zeta1`).digest('base64');
    const mandrill = createMandrillWebhookVerifier({ webhookKey: key, url: hookUrl });
    expect(thrownCode(() => mandrill.verify(header, form))).toBe('accepted');
    const tampered = new URLSearchParams({ zeta: '2', mandrill_events: events }).toString();
    expect(thrownCode(() => mandrill.verify(header, tampered))).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });
});
