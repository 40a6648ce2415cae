import { createHmac, randomBytes } from 'node:crypto';
import { DEADLINE_HEADER } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../replay/memory-nonce-store.js';
import type { NonceStore } from '../replay/nonce-store.js';
import { codeOf, explainedCodeOf, explainedThrownCode } from '../testing/refusal-code.test.helper.js';
import type { SignableRequest } from './http-message.js';
import { signRequest } from './sign-request.js';
import { buildSignatureBase, type ComponentId, component } from './signature-base.js';
import { createKeyring, createSigningKey } from './signature-keys.js';
import type { SignatureProfile } from './signature-profile.js';
import { createRequestVerifier, type VerifyRequestOptions, verifyRequest } from './verify-request.js';

// Profiles other than Interlink's (selection by label, optional parameters, no nonce store), the
// receiver's authority binding, and what each refusal says: the parts of verify-request.ts a
// mutation run found no test pinning down.

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;
const FIRST = { keyId: 'orders-1', secret: randomBytes(32) };
const SECOND = { keyId: 'orders-2', secret: randomBytes(32) };
const keyring = () =>
  createKeyring(
    [FIRST, SECOND].map(({ keyId, secret }) => ({
      keyId,
      service: `service-of-${keyId}`,
      alg: 'hmac-sha256' as const,
      secret,
    })),
  );

const options = (overrides: Partial<VerifyRequestOptions> = {}): VerifyRequestOptions => ({
  keys: keyring(),
  nonceStore: createMemoryNonceStore({ now: () => NOW }),
  now: () => NOW,
  ...overrides,
});
const withProfile = (profile: SignatureProfile, overrides: Partial<VerifyRequestOptions> = {}) =>
  options({ profile, ...overrides });

const GET: SignableRequest = {
  method: 'GET',
  url: '/orders?id=7',
  headers: { host: 'orders.internal:8080' },
};

interface SignatureSpec {
  label: string;
  covered?: readonly (string | ComponentId)[];
  /** Parameters beside `created` (now) and `keyid` (the first key); `undefined` leaves one out. */
  params?: Record<string, string | number | undefined>;
  key?: typeof FIRST;
}

interface Signature {
  input: string;
  signature: string;
}

/** An honest HMAC signature of `req` over any components and parameters. */
function sign(req: SignableRequest, spec: SignatureSpec): Signature {
  const key = spec.key ?? FIRST;
  const entries = Object.entries({ created: NOW_S, keyid: key.keyId, ...spec.params }).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  const items = (spec.covered ?? ['@method', '@authority', '@path', '@query']).map((c) =>
    typeof c === 'string' ? component(c) : c,
  );
  const { base, signatureParams } = buildSignatureBase(req, items, new Map(entries));
  const mac = createHmac('sha256', key.secret).update(base).digest('base64');
  return { input: `${spec.label}=${signatureParams}`, signature: `${spec.label}=:${mac}:` };
}

/** `req` carrying `signatures`, in this order, in one Signature-Input and one Signature header. */
function carrying(req: SignableRequest, ...signatures: Signature[]): SignableRequest {
  return {
    ...req,
    headers: {
      ...req.headers,
      'signature-input': signatures.map((s) => s.input).join(', '),
      signature: signatures.map((s) => s.signature).join(', '),
    },
  };
}

const withHeaders = (req: SignableRequest, headers: Record<string, string | undefined>): SignableRequest => ({
  ...req,
  headers: { ...req.headers, ...headers },
});

/** The code and message of a refusal, or `accepted`. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code: code ?? String(error), message };
  }
  return { code: 'accepted', message: '' };
}

/** A signature of Interlink's own profile on `req`. */
function interlink(req: SignableRequest = GET): SignableRequest {
  const key = createSigningKey({ keyId: FIRST.keyId, alg: 'hmac-sha256', secret: FIRST.secret });
  return withHeaders(req, { ...signRequest(req, { key, now: NOW }) });
}

