import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { codeOf } from '../testing/refusal-code.test.helper.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { buildSignatureBase, type ComponentId, component } from './signature-base.js';
import { createKeyring, createSigningKey, type VerificationKeyInput } from './signature-keys.js';
import { type VerifyRequestOptions, verifyRequest } from './verify-request.js';

// The behaviours a mutation run over verify-request.ts found no test pinning down: each at its
// boundary and one past it, and the full structured-fields path accepting valid input.

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;
const secret = randomBytes(32);
const KEY_ID = 'events-1';
const key = createSigningKey({ keyId: KEY_ID, alg: 'hmac-sha256', secret });
const keyInput: VerificationKeyInput = {
  keyId: KEY_ID,
  service: 'event-service',
  alg: 'hmac-sha256',
  secret,
};

const clock = () => NOW;
const options = (overrides: Partial<VerifyRequestOptions> = {}, keys = [keyInput]): VerifyRequestOptions => ({
  keys: createKeyring(keys),
  nonceStore: createMemoryNonceStore({ now: clock }),
  now: clock,
  ...overrides,
});

const BASE_REQUEST: SignableRequest = {
  method: 'POST',
  url: '/sync?since=2026-01-01&limit=10',
  headers: { host: 'svc.internal:8080', 'content-type': 'application/json' },
  body: '{"a":1}',
};
const request = (overrides: Partial<SignableRequest> = {}): SignableRequest => ({
  ...BASE_REQUEST,
  ...overrides,
});

function signed(req = request(), at = NOW, nonce?: string, signingKey = key): SignableRequest {
  const headers = signRequest(req, { key: signingKey, now: at, ...(nonce ? { nonce } : {}) });
  return { ...req, headers: { ...req.headers, ...headers } };
}

const nonce = () => randomBytes(16).toString('base64url');

/** Interlink's parameters, each overridable. */
function params(over: Record<string, string | number> = {}): Map<string, string | number> {
  return new Map(
    Object.entries({
      created: NOW_S,
      expires: NOW_S + 60,
      nonce: nonce(),
      keyid: KEY_ID,
      alg: 'hmac-sha256',
      tag: 'interlink',
      ...over,
    }),
  );
}

/**
 * An honest HMAC signature over any covered list and parameters (what a signer that writes its own
 * Signature-Input could send), with the content digest the body needs.
 */
function signAs(
  req: SignableRequest,
  covered: readonly (string | ComponentId)[],
  with_: Map<string, string | number> = params(),
  label = 'interlink',
): SignableRequest {
  const withDigest = signed(req);
  const message = {
    ...req,
    headers: { ...req.headers, 'content-digest': withDigest.headers['content-digest'] },
  };
  const items = covered.map((c) => (typeof c === 'string' ? component(c) : c));
  const { base, signatureParams } = buildSignatureBase(message, items, with_);
  const signature = createHmac('sha256', secret).update(base).digest('base64');
  return {
    ...message,
    headers: {
      ...message.headers,
      'signature-input': `${label}=${signatureParams}`,
      signature: `${label}=:${signature}:`,
    },
  };
}

/** `first`'s and `second`'s signatures in one pair of headers, on `base`'s request. */
function joined(first: SignableRequest, second: SignableRequest, base = second): SignableRequest {
  const h = (r: SignableRequest, name: string) => String(r.headers[name]);
  return {
    ...base,
    headers: {
      ...base.headers,
      'signature-input': `${h(first, 'signature-input')}, ${h(second, 'signature-input')}`,
      signature: `${h(first, 'signature')}, ${h(second, 'signature')}`,
    },
  };
}

const PROFILE = ['@method', '@authority', '@path', '@query', 'content-digest', 'content-type'];

