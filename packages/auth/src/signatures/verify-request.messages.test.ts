import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthErrorCode } from '../errors/auth-error-codes.js';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import { explainedCodeOf } from '../testing/refusal-code.test.helper.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { buildSignatureBase, component } from './signature-base.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import { type VerifyRequestOptions, verifyRequest } from './verify-request.js';

// Every refusal of verifyRequest says why: an AuthError with an empty message reads as nothing in
// a log or a problem's detail (explainedCodeOf treats it as a plain error).

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;
const KEY_ID = 'billing-1';
const secret = randomBytes(32);
const key = createSigningKey({ keyId: KEY_ID, alg: 'hmac-sha256', secret });

const options = (overrides: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions => ({
  keys: createKeyring([{ keyId: KEY_ID, service: 'billing', alg: 'hmac-sha256', secret }]),
  nonceStore: createMemoryNonceStore({ now: () => NOW }),
  now: () => NOW,
  ...overrides,
});

const POST: SignableRequest = {
  method: 'POST',
  url: '/invoices?id=7',
  headers: { host: 'billing.internal', 'content-type': 'application/json' },
  body: '{"total":1}',
};

/** Interlink's own signature of `req`, made at `at`. */
function interlink(req: SignableRequest = POST, at = NOW): SignableRequest {
  return { ...req, headers: { ...req.headers, ...signRequest(req, { key, now: at }) } };
}

/** An honest signature labelled `a` over `covered`, with `created`, `keyid` and `params`. */
function bare(
  params: Record<string, string | number | undefined> = {},
  covered = ['@method', '@authority', '@path'],
  req: SignableRequest = { ...POST, method: 'GET', body: undefined },
): SignableRequest {
  const entries = Object.entries({ created: NOW_S, keyid: KEY_ID, ...params }).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  const { base, signatureParams } = buildSignatureBase(req, covered.map(component), new Map(entries));
  const mac = createHmac('sha256', secret).update(base).digest('base64');
  return {
    ...req,
    headers: { ...req.headers, 'signature-input': `a=${signatureParams}`, signature: `a=:${mac}:` },
  };
}

const anyProfile = (overrides: Partial<VerifyRequestOptions> = {}) => options({ profile: {}, ...overrides });

describe('every refusal of verifyRequest says why', () => {
  it.each<[string, () => [SignableRequest, VerifyRequestOptions], AuthErrorCode]>([
    ['a negative clock skew', () => [interlink(), options({ clockSkewSeconds: -1 })], 'ERR_AUTH_CONFIG'],
    ['a validity of 0 s', () => [interlink(), options({ maxValiditySeconds: 0 })], 'ERR_AUTH_CONFIG'],
    ['created not a number', () => [bare({ created: 'now' }), anyProfile()], 'ERR_SIGNATURE_PARAMS'],
    ['nonce not a string', () => [bare({ nonce: 12 }), anyProfile()], 'ERR_SIGNATURE_PARAMS'],
    ['no keyid', () => [bare({ keyid: undefined }), anyProfile()], 'ERR_SIGNATURE_PARAMS'],
    ['expires equal to created', () => [bare({ expires: NOW_S }), anyProfile()], 'ERR_SIGNATURE_PARAMS'],
    ['created 31 s ahead', () => [interlink(POST, NOW + 31_000), options()], 'ERR_SIGNATURE_FUTURE'],
    ['expired 31 s ago', () => [interlink(POST, NOW - 91_000), options()], 'ERR_SIGNATURE_EXPIRED'],
    ['an unknown key id', () => [bare({ keyid: 'nobody' }), anyProfile()], 'ERR_SIGNATURE_UNKNOWN_KEY'],
    [
      'an alg other than the key’s',
      () => [bare({ alg: 'ed25519' }), anyProfile()],
      'ERR_SIGNATURE_ALGORITHM',
    ],
    [
      'signed for another authority',
      () => [interlink(), options({ authority: 'elsewhere.internal' })],
      'ERR_SIGNATURE_AUTHORITY',
    ],
    [
      'a body without content-digest covered',
      () => [bare({}, ['@method'], POST), anyProfile()],
      'ERR_SIGNATURE_COVERAGE',
    ],
    [
      'a required component with parameters not covered',
      () => [bare(), anyProfile({ profile: { required: ['"@query-param";name="id"'] } })],
      'ERR_SIGNATURE_COVERAGE',
    ],
    [
      'a signature that does not verify',
      () => [{ ...interlink(), method: 'PUT' }, options()],
      'ERR_SIGNATURE_INVALID',
    ],
    [
      'a Signature member that is no byte sequence',
      () => {
        const r = bare();
        return [{ ...r, headers: { ...r.headers, signature: 'a="abc", b=:AAAA:' } }, anyProfile()];
      },
      'ERR_SIGNATURE_MALFORMED',
    ],
  ])('%s', async (_name, make, code) => {
    const [request, opts] = make();
    expect(await explainedCodeOf(verifyRequest(request, opts))).toBe(code);
  });

  it('a replayed nonce', async () => {
    const opts = options();
    const request = interlink();
    expect(await explainedCodeOf(verifyRequest(request, opts))).toBe('accepted');
    expect(await explainedCodeOf(verifyRequest(request, opts))).toBe('ERR_NONCE_REPLAYED');
  });
});

describe('header names in any case', () => {
  it('a request whose header names are capitalised verifies like its lower-case twin', async () => {
    const signed = interlink({
      ...POST,
      headers: { ...POST.headers, 'x-tenant-id': 'tenant-a' },
    });
    const capitalised = Object.fromEntries(
      Object.entries(signed.headers).map(([name, value]) => [
        name.replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase()),
        value,
      ]),
    );
    expect(Object.keys(capitalised)).toContain('Signature-Input');
    const verified = await verifyRequest({ ...signed, headers: capitalised }, options());
    expect(verified.tenantId).toBe('tenant-a');
    const tampered = { ...signed, headers: { ...capitalised, 'X-Tenant-Id': 'tenant-b' } };
    expect(await explainedCodeOf(verifyRequest(tampered, options()))).toBe('ERR_SIGNATURE_INVALID');
  });
});

describe('a covered component that is not a string', () => {
  it('is refused as malformed before any coverage check reads the list', async () => {
    const input = `a=(method);created=${NOW_S};keyid="${KEY_ID}"`;
    const request = {
      ...POST,
      headers: { ...POST.headers, 'signature-input': input, signature: 'a=:AAAA:' },
    };
    for (const opts of [
      anyProfile({ profile: { required: ['@method'] } }),
      anyProfile({ authority: 'billing.internal' }),
      anyProfile(),
    ]) {
      expect(await explainedCodeOf(verifyRequest(request, opts))).toBe('ERR_SIGNATURE_MALFORMED');
    }
  });
});
