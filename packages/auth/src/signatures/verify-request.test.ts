import {
  constants,
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthErrorCode } from '../errors/auth-error-codes.js';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { codeOf } from '../testing/refusal-code.test.helper.js';
import type { SignatureAlgorithm } from './algorithms.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { buildSignatureBase, component } from './signature-base.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { type VerifyRequestOptions, verifyRequest } from './verify-request.js';

const NOW = 1_800_000_000_000;
const secret = randomBytes(32);
const hmacKey = createSigningKey({ keyId: 'events-2026-11', alg: 'hmac-sha256', secret });
const ed = generateKeyPairSync('ed25519');
const edKey = createSigningKey({ keyId: 'tickets-ed-1', alg: 'ed25519', privateKey: ed.privateKey });

function options(overrides: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions {
  return {
    keys: createKeyring([
      { keyId: 'events-2026-11', service: 'event-service', alg: 'hmac-sha256', secret },
      { keyId: 'tickets-ed-1', service: 'ticket-service', alg: 'ed25519', publicKey: ed.publicKey },
    ]),
    nonceStore: createMemoryNonceStore({ now: () => NOW }),
    now: () => NOW,
    ...overrides,
  };
}

function request(overrides: Partial<SignableRequest> = {}): SignableRequest {
  return {
    method: 'POST',
    url: '/integrations/sync?since=2026-01-01&limit=10',
    headers: {
      host: 'integrations.internal:8080',
      'content-type': 'application/json',
      'x-tenant-id': 'tenant-a',
      'x-user-id': 'user-1',
      'idempotency-key': 'k-123',
    },
    body: '{"hello":"world"}',
    ...overrides,
  };
}

function signed(req: SignableRequest = request(), key = hmacKey, now = NOW): SignableRequest {
  const headers = signRequest(req, { key, now });
  return { ...req, headers: { ...req.headers, ...headers } };
}

describe('signRequest + verifyRequest', () => {
  it('accepts an hmac-sha256 request and reports the service and covered identity', async () => {
    const verified = await verifyRequest(signed(), options());
    expect(verified.service).toBe('event-service');
    expect(verified.alg).toBe('hmac-sha256');
    expect(verified.tenantId).toBe('tenant-a');
    expect(verified.userId).toBe('user-1');
    expect(verified.idempotencyKey).toBe('k-123');
    expect(verified.covered).toEqual([
      '@method',
      '@authority',
      '@path',
      '@query',
      'content-digest',
      'content-type',
      'x-tenant-id',
      'x-user-id',
      'idempotency-key',
    ]);
  });

  it('accepts an ed25519 request', async () => {
    const verified = await verifyRequest(signed(request(), edKey), options());
    expect(verified.service).toBe('ticket-service');
  });

  it('signs with the profile parameters: created, expires <= created + 300, 128-bit nonce, keyid, alg, tag', () => {
    const headers = signRequest(request(), { key: hmacKey, now: NOW });
    expect(headers['signature-input']).toMatch(
      /^interlink=\("@method" "@authority" "@path" "@query" "content-digest" "content-type" "x-tenant-id" "x-user-id" "idempotency-key"\);created=1800000000;expires=1800000060;nonce="[A-Za-z0-9_-]{22}";keyid="events-2026-11";alg="hmac-sha256";tag="interlink"$/,
    );
    expect(headers['content-digest']).toBe(
      `sha-256=:${createHash('sha256').update('{"hello":"world"}').digest('base64')}:`,
    );
    expect(() => signRequest(request(), { key: hmacKey, expiresInSeconds: 301 })).toThrow(/expiresInSeconds/);
  });

  it('accepts a GET without body, covering no digest', async () => {
    const req = request({ method: 'GET', body: undefined, headers: { host: 'svc' } });
    const verified = await verifyRequest(signed(req), options());
    expect(verified.covered).toEqual(['@method', '@authority', '@path', '@query']);
  });

  it('verifies ecdsa-p256-sha256, rsa-pss-sha512 and rsa-v1_5-sha256 signatures for interop', async () => {
    const cases: [
      SignatureAlgorithm,
      { publicKey: KeyObject; privateKey: KeyObject },
      (base: Buffer, key: KeyObject) => Buffer,
    ][] = [
      [
        'ecdsa-p256-sha256',
        generateKeyPairSync('ec', { namedCurve: 'P-256' }),
        (b, k) => sign('sha256', b, { key: k, dsaEncoding: 'ieee-p1363' }),
      ],
      [
        'rsa-pss-sha512',
        generateKeyPairSync('rsa', { modulusLength: 2048 }),
        (b, k) => sign('sha512', b, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }),
      ],
      [
        'rsa-v1_5-sha256',
        generateKeyPairSync('rsa', { modulusLength: 2048 }),
        (b, k) => sign('sha256', b, { key: k, padding: constants.RSA_PKCS1_PADDING }),
      ],
    ];
    for (const [alg, pair, signer] of cases) {
      const req = request({ method: 'GET', body: undefined, headers: { host: 'svc' } });
      const params = new Map<string, string | number>([
        ['created', NOW / 1000],
        ['expires', NOW / 1000 + 60],
        ['nonce', randomBytes(16).toString('base64url')],
        ['keyid', `k-${alg}`],
        ['alg', alg],
        ['tag', 'interlink'],
      ]);
      const { base, signatureParams } = buildSignatureBase(
        req,
        ['@method', '@authority', '@path', '@query'].map(component),
        params,
      );
      const sig = signer(Buffer.from(base), pair.privateKey);
      const opts = options({
        keys: createKeyring([{ keyId: `k-${alg}`, service: 'partner', alg, publicKey: pair.publicKey }]),
      });
      const verified = await verifyRequest(
        {
          ...req,
          headers: {
            ...req.headers,
            'signature-input': `sig1=${signatureParams}`,
            signature: `sig1=:${sig.toString('base64')}:`,
          },
        },
        opts,
      );
      expect(verified.alg).toBe(alg);
    }
  });

  it('accepts several active keys per service, so keys rotate without downtime', async () => {
    const next = createSigningKey({ keyId: 'events-2026-12', alg: 'hmac-sha256', secret: randomBytes(32) });
    const opts = options();
    opts.keys.add({
      keyId: 'events-2026-12',
      service: 'event-service',
      alg: 'hmac-sha256',
      secret: next.key.export(),
    });
    expect((await verifyRequest(signed(request(), hmacKey), opts)).keyId).toBe('events-2026-11');
    expect((await verifyRequest(signed(request(), next), opts)).keyId).toBe('events-2026-12');
    opts.keys.remove('events-2026-11');
    expect(await codeOf(verifyRequest(signed(request(), hmacKey), opts))).toBe('ERR_SIGNATURE_UNKNOWN_KEY');
  });

  it('a key replaced under the same key id is checked with its new secret only', async () => {
    const opts = options();
    const newSecret = randomBytes(32);
    opts.keys.add({
      keyId: 'events-2026-11',
      service: 'event-service',
      alg: 'hmac-sha256',
      secret: newSecret,
    });
    expect(await codeOf(verifyRequest(signed(), opts))).toBe('ERR_SIGNATURE_INVALID');
    const renewed = createSigningKey({ keyId: 'events-2026-11', alg: 'hmac-sha256', secret: newSecret });
    expect(await codeOf(verifyRequest(signed(request(), renewed), opts))).toBe('accepted');
  });

  it('refuses an HMAC secret under 32 bytes', () => {
    expect(() => createSigningKey({ keyId: 'x', alg: 'hmac-sha256', secret: 'short-secret' })).toThrow(
      /32 bytes/,
    );
  });
});

