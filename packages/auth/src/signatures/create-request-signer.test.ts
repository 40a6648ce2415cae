import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../errors/auth-error.js';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { createRequestSigner } from './create-request-signer.js';
import { signRequest } from './sign-request.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { verifyRequest } from './verify-request.js';

describe('createRequestSigner (for @interlink/client)', () => {
  const secret = randomBytes(32);
  const signer = createRequestSigner({ key: createSigningKey({ keyId: 'k', alg: 'hmac-sha256', secret }) });
  const options = {
    keys: createKeyring([{ keyId: 'k', service: 'caller', alg: 'hmac-sha256' as const, secret }]),
    nonceStore: createMemoryNonceStore(),
  };

  it('signs each attempt with a fresh nonce, verifiable on the other side', async () => {
    const attempt = {
      method: 'POST',
      url: new URL('http://tickets.internal:8080/tickets?x=1'),
      headers: { 'content-type': 'application/json', 'x-tenant-id': 't1', host: 'tickets.internal:8080' },
      body: Buffer.from('{"a":1}'),
    };
    const first = signer.sign(attempt);
    const second = signer.sign(attempt);
    expect(first['signature-input']).not.toBe(second['signature-input']);
    for (const headers of [first, second]) {
      const verified = await verifyRequest(
        { ...attempt, url: '/tickets?x=1', headers: { ...attempt.headers, ...headers } },
        options,
      );
      expect(verified.tenantId).toBe('t1');
    }
  });

  it('signs string URLs as the receiver sees them, odd ones included, each with its own nonce', async () => {
    // What the client passes (an absolute string) against what the server gets (the path undici
    // sends, as the URL parser normalizes it, and a Host header).
    const cases: [string, string, string][] = [
      [
        'http://tickets.internal:8080/tickets/42?x=1&q=a%20b',
        'tickets.internal:8080',
        '/tickets/42?x=1&q=a%20b',
      ],
      ['https://Tickets.Internal:443/a/./b/../c?', 'tickets.internal', '/a/c'],
      ["http://tickets.internal/it's here?o'k", 'tickets.internal', "/it's%20here?o%27k"],
    ];
    const nonces = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const [url, host, target] = cases[i % cases.length]!;
      const headers = { 'content-type': 'application/json', 'x-user-id': `u${i}` };
      const body = Buffer.from(`{"i":${i}}`);
      const added = signer.sign({ method: 'PUT', url, headers, body });
      const nonce = /;nonce="([A-Za-z0-9_-]{22})";/.exec(added['signature-input']!)![1]!;
      nonces.add(nonce);
      const verified = await verifyRequest(
        { method: 'PUT', url: target, headers: { ...headers, host, ...added }, body },
        options,
      );
      expect(verified.userId).toBe(`u${i}`);
    }
    // 300 signatures draw on more than one pool of random bytes (256 nonces each).
    expect(nonces.size).toBe(300);
  });

  it('refuses a streamed body', () => {
    expect(() =>
      signer.sign({ method: 'POST', url: 'http://x/', headers: {}, body: undefined, streamedBody: true }),
    ).toThrow(expect.objectContaining({ code: 'ERR_AUTH_CONFIG' }));
  });

  it('writes the bytes signRequest writes, and they verify (5,000 generated attempts)', async () => {
    const key = createSigningKey({ keyId: 'k', alg: 'hmac-sha256', secret });
    const signed = createRequestSigner({ key, expiresInSeconds: 120 });
    const text = fc.string({
      unit: fc.constantFrom(...' \t\r\n"\\;=,:é-_azAZ09'.split('')),
      maxLength: 12,
    });
    const attempt = fc.record({
      method: fc.constantFrom('GET', 'POST', 'delete', 'GE\nT'),
      origin: fc.constantFrom(
        'http://svc',
        'https://Svc.Internal:443',
        'http://127.0.0.1:8080',
        'svc+x://Svc',
      ),
      path: fc.constantFrom('/', '/a/b', '/a/./b', "/it's", '/x?q=1&r=a%20b', '/x?', '?x=1', ''),
      headers: fc.dictionary(
        fc.constantFrom(
          'content-type',
          'x-tenant-id',
          'x-user-id',
          'idempotency-key',
          'traceparent',
          'X-User-Id',
        ),
        text,
      ),
      body: fc.option(fc.uint8Array({ maxLength: 16 }), { nil: undefined }),
      // The client's form: origin and path apart besides the URL.
      parts: fc.boolean(),
    });
    const outcome = (sign: () => Record<string, string>): Record<string, string> | string => {
      try {
        return sign();
      } catch (error) {
        return error instanceof AuthError ? error.code : String(error);
      }
    };
    let verified = 0;
    await fc.assert(
      fc.asyncProperty(attempt, async ({ method, origin, path, headers, body, parts }) => {
        const url = `${origin}${path}`;
        const got = outcome(() =>
          signed.sign(parts ? { method, url, origin, path, headers, body } : { method, url, headers, body }),
        );
        let created = Math.floor(Date.now() / 1000);
        let nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
        if (typeof got !== 'string') {
          const params = /;created=(\d+);expires=\d+;nonce="([^"]+)"/.exec(got['signature-input']!)!;
          created = Number(params[1]);
          nonce = params[2]!;
        }
        // What the signer did before it wrote the base itself: signRequest on the parsed URL.
        const expected = outcome(() => ({
          ...signRequest(
            { method, url: new URL(url), headers, ...(body ? { body } : {}) },
            { key, now: created * 1000, nonce, expiresInSeconds: 120 },
          ),
        }));
        expect(got).toEqual(expected);
        if (typeof got === 'string' || !url.startsWith('http')) return;
        const target = new URL(url);
        const result = await verifyRequest(
          {
            method,
            url: `${target.pathname}${target.search}`,
            headers: { ...headers, host: target.host, ...got },
            body: body ?? '',
          },
          options,
        );
        expect(result.keyId).toBe('k');
        verified++;
      }),
      { numRuns: 5_000 },
    );
    // Most generated attempts are signable: the check above is not vacuous.
    expect(verified).toBeGreaterThan(1_000);
  });
});
