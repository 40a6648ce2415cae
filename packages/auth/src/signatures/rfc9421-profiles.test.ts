import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { codeOf } from '../testing/refusal-code.test.helper.js';
import type { SignatureAlgorithm } from './algorithms.js';
import type { SignableMessage, SignableRequest, SignableResponse } from './http-message.js';
import {
  B2,
  B2_CREATED,
  busyResponse,
  ECC_P256_PRIVATE,
  ECC_P256_PUBLIC,
  ED25519_PRIVATE,
  ED25519_PUBLIC,
  RSA_PSS_PRIVATE,
  RSA_PSS_PUBLIC,
  SECTION_2_4_CREATED,
  SHARED_SECRET,
  testRequest,
  testResponse,
} from './rfc9421-examples.test.helper.js';
import {
  createMessageSigningKey,
  type MessageSigningKey,
  type SigningProfile,
  signMessage,
  signResponse,
} from './sign-message.js';
import { createKeyring, type KeyMaterial } from './signature-keys.js';
import type { SignatureProfile } from './signature-profile.js';
import { type VerifyRequestOptions, verifyRequest, verifyResponse } from './verify-request.js';

// RFC 9421's own examples through the public signer and verifier, each with a profile that says
// what the RFC's signatures carry (no tag or a foreign one, no nonce or expires, no alg).

const KEYS: Record<string, { alg: SignatureAlgorithm; privateKey?: KeyMaterial; publicKey?: KeyMaterial }> = {
  'test-key-rsa-pss': { alg: 'rsa-pss-sha512', privateKey: RSA_PSS_PRIVATE, publicKey: RSA_PSS_PUBLIC },
  'test-key-ecc-p256': { alg: 'ecdsa-p256-sha256', privateKey: ECC_P256_PRIVATE, publicKey: ECC_P256_PUBLIC },
  'test-key-ed25519': { alg: 'ed25519', privateKey: ED25519_PRIVATE, publicKey: ED25519_PUBLIC },
};

function signingKey(keyId: string): MessageSigningKey {
  if (keyId === 'test-shared-secret') {
    return createMessageSigningKey({ keyId, alg: 'hmac-sha256', secret: SHARED_SECRET });
  }
  const { alg, privateKey } = KEYS[keyId]!;
  return createMessageSigningKey({ keyId, alg, privateKey: privateKey! });
}

const keyring = createKeyring([
  ...Object.entries(KEYS).map(([keyId, { alg, publicKey }]) => ({
    keyId,
    service: 'rfc-example',
    alg,
    publicKey: publicKey!,
  })),
  { keyId: 'test-shared-secret', service: 'rfc-example', alg: 'hmac-sha256' as const, secret: SHARED_SECRET },
]);