describe('a profile without a tag selects the signature by its label', () => {
  const a = sign(GET, { label: 'a', key: SECOND });
  const b = sign(GET, { label: 'b' });

  it('among several signatures, the one with the wanted label is verified, wherever it stands', async () => {
    for (const request of [carrying(GET, a, b), carrying(GET, b, a)]) {
      const verified = await verifyRequest(request, withProfile({ label: 'b' }));
      expect(verified.label).toBe('b');
      expect(verified.keyId).toBe(FIRST.keyId);
    }
    const first = await verifyRequest(carrying(GET, b, a), withProfile({ label: 'a' }));
    expect([first.label, first.keyId]).toEqual(['a', SECOND.keyId]);
  });

  it('a label absent from Signature-Input is refused as missing, naming the label', async () => {
    for (const request of [carrying(GET, a, b), carrying(GET, a)]) {
      expect(await refusal(verifyRequest(request, withProfile({ label: 'c' })))).toEqual({
        code: 'ERR_SIGNATURE_MISSING',
        message: 'no signature labelled c',
      });
    }
    // The single signature the signer's own shape carries is selected only under its label.
    expect(await codeOf(verifyRequest(carrying(GET, b), withProfile({ label: 'b' })))).toBe('accepted');
  });

  it('a tag wins over a label: the tagged signature is verified, whatever its label', async () => {
    const tagged = sign(GET, { label: 'x', params: { tag: 'partner' } });
    const verified = await verifyRequest(
      carrying(GET, a, tagged),
      withProfile({ tag: 'partner', label: 'a' }),
    );
    expect(verified.label).toBe('x');
    expect(
      await refusal(verifyRequest(carrying(GET, a, b), withProfile({ tag: 'partner', label: 'a' }))),
    ).toEqual({ code: 'ERR_SIGNATURE_MISSING', message: 'no signature tagged partner' });
  });

  it('with neither tag nor label the header must hold exactly one signature', async () => {
    expect((await verifyRequest(carrying(GET, a), withProfile({}))).label).toBe('a');
    // Members that are not signatures do not count.
    const noted = withHeaders(carrying(GET, a), { 'signature-input': `note=1, ${a.input}` });
    expect((await verifyRequest(noted, withProfile({}))).label).toBe('a');
    expect(await refusal(verifyRequest(carrying(GET, a, b), withProfile({})))).toEqual({
      code: 'ERR_SIGNATURE_MALFORMED',
      message: 'more than one signature is in the header',
    });
    const none = withHeaders(carrying(GET, a), { 'signature-input': 'note=1, other=2' });
    expect(await refusal(verifyRequest(none, withProfile({})))).toEqual({
      code: 'ERR_SIGNATURE_MISSING',
      message: 'no signature in the header',
    });
  });

  it("Interlink's profile names its tag when none or two carry it", async () => {
    expect(await refusal(verifyRequest(carrying(GET, a), options()))).toEqual({
      code: 'ERR_SIGNATURE_MISSING',
      message: 'no signature tagged interlink',
    });
    expect(await refusal(verifyRequest(carrying(GET, a, b), options()))).toEqual({
      code: 'ERR_SIGNATURE_MISSING',
      message: 'no signature tagged interlink',
    });
    const ours = interlink();
    const input = String(ours.headers['signature-input']);
    const twice = withHeaders(ours, {
      'signature-input': `${input}, again${input.slice(input.indexOf('='))}`,
    });
    expect(await refusal(verifyRequest(twice, options()))).toEqual({
      code: 'ERR_SIGNATURE_MALFORMED',
      message: 'more than one signature is tagged interlink',
    });
  });

  it('a Signature header without the selected label is refused as missing, naming the label', async () => {
    const profile = withProfile({ label: 'b' });
    // One member (the signer's own shape) and several (the full parser).
    for (const signature of [a.signature, `${a.signature}, ${sign(GET, { label: 'c' }).signature}`]) {
      const request = withHeaders(carrying(GET, b), { signature });
      expect(await refusal(verifyRequest(request, profile))).toEqual({
        code: 'ERR_SIGNATURE_MISSING',
        message: 'no signature for label b',
      });
    }
  });
});