describe('verifyRequest refuses, each with its code', () => {
  const tamper = (mutate: (r: SignableRequest) => SignableRequest) => mutate(signed());
  const withHeaders = (r: SignableRequest, headers: Record<string, string | undefined>) => ({
    ...r,
    headers: { ...r.headers, ...headers },
  });

  it.each<[string, () => SignableRequest, AuthErrorCode]>([
    ['no signature headers', () => request(), 'ERR_SIGNATURE_MISSING'],
    ['expired', () => signed(request(), hmacKey, NOW - 60_000 - 31_000), 'ERR_SIGNATURE_EXPIRED'],
    ['from the future', () => signed(request(), hmacKey, NOW + 31_000), 'ERR_SIGNATURE_FUTURE'],
    ['tampered body', () => tamper((r) => ({ ...r, body: '{"hello":"w0rld"}' })), 'ERR_DIGEST_MISMATCH'],
    ['tampered method', () => tamper((r) => ({ ...r, method: 'PUT' })), 'ERR_SIGNATURE_INVALID'],
    [
      'tampered path',
      () => tamper((r) => ({ ...r, url: '/integrations/delete?since=2026-01-01&limit=10' })),
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'tampered query',
      () => tamper((r) => ({ ...r, url: '/integrations/sync?since=2026-01-01&limit=1000' })),
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'tampered authority',
      () => tamper((r) => withHeaders(r, { host: 'other.internal' })),
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'a covered header changed',
      () => tamper((r) => withHeaders(r, { 'x-tenant-id': 'tenant-b' })),
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'an uncovered identity header added',
      () =>
        withHeaders(signed(request({ headers: { host: 'svc' }, method: 'GET', body: undefined })), {
          'x-tenant-id': 'tenant-b',
        }),
      'ERR_SIGNATURE_COVERAGE',
    ],
    [
      'a body added to a signed GET',
      () => ({ ...signed(request({ method: 'GET', body: undefined })), body: 'x' }),
      'ERR_SIGNATURE_COVERAGE',
    ],
    [
      'content-digest header removed',
      () => tamper((r) => withHeaders(r, { 'content-digest': undefined })),
      'ERR_DIGEST_MISMATCH',
    ],
    [
      // An object-literal algorithm table once found Object's `constructor` here: a TypeError, a 500.
      'content-digest member named after an Object property',
      () => tamper((r) => withHeaders(r, { 'content-digest': 'constructor=:AAAA:' })),
      'ERR_DIGEST_MISMATCH',
    ],
    [
      'content-digest of another body, in a second member after a matching one',
      () =>
        tamper((r) =>
          withHeaders(r, {
            'content-digest': `${r.headers['content-digest']}, sha-512=:${createHash('sha512').update('x').digest('base64')}:`,
          }),
        ),
      'ERR_DIGEST_MISMATCH',
    ],
    [
      'a covered component repeated in a canonical Signature-Input',
      () =>
        tamper((r) =>
          withHeaders(r, {
            'signature-input': String(r.headers['signature-input']).replace('"@path"', '"@path" "@path"'),
          }),
        ),
      'ERR_SIGNATURE_MALFORMED',
    ],
    [
      'unknown key',
      () =>
        signed(request(), createSigningKey({ keyId: 'nobody', alg: 'hmac-sha256', secret: randomBytes(32) })),
      'ERR_SIGNATURE_UNKNOWN_KEY',
    ],
    [
      'wrong secret for a known key id',
      () =>
        signed(
          request(),
          createSigningKey({ keyId: 'events-2026-11', alg: 'hmac-sha256', secret: randomBytes(32) }),
        ),
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'duplicate labels',
      () =>
        tamper((r) =>
          withHeaders(r, {
            'signature-input': `${r.headers['signature-input']}, ${r.headers['signature-input']}`,
          }),
        ),
      'ERR_SIGNATURE_DUPLICATE_LABEL',
    ],
    [
      'malformed Signature-Input',
      () => tamper((r) => withHeaders(r, { 'signature-input': 'interlink=("@method" ;;;' })),
      'ERR_SIGNATURE_MALFORMED',
    ],
    [
      'malformed Signature',
      () => tamper((r) => withHeaders(r, { signature: 'interlink=:not base64!:' })),
      'ERR_SIGNATURE_MALFORMED',
    ],
    [
      'Signature not a byte sequence',
      () => tamper((r) => withHeaders(r, { signature: 'interlink="abc"' })),
      'ERR_SIGNATURE_MALFORMED',
    ],
    [
      'oversized Signature-Input',
      () =>
        tamper((r) =>
          withHeaders(r, { 'signature-input': `${r.headers['signature-input']};x="${'a'.repeat(9000)}"` }),
        ),
      'ERR_SIGNATURE_HEADER_TOO_LARGE',
    ],
    [
      'garbage signature bytes of the wrong length',
      () => tamper((r) => withHeaders(r, { signature: 'interlink=:AAAA:' })),
      'ERR_SIGNATURE_INVALID',
    ],
  ])('%s', async (_name, make, code) => {
    expect(await codeOf(verifyRequest(make(), options()))).toBe(code);
  });

  it('content-digest dropped from the covered components (finding #13)', async () => {
    // Re-sign honestly but without content-digest in the covered list: a signer dodging the body check.
    const req = request();
    const params = new Map<string, string | number>([
      ['created', NOW / 1000],
      ['expires', NOW / 1000 + 60],
      ['nonce', randomBytes(16).toString('base64url')],
      ['keyid', 'events-2026-11'],
      ['alg', 'hmac-sha256'],
      ['tag', 'interlink'],
    ]);
    const covered = [
      '@method',
      '@authority',
      '@path',
      '@query',
      'content-type',
      'x-tenant-id',
      'x-user-id',
      'idempotency-key',
    ];
    const { base, signatureParams } = buildSignatureBase(req, covered.map(component), params);
    const sig = createHmac('sha256', secret).update(base).digest('base64');
    const forged = {
      ...req,
      headers: {
        ...req.headers,
        'signature-input': `interlink=${signatureParams}`,
        signature: `interlink=:${sig}:`,
      },
    };
    expect(await codeOf(verifyRequest(forged, options()))).toBe('ERR_SIGNATURE_COVERAGE');
  });

  // Each edits the Signature-Input of a signed request and leaves its signature as it was.
  it.each<[string, (input: string) => string, AuthErrorCode]>([
    [
      'alg that differs from the key binding',
      (s) => s.replace('alg="hmac-sha256"', 'alg="ed25519"'),
      'ERR_SIGNATURE_ALGORITHM',
    ],
    [
      'parameters: validity over 300 s',
      (s) => s.replace(/expires=\d+/, `expires=${NOW / 1000 + 301}`),
      'ERR_SIGNATURE_PARAMS',
    ],
    [
      'parameters: nonce under 128 bits',
      (s) => s.replace(/nonce="[^"]+"/, 'nonce="short"'),
      'ERR_SIGNATURE_PARAMS',
    ],
    ['parameters: no created', (s) => s.replace(/;created=\d+/, ''), 'ERR_SIGNATURE_PARAMS'],
    [
      'parameters: created not an integer',
      (s) => s.replace(/created=\d+/, 'created="now"'),
      'ERR_SIGNATURE_PARAMS',
    ],
    [
      'a signature without tag="interlink" (other profiles are ignored)',
      (s) => s.replace(';tag="interlink"', ''),
      'ERR_SIGNATURE_MISSING',
    ],
  ])('%s', async (_name, edit, code) => {
    const r = signed();
    const input = edit(String(r.headers['signature-input']));
    expect(
      await codeOf(verifyRequest({ ...r, headers: { ...r.headers, 'signature-input': input } }, options())),
    ).toBe(code);
  });

  it('the same request twice (replay) in one process', async () => {
    const opts = options();
    const r = signed();
    await verifyRequest(r, opts);
    expect(await codeOf(verifyRequest(r, opts))).toBe('ERR_NONCE_REPLAYED');
  });
});