describe('verifyRequest boundaries', () => {
  it('a key past its notAfter no longer verifies; up to that millisecond it does', async () => {
    const at = (notAfter: number) => options({}, [{ ...keyInput, notAfter }]);
    expect(await codeOf(verifyRequest(signed(), at(NOW)))).toBe('accepted');
    expect(await codeOf(verifyRequest(signed(), at(NOW - 1)))).toBe('ERR_SIGNATURE_UNKNOWN_KEY');
    expect(await codeOf(verifyRequest(signed(), at(NOW - 86_400_000)))).toBe('ERR_SIGNATURE_UNKNOWN_KEY');
    const asDate = options({}, [{ ...keyInput, notAfter: new Date(NOW - 1) }]);
    expect(await codeOf(verifyRequest(signed(), asDate))).toBe('ERR_SIGNATURE_UNKNOWN_KEY');
  });

  it('the nonce is remembered for the whole acceptance window: expires + skew', async () => {
    const ttls: number[] = [];
    let clock = NOW;
    const memory = createMemoryNonceStore({ now: () => clock });
    const recording: NonceStore = {
      claim(k, ttl) {
        ttls.push(ttl);
        return memory.claim(k, ttl);
      },
    };
    const opts = options({ nonceStore: recording, now: () => clock });
    const r = signed(); // created NOW, expires NOW + 60 s; accepted until expires + 30 s skew
    await verifyRequest(r, opts);
    expect(ttls).toEqual([90_001]);
    // The last millisecond the signature is still accepted: the replay must still be caught.
    clock = NOW + 90_000;
    expect(await codeOf(verifyRequest(r, opts))).toBe('ERR_NONCE_REPLAYED');
    clock = NOW + 90_001;
    expect(await codeOf(verifyRequest(r, opts))).toBe('ERR_SIGNATURE_EXPIRED');
    // A wider skew widens the window, and the nonce's lifetime with it.
    ttls.length = 0;
    clock = NOW;
    await verifyRequest(signed(), { ...opts, clockSkewSeconds: 120 });
    expect(ttls).toEqual([180_001]);
  });

  it('a clock skew or validity that would open a replay window is refused as configuration', async () => {
    for (const bad of [
      { clockSkewSeconds: -1 },
      { clockSkewSeconds: 301 },
      { clockSkewSeconds: Number.NaN },
    ]) {
      expect(await codeOf(verifyRequest(signed(), options(bad))), JSON.stringify(bad)).toBe(
        'ERR_AUTH_CONFIG',
      );
    }
    expect(await codeOf(verifyRequest(signed(), options({ maxValiditySeconds: 0 })))).toBe('ERR_AUTH_CONFIG');
    expect(await codeOf(verifyRequest(signed(), options({ clockSkewSeconds: 0 })))).toBe('accepted');
  });

  it('a body request whose signature leaves out content-type is refused; without a content-type it need not', async () => {
    const noType = PROFILE.filter((c) => c !== 'content-type');
    expect(await codeOf(verifyRequest(signAs(request(), noType), options()))).toBe('ERR_SIGNATURE_COVERAGE');
    expect(await codeOf(verifyRequest(signAs(request(), PROFILE), options()))).toBe('accepted');
    const untyped = request({ headers: { host: 'svc.internal:8080' } });
    expect(await codeOf(verifyRequest(signAs(untyped, noType), options()))).toBe('accepted');
  });

  it('maxValiditySeconds above 300 does not lift the cap; below it, it lowers it', async () => {
    const valid = (seconds: number) => signAs(request(), PROFILE, params({ expires: NOW_S + seconds }));
    const lifted = options({ maxValiditySeconds: 3600 });
    expect(await codeOf(verifyRequest(valid(300), lifted))).toBe('accepted');
    expect(await codeOf(verifyRequest(valid(301), lifted))).toBe('ERR_SIGNATURE_PARAMS');
    expect(await codeOf(verifyRequest(valid(301), options()))).toBe('ERR_SIGNATURE_PARAMS');
    const lowered = options({ maxValiditySeconds: 120 });
    expect(await codeOf(verifyRequest(valid(120), lowered))).toBe('accepted');
    expect(await codeOf(verifyRequest(valid(121), lowered))).toBe('ERR_SIGNATURE_PARAMS');
    // expires must come after created.
    expect(await codeOf(verifyRequest(valid(0), options()))).toBe('ERR_SIGNATURE_PARAMS');
  });

  it('clock skew: created up to 30 s ahead, expires up to 30 s behind; one second more is refused', async () => {
    expect(await codeOf(verifyRequest(signed(request(), NOW + 30_000), options()))).toBe('accepted');
    expect(await codeOf(verifyRequest(signed(request(), NOW + 31_000), options()))).toBe(
      'ERR_SIGNATURE_FUTURE',
    );
    // Signed 90 s ago: expires (60 s) was 30 s ago.
    expect(await codeOf(verifyRequest(signed(request(), NOW - 90_000), options()))).toBe('accepted');
    expect(await codeOf(verifyRequest(signed(request(), NOW - 91_000), options()))).toBe(
      'ERR_SIGNATURE_EXPIRED',
    );
  });

  it('nonce length 22 to 256, keyid 1 to 256, alg up to 64: at each bound and one past', async () => {
    for (const [length, code] of [
      [21, 'ERR_SIGNATURE_PARAMS'],
      [22, 'accepted'],
      [256, 'accepted'],
      [257, 'ERR_SIGNATURE_PARAMS'],
    ] as const) {
      expect(
        await codeOf(verifyRequest(signed(request(), NOW, 'n'.repeat(length)), options())),
        `nonce ${length}`,
      ).toBe(code);
    }
    for (const [length, code] of [
      [256, 'accepted'],
      [257, 'ERR_SIGNATURE_PARAMS'],
    ] as const) {
      const keyId = 'k'.repeat(length);
      const longKey = createSigningKey({ keyId, alg: 'hmac-sha256', secret });
      const opts = options({}, [{ ...keyInput, keyId }]);
      expect(
        await codeOf(verifyRequest(signed(request(), NOW, undefined, longKey), opts)),
        `keyid ${length}`,
      ).toBe(code);
    }
    const alg = (value: string) => signAs(request(), PROFILE, params({ alg: value }));
    expect(await codeOf(verifyRequest(alg('a'.repeat(64)), options()))).toBe('ERR_SIGNATURE_ALGORITHM');
    expect(await codeOf(verifyRequest(alg('a'.repeat(65)), options()))).toBe('ERR_SIGNATURE_PARAMS');
    expect(await codeOf(verifyRequest(signAs(request(), PROFILE, params({ keyid: '' })), options()))).toBe(
      'ERR_SIGNATURE_PARAMS',
    );
  });

  it('header size: 8192 bytes are read, 8193 refused (and maxHeaderBytes moves the bound)', async () => {
    const r = signed();
    const input = String(r.headers['signature-input']);
    const padded = (total: number) => `${input};x="${'a'.repeat(total - input.length - 5)}"`;
    const sized = (total: number) => ({ ...r, headers: { ...r.headers, 'signature-input': padded(total) } });
    expect(padded(8192)).toHaveLength(8192);
    // Read, parsed, and then refused only because the extra parameter is not signed.
    expect(await codeOf(verifyRequest(sized(8192), options()))).toBe('ERR_SIGNATURE_INVALID');
    expect(await codeOf(verifyRequest(sized(8193), options()))).toBe('ERR_SIGNATURE_HEADER_TOO_LARGE');
    expect(await codeOf(verifyRequest(r, options({ maxHeaderBytes: input.length })))).toBe('accepted');
    expect(await codeOf(verifyRequest(r, options({ maxHeaderBytes: input.length - 1 })))).toBe(
      'ERR_SIGNATURE_HEADER_TOO_LARGE',
    );
    const sig = String(r.headers.signature);
    expect(await codeOf(verifyRequest(signed(), options({ maxHeaderBytes: sig.length - 1 })))).toBe(
      'ERR_SIGNATURE_HEADER_TOO_LARGE',
    );
  });
});

