import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestSigner, SignableRequest } from '../signing/request-signer.js';

// A stand-in for @interlink/auth's RFC 9421 signer, so these tests can prove that each attempt is
// signed afresh and that identity headers are covered, while auth is being written.
const COVERED = ['x-tenant-id', 'x-user-id', 'idempotency-key', 'x-interlink-deadline'] as const;

function base(
  method: string,
  target: string,
  headers: Record<string, string | undefined>,
  digest: string,
  nonce: string,
  created: string,
): string {
  return [method, target, ...COVERED.map((h) => `${h}:${headers[h] ?? ''}`), digest, nonce, created].join(
    '\n',
  );
}

/** Signs method, path and query, identity headers, deadline and body digest, with a fresh nonce per call. */
export function createTestSigner(secret: string, signed: SignableRequest[] = []): RequestSigner {
  return {
    sign(request) {
      signed.push(request);
      const nonce = randomBytes(12).toString('hex');
      const created = String(Date.now());
      const digest = createHash('sha256')
        .update(request.body ?? new Uint8Array())
        .digest('base64');
      const target = request.path;
      const signature = createHmac('sha256', secret)
        .update(base(request.method, target, request.headers, digest, nonce, created))
        .digest('base64');
      return {
        'x-test-nonce': nonce,
        'x-test-created': created,
        'x-test-digest': digest,
        'x-test-signature': signature,
      };
    },
  };
}

/** Verifies a request signed by {@link createTestSigner}; returns its nonce, or undefined when invalid. */
export function verifyTestSignature(
  secret: string,
  method: string,
  target: string,
  headers: IncomingHttpHeaders,
  body: Uint8Array,
): string | undefined {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const digest = createHash('sha256').update(body).digest('base64');
  if (one('x-test-digest') !== digest) return undefined;
  const nonce = one('x-test-nonce') ?? '';
  const flat: Record<string, string | undefined> = {};
  for (const h of COVERED) flat[h] = one(h);
  const expected = createHmac('sha256', secret)
    .update(base(method, target, flat, digest, nonce, one('x-test-created') ?? ''))
    .digest();
  const given = Buffer.from(one('x-test-signature') ?? '', 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
}