describe('refusals of the headers say which header and why', () => {
  it('a header over the size limit: which one, and the limit', async () => {
    const ours = interlink();
    const input = String(ours.headers['signature-input']);
    const signature = String(ours.headers.signature);
    expect(await refusal(verifyRequest(ours, options({ maxHeaderBytes: input.length - 1 })))).toEqual({
      code: 'ERR_SIGNATURE_HEADER_TOO_LARGE',
      message: `signature-input is larger than ${input.length - 1} bytes`,
    });
    const small = withHeaders(ours, { 'signature-input': 'a=("@method");created=1;keyid="k"' });
    expect(await refusal(verifyRequest(small, options({ maxHeaderBytes: signature.length - 1 })))).toEqual({
      code: 'ERR_SIGNATURE_HEADER_TOO_LARGE',
      message: `signature is larger than ${signature.length - 1} bytes`,
    });
  });

  it('a repeated label: which header repeats it', async () => {
    const a = sign(GET, { label: 'a' });
    const inputTwice = withHeaders(carrying(GET, a), { 'signature-input': `${a.input}, ${a.input}` });
    expect(await refusal(verifyRequest(inputTwice, withProfile({ label: 'a' })))).toEqual({
      code: 'ERR_SIGNATURE_DUPLICATE_LABEL',
      message: 'signature-input repeats a label',
    });
    const signatureTwice = withHeaders(carrying(GET, a), { signature: `${a.signature}, ${a.signature}` });
    expect(await refusal(verifyRequest(signatureTwice, withProfile({ label: 'a' })))).toEqual({
      code: 'ERR_SIGNATURE_DUPLICATE_LABEL',
      message: 'signature repeats a label',
    });
  });

  it('a header that is no structured dictionary: which one', async () => {
    const a = carrying(GET, sign(GET, { label: 'a' }));
    expect(
      await refusal(verifyRequest(withHeaders(a, { 'signature-input': 'a=("@method"' }), withProfile({}))),
    ).toEqual({ code: 'ERR_SIGNATURE_MALFORMED', message: 'signature-input is not a structured dictionary' });
    expect(
      await refusal(verifyRequest(withHeaders(a, { signature: 'a=:AAAA:, =' }), withProfile({}))),
    ).toEqual({
      code: 'ERR_SIGNATURE_MALFORMED',
      message: 'signature is not a structured dictionary',
    });
  });

  it('either header alone is refused as missing', async () => {
    const ours = interlink();
    for (const dropped of ['signature-input', 'signature']) {
      const request = withHeaders(ours, { [dropped]: undefined });
      expect(await explainedCodeOf(verifyRequest(request, options())), dropped).toBe('ERR_SIGNATURE_MISSING');
    }
  });

  it('a covered component that is a token or a number, not a string, is malformed', async () => {
    for (const covered of ['method "@path"', '"@method" 1']) {
      const input = `a=(${covered});created=${NOW_S};keyid="${FIRST.keyId}"`;
      const request = withHeaders(GET, { 'signature-input': input, signature: 'a=:AAAA:' });
      expect(await explainedCodeOf(verifyRequest(request, withProfile({}))), covered).toBe(
        'ERR_SIGNATURE_MALFORMED',
      );
    }
  });
});