function options(profile: SignatureProfile, extra: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions {
  return {
    keys: keyring,
    nonceStore: createMemoryNonceStore(),
    now: () => (B2_CREATED + 5) * 1000,
    profile,
    ...extra,
  };
}

function withSignature<M extends SignableMessage>(message: M, input: string, signature: string): M {
  return { ...message, headers: { ...message.headers, 'signature-input': input, signature } };
}

/** The signing profile of each B.2 example, and the verifier profile that accepts it. */
const EXAMPLES: {
  name: keyof typeof B2;
  keyId: string;
  message: SignableMessage;
  signing: SigningProfile;
  verifying: SignatureProfile;
  nonce?: string;
  deterministic: boolean;
}[] = [
  {
    name: 'b21',
    keyId: 'test-key-rsa-pss',
    message: testRequest,
    signing: { label: 'sig-b21', components: [], parameters: ['created', 'keyid', 'nonce'] },
    verifying: { label: 'sig-b21', requireBodyCoverage: false, requireNonce: true },
    nonce: 'b3k2pp5k7z-50gnwp.yemd',
    deterministic: false,
  },
  {
    name: 'b22',
    keyId: 'test-key-rsa-pss',
    message: testRequest,
    signing: {
      label: 'sig-b22',
      components: ['@authority', 'content-digest', '"@query-param";name="Pet"'],
      parameters: ['created', 'keyid', 'tag'],
      tag: 'header-example',
    },
    verifying: {
      tag: 'header-example',
      required: ['@authority', '"@query-param";name="Pet"'],
      requireBodyCoverage: false,
    },
    deterministic: false,
  },
  {
    name: 'b23',
    keyId: 'test-key-rsa-pss',
    message: testRequest,
    signing: {
      label: 'sig-b23',
      components: [
        'date',
        '@method',
        '@path',
        '@query',
        '@authority',
        'content-type',
        'content-digest',
        'content-length',
      ],
      parameters: ['created', 'keyid'],
    },
    verifying: { label: 'sig-b23', required: ['@method', '@authority', '@path', '@query'] },
    deterministic: false,
  },
  {
    name: 'b24',
    keyId: 'test-key-ecc-p256',
    message: testResponse,
    signing: {
      label: 'sig-b24',
      components: ['@status', 'content-type', 'content-digest', 'content-length'],
      parameters: ['created', 'keyid'],
    },
    verifying: { label: 'sig-b24', required: ['@status'] },
    deterministic: false,
  },
  {
    name: 'b25',
    keyId: 'test-shared-secret',
    message: testRequest,
    signing: {
      label: 'sig-b25',
      components: ['date', '@authority', 'content-type'],
      parameters: ['created', 'keyid'],
    },
    verifying: { label: 'sig-b25', required: ['@authority'], requireBodyCoverage: false },
    deterministic: true,
  },
  {
    name: 'b26',
    keyId: 'test-key-ed25519',
    message: testRequest,
    signing: {
      label: 'sig-b26',
      components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      parameters: ['created', 'keyid'],
    },
    verifying: { label: 'sig-b26', required: ['@method', '@path', '@authority'], requireBodyCoverage: false },
    deterministic: true,
  },
];

function verify(
  message: SignableMessage,
  profile: SignatureProfile,
  extra: Partial<VerifyRequestOptions> = {},
) {
  return 'status' in message
    ? verifyResponse(message as SignableResponse, options(profile, extra))
    : verifyRequest(message as SignableRequest, options(profile, extra));
}

describe('RFC 9421 Appendix B.2 through signMessage and verifyRequest/verifyResponse with profiles', () => {
  for (const example of EXAMPLES) {
    const rfc = B2[example.name];
    it(`${example.name}: the RFC's signature verifies; ours has the same Signature-Input byte for byte${example.deterministic ? ' and the same signature' : ' and verifies'}`, async () => {
      const fromRfc = withSignature(example.message, rfc.input, rfc.signature);
      const verified = await verify(fromRfc, example.verifying);
      expect(verified.keyId).toBe(example.keyId);
      expect(verified.label).toBe(rfc.input.split('=')[0]);

      const ours = signMessage(example.message, example.signing, {
        key: signingKey(example.keyId),
        now: B2_CREATED * 1000,
        ...(example.nonce ? { nonce: example.nonce } : {}),
      });
      expect(ours['signature-input']).toBe(rfc.input);
      expect(ours['content-digest']).toBeUndefined(); // the message's own digest is covered
      if (example.deterministic) expect(ours.signature).toBe(rfc.signature);
      // RSA-PSS and ECDSA are randomized: ours differs, and verifies with the RFC's public key.
      else expect(ours.signature).not.toBe(rfc.signature);
      const signed = withSignature(example.message, ours['signature-input'], ours.signature);
      await expect(verify(signed, example.verifying)).resolves.toMatchObject({ keyId: example.keyId });
    });
  }

  it('a profile changes nothing when the signature is tampered with: one byte of the body or a header', async () => {
    const b23 = withSignature(testRequest, B2.b23.input, B2.b23.signature);
    const profile = EXAMPLES[2]!.verifying;
    expect(await codeOf(verify({ ...b23, body: '{"hello": "World"}' }, profile))).toBe('ERR_DIGEST_MISMATCH');
    expect(await codeOf(verify({ ...b23, headers: { ...b23.headers, date: 'x' } }, profile))).toBe(
      'ERR_SIGNATURE_INVALID',
    );
  });

  it("Interlink's default profile refuses the RFC's examples: no tag, nonce, expires or alg", async () => {
    const b26 = withSignature(testRequest, B2.b26.input, B2.b26.signature);
    const code = await codeOf(
      verifyRequest(b26, {
        keys: keyring,
        nonceStore: createMemoryNonceStore(),
        now: () => B2_CREATED * 1000,
      }),
    );
    expect(code).toBe('ERR_SIGNATURE_MISSING');
  });

  it('a profile is enforced: required components, nonce, expires, alg and the age of created', async () => {
    const b25 = withSignature(testRequest, B2.b25.input, B2.b25.signature);
    const base: SignatureProfile = { label: 'sig-b25', requireBodyCoverage: false };
    expect(await codeOf(verify(b25, { ...base, required: ['@method'] }))).toBe('ERR_SIGNATURE_COVERAGE');
    expect(await codeOf(verify(b25, { ...base, requireNonce: true }))).toBe('ERR_SIGNATURE_PARAMS');
    expect(await codeOf(verify(b25, { ...base, requireExpires: true }))).toBe('ERR_SIGNATURE_PARAMS');
    expect(await codeOf(verify(b25, { ...base, requireAlg: true }))).toBe('ERR_SIGNATURE_PARAMS');
    // With the body: content-digest must be covered (B.2.5 covers content-type only).
    expect(await codeOf(verify(b25, { label: 'sig-b25' }))).toBe('ERR_SIGNATURE_COVERAGE');
    // created may be at most maxAgeSeconds (+ 30 s skew) old.
    const late = { now: () => (B2_CREATED + 60 + 30 + 1) * 1000 };
    expect(await codeOf(verify(b25, { ...base, maxAgeSeconds: 60 }, late))).toBe('ERR_SIGNATURE_EXPIRED');
    const edge = { now: () => (B2_CREATED + 60 + 30) * 1000 };
    await expect(verify(b25, { ...base, maxAgeSeconds: 60 }, edge)).resolves.toBeDefined();
    // Another tag than the profile's: not selected.
    expect(await codeOf(verify(b25, { tag: 'header-example' }))).toBe('ERR_SIGNATURE_MISSING');
    expect(await codeOf(verifyRequest(b25, options({ maxAgeSeconds: 301 })))).toBe('ERR_AUTH_CONFIG');
  });

  it('a nonce in another profile is claimed too: the same signature twice is a replay', async () => {
    const b21 = withSignature(testRequest, B2.b21.input, B2.b21.signature);
    const shared = options(EXAMPLES[0]!.verifying);
    await verifyRequest(b21, shared);
    expect(await codeOf(verifyRequest(b21, shared))).toBe('ERR_NONCE_REPLAYED');
  });

  it('the authority binding works with any profile, and needs @authority covered', async () => {
    const b26 = withSignature(testRequest, B2.b26.input, B2.b26.signature);
    const profile = EXAMPLES[5]!.verifying;
    await expect(
      verify(b26, profile, { authority: ['api.example.org', 'Example.com'] }),
    ).resolves.toBeDefined();
    expect(await codeOf(verify(b26, profile, { authority: 'other.example.com' }))).toBe(
      'ERR_SIGNATURE_AUTHORITY',
    );
    const b21 = withSignature(testRequest, B2.b21.input, B2.b21.signature);
    expect(await codeOf(verify(b21, EXAMPLES[0]!.verifying, { authority: 'example.com' }))).toBe(
      'ERR_SIGNATURE_COVERAGE',
    );
  });
});

describe('RFC 9421 §2.4: a response signed over components of its request (;req)', () => {
  const profile: SignatureProfile = {
    label: 'reqres',
    required: ['@status', '"@method";req', '"@authority";req', '"@path";req', '"content-digest";req'],
  };
  const at = { now: () => (SECTION_2_4_CREATED + 5) * 1000 };

  it("the RFC's response signature verifies against the request it answers", async () => {
    const response = withSignature(busyResponse, B2.reqres.input, B2.reqres.signature);
    // Options with an authority (shared with a request verifier) do not break a response's check.
    const verified = await verifyResponse(response, options(profile, { ...at, authority: 'example.com' }));
    expect(verified.keyId).toBe('test-key-ecc-p256');
    expect(verified.covered).toEqual(['@status', 'content-digest', 'content-type']);
  });

  it('the same response presented as the answer to another request is refused', async () => {
    const response = withSignature(busyResponse, B2.reqres.input, B2.reqres.signature);
    const otherRequest = { ...testRequest, method: 'PUT' };
    expect(await codeOf(verifyResponse({ ...response, request: otherRequest }, options(profile, at)))).toBe(
      'ERR_SIGNATURE_INVALID',
    );
    const { request: _dropped, ...alone } = response;
    expect(await codeOf(verifyResponse(alone, options(profile, at)))).toBe('ERR_SIGNATURE_COMPONENT_MISSING');
    // A profile demanding a ;req component the signature lacks.
    const stricter = { ...profile, required: [...profile.required!, '"@query";req'] };
    expect(await codeOf(verifyResponse(response, options(stricter, at)))).toBe('ERR_SIGNATURE_COVERAGE');
  });

  it('signMessage writes the RFC Signature-Input byte for byte, and its ECDSA signature verifies', async () => {
    const signing: SigningProfile = {
      label: 'reqres',
      components: [
        '@status',
        'content-digest',
        'content-type',
        '"@authority";req',
        '"@method";req',
        '"@path";req',
        '"content-digest";req',
      ],
      parameters: ['created', 'keyid'],
    };
    const ours = signMessage(busyResponse, signing, {
      key: signingKey('test-key-ecc-p256'),
      now: SECTION_2_4_CREATED * 1000,
    });
    expect(ours['signature-input']).toBe(B2.reqres.input);
    const signed = withSignature(busyResponse, ours['signature-input'], ours.signature);
    await expect(verifyResponse(signed, options(profile, at))).resolves.toBeDefined();
  });

  it(';req in a request signature, and @status in a request, are malformed', async () => {
    for (const covered of ['"@method" "@authority";req', '"@status"']) {
      const input = `sig-x=(${covered});created=1618884473;keyid="test-shared-secret"`;
      const message = withSignature(testRequest, input, B2.b25.signature.replace('sig-b25', 'sig-x'));
      expect(await codeOf(verify(message, { label: 'sig-x', requireBodyCoverage: false })), covered).toBe(
        'ERR_SIGNATURE_MALFORMED',
      );
    }
  });
});

describe("Interlink's response profile", () => {
  const now = 1_800_000_000_000;
  const key = signingKey('test-key-ed25519');
  const request: SignableRequest = {
    method: 'POST',
    url: 'http://tickets.internal:8080/tickets?event=e-1',
    headers: { 'content-type': 'application/json' },
    body: '{"seats":2}',
  };
  const response: SignableResponse = {
    status: 201,
    headers: { 'content-type': 'application/json' },
    body: '{"id":"t-1"}',
    request,
  };

  it('signResponse covers @status, the digest, content type and the request (;req); verifyResponse accepts it', async () => {
    const signed = signResponse(response, { key, now });
    expect(signed['signature-input']).toMatch(
      /^interlink=\("@status" "content-digest" "content-type" "@method";req "@authority";req "@path";req "@query";req\);created=1800000000;expires=1800000060;keyid="test-key-ed25519";alg="ed25519";tag="interlink"$/,
    );
    const message = { ...response, headers: { ...response.headers, ...signed } };
    const verified = await verifyResponse(message, { keys: keyring, now: () => now });
    expect(verified.covered).toEqual(['@status', 'content-digest', 'content-type']);
    // The same response as the answer to another request, or with another status: refused.
    const other = { ...request, url: 'http://tickets.internal:8080/tickets?event=e-2' };
    expect(
      await codeOf(verifyResponse({ ...message, request: other }, { keys: keyring, now: () => now })),
    ).toBe('ERR_SIGNATURE_INVALID');
    expect(await codeOf(verifyResponse({ ...message, status: 200 }, { keys: keyring, now: () => now }))).toBe(
      'ERR_SIGNATURE_INVALID',
    );
  });

  it('a response signature without the ;req components is refused by the default response profile', async () => {
    const loose = signMessage(
      response,
      {
        label: 'interlink',
        tag: 'interlink',
        components: ['@status'],
        parameters: ['created', 'expires', 'keyid', 'alg', 'tag'],
      },
      { key, now },
    );
    const message = { ...response, body: undefined, headers: { ...response.headers, ...loose } };
    expect(await codeOf(verifyResponse(message, { keys: keyring, now: () => now }))).toBe(
      'ERR_SIGNATURE_COVERAGE',
    );
  });
});
