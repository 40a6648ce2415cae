import { describe, expect, it } from 'vitest';
import { thrownCode } from '../testing/refusal-code.test.helper.js';
import { createQuickBooksWebhookVerifier } from './verify-quickbooks-webhook.js';
import { createSquareWebhookVerifier } from './verify-square-webhook.js';

// The vector Square's own SDKs test their WebhooksHelper with (the Node, Python, Ruby, PHP and Java
// SDKs all carry it): a real `webhooks.test_notification` delivery, its signature key, the
// notification URL it was sent to, and the `x-square-hmacsha256-signature` header it arrived with.
describe("Square's published webhook vector", () => {
  const body =
    '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}';
  const header = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=';
  const options = {
    signatureKey: 'Ibxx_5AKakO-3qeNVR61Dw',
    notificationUrl: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
  };
  const verifySquareWebhook = (header: string, body: Buffer, o: typeof options) =>
    createSquareWebhookVerifier(o).verify(header, body);

  it('accepts the published delivery', () => {
    expect(thrownCode(() => verifySquareWebhook(header, Buffer.from(body), options))).toBe('accepted');
  });

  it('refuses it with another notification URL, a changed body or another key', () => {
    expect(
      thrownCode(() =>
        verifySquareWebhook(header, Buffer.from(body), {
          ...options,
          notificationUrl: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9',
        }),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(
      thrownCode(() => verifySquareWebhook(header, Buffer.from(body.replace('MLEF', 'MLEG')), options)),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(
      thrownCode(() =>
        verifySquareWebhook(header, Buffer.from(body), {
          ...options,
          signatureKey: 'Ibxx_5AKakO-3qeNVR61Dx',
        }),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });
});

// The vector Intuit's QuickBooks V3 Java SDK tests `WebhooksService.verifyPayload` with: its
// verifier token, a `dataChangeEvent` delivery, and the `intuit-signature` it carries.
describe("QuickBooks' published webhook vector", () => {
  const verifierToken = 'b5771f19b12ddb4bcdb9f08bdc50bc63878a';
  const verifyQuickBooksWebhook = (header: string, body: Buffer | string, token: string | string[]) =>
    createQuickBooksWebhookVerifier({ verifierToken: token }).verify(header, body);
  const header = 'JC2GUwciPmRBwEO7WvrRmKqu9tGOKL8FFallocTFi8Q=';
  const body =
    '{"eventNotifications":[{"realmId":"1185883450","dataChangeEvent":{"entities":[{"name":"Customer","id":"1","operation":"Create","lastUpdated":"2015-10-05T14:42:19-0700"}]}}]}';

  it('accepts the published delivery, also with the token among several', () => {
    expect(thrownCode(() => verifyQuickBooksWebhook(header, Buffer.from(body), verifierToken))).toBe(
      'accepted',
    );
    expect(
      thrownCode(() =>
        verifyQuickBooksWebhook(header, body, ['0123456789abcdef0123456789abcdef0123', verifierToken]),
      ),
    ).toBe('accepted');
  });

  it("refuses the SDK's wrong signature, a changed body and another token", () => {
    // The SDK's own negative case: the signature "1234".
    expect(thrownCode(() => verifyQuickBooksWebhook('1234', Buffer.from(body), verifierToken))).toBe(
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    );
    expect(
      thrownCode(() =>
        verifyQuickBooksWebhook(header, Buffer.from(body.replace('"1"', '"2"')), verifierToken),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(thrownCode(() => verifyQuickBooksWebhook(header, Buffer.from(body), `${verifierToken}0`))).toBe(
      'ERR_WEBHOOK_SIGNATURE_INVALID',
    );
  });
});