describe('a profile that requires no nonce, expires or alg', () => {
  const bare = (params: SignatureSpec['params'] = {}, covered?: SignatureSpec['covered']) =>
    carrying(GET, sign(GET, { label: 'a', params, ...(covered ? { covered } : {}) }));

  it('accepts created and keyid alone: no nonce (replays not detected), expiry at created + maxAgeSeconds', async () => {
    expect(await verifyRequest(bare(), withProfile({}))).toStrictEqual({
      service: `service-of-${FIRST.keyId}`,
      keyId: FIRST.keyId,
      alg: 'hmac-sha256',
      label: 'a',
      nonce: '',
      nonceless: true,
      created: NOW_S,
      expires: NOW_S + 300,
      covered: ['@method', '@authority', '@path', '@query'],
    });
    const shorter = await verifyRequest(bare(), withProfile({ maxAgeSeconds: 60 }));
    expect(shorter.expires).toBe(NOW_S + 60);
  });

  it('a nonceless signature is not claimed in the store, so it verifies again', async () => {
    const claims: string[] = [];
    const memory = createMemoryNonceStore({ now: () => NOW });
    const recording: NonceStore = {
      claim(key, ttl) {
        claims.push(key);
        return memory.claim(key, ttl);
      },
    };
    const opts = withProfile({}, { nonceStore: recording });
    const request = bare();
    expect(await codeOf(verifyRequest(request, opts))).toBe('accepted');
    expect(await codeOf(verifyRequest(request, opts))).toBe('accepted');
    expect(claims).toEqual([]);
  });

  it('a nonce present is claimed under prefix, key id and nonce: once per key id', async () => {
    const claims: string[] = [];
    const memory = createMemoryNonceStore({ now: () => NOW });
    const recording: NonceStore = {
      claim(key, ttl) {
        claims.push(key);
        return memory.claim(key, ttl);
      },
    };
    const nonce = 'n'.repeat(22);
    const first = bare({ nonce });
    const verified = await verifyRequest(first, withProfile({}, { nonceStore: recording }));
    expect(verified.nonce).toBe(nonce);
    expect(verified).not.toHaveProperty('nonceless');
    expect(await codeOf(verifyRequest(first, withProfile({}, { nonceStore: recording })))).toBe(
      'ERR_NONCE_REPLAYED',
    );
    // The same nonce under another key id is another key's business.
    const second = carrying(GET, sign(GET, { label: 'a', key: SECOND, params: { nonce } }));
    await verifyRequest(second, withProfile({}, { nonceStore: recording, noncePrefix: 'p:' }));
    expect(claims).toEqual([
      `sig:${FIRST.keyId}:${nonce}`,
      `sig:${FIRST.keyId}:${nonce}`,
      `p:${SECOND.keyId}:${nonce}`,
    ]);
  });

  it('without a nonce store, such a profile verifies (a nonce present goes unclaimed)', async () => {
    const opts = withProfile({}, { nonceStore: undefined });
    expect(await codeOf(verifyRequest(bare(), opts))).toBe('accepted');
    expect(await codeOf(verifyRequest(bare({ nonce: 'n'.repeat(22) }), opts))).toBe('accepted');
  });

  it('a profile that requires a nonce without a nonce store is a configuration error', async () => {
    const noStore = { keys: keyring(), now: () => NOW };
    expect(await explainedCodeOf(verifyRequest(interlink(), noStore))).toBe('ERR_AUTH_CONFIG');
    expect(explainedThrownCode(() => createRequestVerifier(noStore))).toBe('ERR_AUTH_CONFIG');
    expect(
      await explainedCodeOf(
        verifyRequest(bare(), { ...noStore, profile: { label: 'a', requireNonce: true } }),
      ),
    ).toBe('ERR_AUTH_CONFIG');
  });

  it('optional parameters, when present, are checked all the same', async () => {
    for (const [params, code] of [
      [{ expires: 'soon' }, 'ERR_SIGNATURE_PARAMS'],
      [{ expires: NOW_S }, 'ERR_SIGNATURE_PARAMS'],
      [{ nonce: 12 }, 'ERR_SIGNATURE_PARAMS'],
      [{ alg: 'ed25519' }, 'ERR_SIGNATURE_ALGORITHM'],
      [{ alg: 'hmac-sha256' }, 'accepted'],
      [{ expires: NOW_S + 10 }, 'accepted'],
    ] as const) {
      expect(await codeOf(verifyRequest(bare(params), withProfile({}))), JSON.stringify(params)).toBe(code);
    }
  });

  it('created: a non-negative integer; 0 is read (and expired), -1 and a fraction are refused', async () => {
    for (const [created, code] of [
      [0, 'ERR_SIGNATURE_EXPIRED'],
      [-1, 'ERR_SIGNATURE_PARAMS'],
      [NOW_S + 0.5, 'ERR_SIGNATURE_PARAMS'],
      [NOW_S, 'accepted'],
    ] as const) {
      expect(await codeOf(verifyRequest(bare({ created }), withProfile({}))), String(created)).toBe(code);
    }
  });

  it('expires and maxAgeSeconds: the earlier one ends the signature', async () => {
    const profile = { label: 'a', requireExpires: true, maxAgeSeconds: 60 };
    const request = bare({ expires: NOW_S + 120 });
    const at = (seconds: number) => withProfile(profile, { now: () => NOW + seconds * 1000 });
    // created + 60 s + 30 s skew.
    expect((await verifyRequest(request, at(90))).expires).toBe(NOW_S + 120);
    expect(await codeOf(verifyRequest(request, at(91)))).toBe('ERR_SIGNATURE_EXPIRED');
    expect(await codeOf(verifyRequest(bare(), withProfile(profile)))).toBe('ERR_SIGNATURE_PARAMS');
  });

  it('requireBodyCoverage: false accepts a body no digest covers', async () => {
    const post = { ...GET, method: 'POST', body: '{"n":1}' };
    const request = carrying(post, sign(post, { label: 'a' }));
    expect(await codeOf(verifyRequest(request, withProfile({ requireBodyCoverage: false })))).toBe(
      'accepted',
    );
    expect(await codeOf(verifyRequest(request, withProfile({})))).toBe('ERR_SIGNATURE_COVERAGE');
  });

  it('identity headers count only when covered: uncovered ones are not reported', async () => {
    const identity = {
      'x-tenant-id': 'tenant-a',
      'x-user-id': 'user-1',
      'idempotency-key': 'k-1',
      [DEADLINE_HEADER]: '1800000005000',
    };
    const req = withHeaders(GET, identity);
    const uncovered = await verifyRequest(carrying(req, sign(req, { label: 'a' })), withProfile({}));
    for (const field of ['tenantId', 'userId', 'idempotencyKey', 'deadline']) {
      expect(uncovered).not.toHaveProperty(field);
    }
    const names = Object.keys(identity);
    const covered = await verifyRequest(
      carrying(req, sign(req, { label: 'a', covered: ['@method', ...names] })),
      withProfile({}),
    );
    expect(covered).toMatchObject({
      tenantId: 'tenant-a',
      userId: 'user-1',
      idempotencyKey: 'k-1',
      deadline: '1800000005000',
      covered: ['@method', ...names],
    });
    // A profile's coveredWhenPresent requires them covered whenever present.
    const partly = carrying(req, sign(req, { label: 'a', covered: ['@method', 'x-tenant-id'] }));
    expect(await codeOf(verifyRequest(partly, withProfile({ coveredWhenPresent: ['x-user-id'] })))).toBe(
      'ERR_SIGNATURE_COVERAGE',
    );
  });
});

