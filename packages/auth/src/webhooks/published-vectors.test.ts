import { describe, expect, it } from 'vitest';
import { verifySquareWebhook } from './verify-square-webhook.js';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

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

  it('accepts the published delivery', () => {
    expect(codeOf(() => verifySquareWebhook(header, Buffer.from(body), options))).toBeUndefined();
  });

  it('refuses it with another notification URL, a changed body or another key', () => {
    expect(
      codeOf(() =>
        verifySquareWebhook(header, Buffer.from(body), {
          ...options,
          notificationUrl: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9',
        }),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(
      codeOf(() => verifySquareWebhook(header, Buffer.from(body.replace('MLEF', 'MLEG')), options)),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
    expect(
      codeOf(() =>
        verifySquareWebhook(header, Buffer.from(body), {
          ...options,
          signatureKey: 'Ibxx_5AKakO-3qeNVR61Dx',
        }),
      ),
    ).toBe('ERR_WEBHOOK_SIGNATURE_INVALID');
  });
});
