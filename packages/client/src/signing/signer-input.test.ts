import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient } from '../client/create-service-client.js';
import { createTestSigner, verifyTestSignature } from '../testing/auth-signer.test.helper.js';
import { json, type RecordingUpstream, startUpstream } from '../testing/recording-upstream.test.helper.js';
import type { RequestSigner, SignableRequest } from './request-signer.js';

const SECRET = 'signer-input-test-secret-long-enough-for-hmac';
let upstream: RecordingUpstream;

beforeAll(async () => {
  upstream = await startUpstream((_req, res) => json(res, 200, { ok: true }));
});
afterAll(() => upstream.close());

describe('what a signer is given', () => {
  it('the URL whole and as origin + path, which auth signs as the target receives it', async () => {
    const seen: SignableRequest[] = [];
    const rfc9421 = createTestSigner(SECRET);
    const recording: RequestSigner = {
      sign(request) {
        seen.push(request);
        return rfc9421.sign(request);
      },
    };
    // A base path and a query: the parts auth's signer takes apart.
    const baseUrl = `${upstream.url}/api/v1`;
    const client = createServiceClient({ service: 'svc', baseUrl, production: false, signer: recording });
    try {
      for (const path of ['/items/a%20b', '/items/x']) {
        await client.json({ path, query: { page: 2, q: 'a b' } });
      }
    } finally {
      await client.close();
    }
    expect(seen).toHaveLength(2);
    for (const request of seen) {
      expect(request.origin).toBe(new URL(baseUrl).origin);
      expect(`${request.origin}${request.path}`).toBe(request.url);
      expect(request.path.startsWith('/api/v1/items/')).toBe(true);
    }
    for (const received of upstream.requests) {
      expect(
        await verifyTestSignature(SECRET, received.method, received.url, received.headers, received.body),
      ).toBeDefined();
    }
  });
});