describe('verifier options', () => {
  it('algorithms: a key whose algorithm is not in the list is refused', async () => {
    expect(await codeOf(verifyRequest(interlink(), options({ algorithms: ['ed25519'] })))).toBe(
      'ERR_SIGNATURE_ALGORITHM',
    );
    expect(await codeOf(verifyRequest(interlink(), options({ algorithms: ['hmac-sha256'] })))).toBe(
      'accepted',
    );
  });

  it('a clock skew of 300 s, the most allowed, accepts a signature created 300 s ahead', async () => {
    const ahead = (seconds: number) => {
      const key = createSigningKey({ keyId: FIRST.keyId, alg: 'hmac-sha256', secret: FIRST.secret });
      return withHeaders(GET, { ...signRequest(GET, { key, now: NOW + seconds * 1000 }) });
    };
    expect(await codeOf(verifyRequest(ahead(300), options({ clockSkewSeconds: 300 })))).toBe('accepted');
    expect(await codeOf(verifyRequest(ahead(301), options({ clockSkewSeconds: 300 })))).toBe(
      'ERR_SIGNATURE_FUTURE',
    );
  });

  it('options are read once per options object: changing them later changes nothing', async () => {
    const opts = options({ authority: 'orders.internal:8080' });
    expect(await codeOf(verifyRequest(interlink(), opts))).toBe('accepted');
    opts.authority = 'elsewhere.internal';
    expect(await codeOf(verifyRequest(interlink(), opts))).toBe('accepted');
    expect(await codeOf(verifyRequest(interlink(), { ...opts }))).toBe('ERR_SIGNATURE_AUTHORITY');
  });
});