describe('verifyRequest: the full structured-fields path accepts valid input', () => {
  it("several signatures in one header: another system's (another tag and label) beside Interlink's", async () => {
    const ours = signed();
    const theirs = signAs(
      request(),
      ['@method', ['@query-param', new Map([['name', 'since']])]],
      new Map<string, string | number>([
        ['created', NOW_S],
        ['keyid', 'partner-key'],
        ['tag', 'partner'],
      ]),
      'partner',
    );
    const verified = await verifyRequest(joined(theirs, ours), options());
    expect(verified.label).toBe('interlink');
    expect(verified.covered).toEqual(PROFILE);
    // Interlink's first, then the other: the order does not matter.
    const reversed = signed();
    expect(await codeOf(verifyRequest(joined(reversed, theirs, reversed), options()))).toBe('accepted');
  });

  it('members that are not signatures are skipped; two signatures tagged interlink are refused', async () => {
    const r = signed();
    const input = String(r.headers['signature-input']);
    const withItem = { ...r, headers: { ...r.headers, 'signature-input': `note=1, ${input}` } };
    expect(await codeOf(verifyRequest(withItem, options()))).toBe('accepted');
    const twice = {
      ...r,
      headers: { ...r.headers, 'signature-input': `${input}, second=${input.slice(input.indexOf('=') + 1)}` },
    };
    expect(await codeOf(verifyRequest(twice, options()))).toBe('ERR_SIGNATURE_MALFORMED');
  });

  it('a parameterised component (@query-param;name=) covered beside the profile', async () => {
    const queryParam: ComponentId = ['@query-param', new Map([['name', 'limit']])];
    const r = signAs(request(), [...PROFILE, queryParam]);
    expect(String(r.headers['signature-input'])).toContain('"@query-param";name="limit"');
    const verified = await verifyRequest(r, options());
    // Only plain components count as the profile's coverage.
    expect(verified.covered).toEqual(PROFILE);
    const changed = { ...r, url: '/sync?since=2026-01-01&limit=11' };
    expect(await codeOf(verifyRequest(changed, options()))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('a Signature-Input the fast path does not take (extra whitespace) still verifies', async () => {
    const r = signed();
    const spaced = String(r.headers['signature-input']).replace('=(', '=( ').replace('" "', '"  "');
    // RFC 8941 allows spaces inside an inner list; the base uses the canonical serialization.
    const verified = await verifyRequest(
      { ...r, headers: { ...r.headers, 'signature-input': spaced } },
      options(),
    );
    expect(verified.covered).toEqual(PROFILE);
  });
});