describe('the receiver authority a request is bound to', () => {
  const unbound = (req: SignableRequest) => carrying(req, sign(req, { label: 'a', covered: ['@method'] }));

  it("a request's expectedAuthority binds it when the options name none: a value or a list, any case", async () => {
    const ours = interlink();
    const expecting = (expectedAuthority: string | readonly string[]) => ({ ...ours, expectedAuthority });
    expect(await codeOf(verifyRequest(expecting('Orders.Internal:8080'), options()))).toBe('accepted');
    expect(await codeOf(verifyRequest(expecting('elsewhere.internal'), options()))).toBe(
      'ERR_SIGNATURE_AUTHORITY',
    );
    const list = ['elsewhere.internal', ' orders.internal:8080'];
    // The same list handed in again (as the plugin does) binds the same way.
    expect(await codeOf(verifyRequest(expecting(list), options()))).toBe('accepted');
    expect(await codeOf(verifyRequest(expecting(list), options()))).toBe('accepted');
    expect(await codeOf(verifyRequest(expecting(['elsewhere.internal']), options()))).toBe(
      'ERR_SIGNATURE_AUTHORITY',
    );
  });

  it("the options' authority wins over the request's expectedAuthority", async () => {
    const ours = interlink();
    expect(
      await codeOf(
        verifyRequest(
          { ...ours, expectedAuthority: 'elsewhere.internal' },
          options({ authority: 'orders.internal:8080' }),
        ),
      ),
    ).toBe('accepted');
    expect(
      await codeOf(
        verifyRequest(
          { ...ours, expectedAuthority: 'orders.internal:8080' },
          options({ authority: 'elsewhere.internal' }),
        ),
      ),
    ).toBe('ERR_SIGNATURE_AUTHORITY');
  });

  it('unbound, a signature need not cover @authority; bound, it must', async () => {
    expect(await codeOf(verifyRequest(unbound(GET), withProfile({})))).toBe('accepted');
    expect(
      await codeOf(
        verifyRequest({ ...unbound(GET), expectedAuthority: 'orders.internal:8080' }, withProfile({})),
      ),
    ).toBe('ERR_SIGNATURE_COVERAGE');
    expect(
      await codeOf(verifyRequest(unbound(GET), withProfile({}, { authority: 'orders.internal:8080' }))),
    ).toBe('ERR_SIGNATURE_COVERAGE');
  });

  it('createRequestVerifier normalizes its authorities and refuses values that are no host[:port]', async () => {
    const verifier = createRequestVerifier(options({ authority: [' Orders.Internal:8080 ', 'b.internal'] }));
    expect(verifier.authorities).toEqual(['orders.internal:8080', 'b.internal']);
    expect(await codeOf(verifier(interlink()))).toBe('accepted');
    expect(createRequestVerifier(options()).authorities).toBeUndefined();
    for (const authority of [
      [],
      '',
      ' ',
      'a b.internal',
      'a\tb',
      'a/b',
      'a?b',
      'a#b',
      'user@a',
      ['ok', ''],
    ]) {
      expect(
        explainedThrownCode(() => createRequestVerifier(options({ authority }))),
        JSON.stringify(authority),
      ).toBe('ERR_AUTH_CONFIG');
    }
  });
});
