import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createAuthMetrics } from '../metrics/auth-metrics.js';
import { createServiceTokenVerifier } from '../service-tokens/verify-service-token.js';
import {
  explainedCodeOf as codeOf,
  explainedThrownCode as thrownCode,
} from '../testing/refusal-code.test.helper.js';
import type { JwtKeySource } from './jwks-key-source.js';
import { createJwtKey, type JwtKey } from './jwt-keys.js';
import { createMemoryRevocationStore } from './memory-revocation-store.js';
import { createJwtVerifier, type JwtVerifierOptions } from './verify-jwt.js';

const NOW = 1_800_000_000; // seconds
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const hsSecret = randomBytes(32);
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

/** Mints a token by hand, so tests can build headers no well-behaved library would. */
function mint(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key?: KeyObject | Buffer | string,
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  const alg = header.alg;
  let sig = Buffer.alloc(0);
  if (alg === 'HS256')
    sig = createHmac('sha256', key as Buffer)
      .update(input)
      .digest();
  else if (alg === 'RS256') sig = sign('sha256', Buffer.from(input), key as KeyObject);
  else if (alg === 'ES256')
    sig = sign('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') sig = sign(null, Buffer.from(input), key as KeyObject);
  return `${input}.${sig.toString('base64url')}`;
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: 'user-1',
  tenant_id: 'tenant-a',
  iss: 'https://auth.interlink.test',
  aud: 'interlink-api',
  iat: NOW - 60,
  exp: NOW + 600,
  jti: randomBytes(8).toString('hex'),
  roles: ['agent'],
  permissions: ['tickets:read'],
  ...overrides,
});

function verifier(overrides: Partial<JwtVerifierOptions> = {}) {
  return createJwtVerifier({
    keys: [
      { kid: 'rsa-1', key: rsa.publicKey },
      { kid: 'ec-1', key: ec.publicKey },
      { kid: 'ed-1', key: ed.publicKey },
      { kid: 'hs-1', key: hsSecret, secret: true },
    ],
    issuer: 'https://auth.interlink.test',
    audience: ['interlink-api', 'gateway'],
    now: () => NOW * 1000,
    ...overrides,
  });
}

const hs = (c: Record<string, unknown> = claims(), header: Record<string, unknown> = {}) =>
  mint({ alg: 'HS256', typ: 'JWT', kid: 'hs-1', ...header }, c, hsSecret);

describe('createJwtVerifier accepts', () => {
  it.each([
    ['RS256', () => mint({ alg: 'RS256', kid: 'rsa-1' }, claims(), rsa.privateKey)],
    ['ES256', () => mint({ alg: 'ES256', kid: 'ec-1' }, claims(), ec.privateKey)],
    ['EdDSA', () => mint({ alg: 'EdDSA', kid: 'ed-1' }, claims(), ed.privateKey)],
    ['HS256', () => hs()],
  ])('%s, normalizing the claims into a Principal', async (_alg, make) => {
    const { principal } = await verifier().verify(make());
    expect(principal).toMatchObject({
      kind: 'user',
      userId: 'user-1',
      tenantId: 'tenant-a',
      roles: ['agent'],
      permissions: ['tickets:read'],
      scheme: 'jwt',
    });
    expect(principal.tokenId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('seed claim shapes: userId/id and tenantId, role, space-separated scope', async () => {
    const c = claims({
      sub: undefined,
      userId: 42,
      tenant_id: undefined,
      tenantId: 't-9',
      roles: undefined,
      role: 'admin',
      permissions: undefined,
      scope: 'a:read b:write',
    });
    const { principal } = await verifier().verify(hs(c));
    expect(principal).toMatchObject({
      userId: '42',
      tenantId: 't-9',
      roles: ['admin'],
      permissions: ['a:read', 'b:write'],
    });
    const idOnly = await verifier().verify(hs(claims({ sub: undefined, id: 'u-7' })));
    expect(idOnly.principal.userId).toBe('u-7');
  });

  it('a token expired by less than the 30 s tolerance', async () => {
    expect(await codeOf(verifier().verify(hs(claims({ exp: NOW - 20 }))))).toBe('accepted');
  });
});

describe('createJwtVerifier refuses, each with its own code', () => {
  it.each<[string, () => string, string]>([
    ['alg none', () => mint({ alg: 'none', kid: 'hs-1' }, claims()), 'ERR_JWT_ALGORITHM'],
    ['alg NONE, any case', () => mint({ alg: 'NoNe' }, claims()), 'ERR_JWT_ALGORITHM'],
    [
      'HS256 signed with the RSA public key as secret (algorithm confusion)',
      () => mint({ alg: 'HS256', kid: 'rsa-1' }, claims(), rsaPem),
      'ERR_JWT_ALGORITHM',
    ],
    ['expired', () => hs(claims({ exp: NOW - 31 })), 'ERR_JWT_EXPIRED'],
    ['nbf in the future', () => hs(claims({ nbf: NOW + 31 })), 'ERR_JWT_NOT_YET_VALID'],
    [
      'too old (iat over 24 h ago)',
      () => hs(claims({ iat: NOW - 86_400 - 31, exp: NOW + 600 })),
      'ERR_JWT_TOO_OLD',
    ],
    ['wrong iss', () => hs(claims({ iss: 'https://evil.test' })), 'ERR_JWT_ISSUER'],
    ['wrong aud', () => hs(claims({ aud: ['other-api'] })), 'ERR_JWT_AUDIENCE'],
    ['missing exp', () => hs(claims({ exp: undefined })), 'ERR_JWT_CLAIM_MISSING'],
    ['missing iss (finding #8)', () => hs(claims({ iss: undefined })), 'ERR_JWT_CLAIM_MISSING'],
    ['missing aud (finding #8)', () => hs(claims({ aud: undefined })), 'ERR_JWT_CLAIM_MISSING'],
    ['bad signature', () => `${hs().slice(0, -4)}AAAA`, 'ERR_JWT_SIGNATURE'],
    [
      'signed with another secret',
      () => mint({ alg: 'HS256', kid: 'hs-1' }, claims(), randomBytes(32)),
      'ERR_JWT_SIGNATURE',
    ],
    ['unknown kid', () => hs(claims(), { kid: 'nobody' }), 'ERR_JWT_UNKNOWN_KID'],
    [
      'embedded jwk',
      () => hs(claims(), { jwk: ec.publicKey.export({ format: 'jwk' }) }),
      'ERR_JWT_EMBEDDED_KEY',
    ],
    ['jku', () => hs(claims(), { jku: 'https://evil.test/jwks' }), 'ERR_JWT_EMBEDDED_KEY'],
    ['x5u', () => hs(claims(), { x5u: 'https://evil.test/cert' }), 'ERR_JWT_EMBEDDED_KEY'],
    ['unknown crit', () => hs(claims(), { crit: ['exp-ext'], 'exp-ext': 1 }), 'ERR_JWT_CRIT'],
    [
      'a service token used as a user token',
      () => hs(claims({ token_use: 'service' }), { typ: 'service+jwt' }),
      'ERR_JWT_TYPE',
    ],
    ['no tenant', () => hs(claims({ tenant_id: undefined })), 'ERR_JWT_PRINCIPAL'],
    ['no user', () => hs(claims({ sub: undefined })), 'ERR_JWT_PRINCIPAL'],
    ['not a JWT', () => 'not-a-token', 'ERR_JWT_MALFORMED'],
    ['header not JSON', () => `e30x.${b64(claims())}.sig`, 'ERR_JWT_MALFORMED'],
    ['empty', () => '', 'ERR_JWT_MISSING'],
  ])('%s', async (_name, make, code) => {
    expect(await codeOf(verifier().verify(make()))).toBe(code);
  });

  it('revoked jti, and tokens issued before the user cut-off', async () => {
    const revocation = createMemoryRevocationStore({ now: () => NOW * 1000 });
    const v = verifier({ revocation });
    const c = claims();
    const token = hs(c);
    expect(await codeOf(v.verify(token))).toBe('accepted');
    await revocation.revokeToken(c.jti, c.exp);
    expect(await codeOf(v.verify(token))).toBe('ERR_JWT_REVOKED'); // even from the cache
    const older = hs(claims({ iat: NOW - 100 }));
    const newer = hs(claims({ iat: NOW - 10 }));
    await revocation.revokeTokensIssuedBefore('user-1', NOW - 50);
    expect(await codeOf(v.verify(older))).toBe('ERR_JWT_REVOKED');
    expect(await codeOf(v.verify(newer))).toBe('accepted');
  });
});

describe('legacy opt-in for tokens without iss/aud (seed 000)', () => {
  it('accepts only when switched on, and counts each acceptance', async () => {
    const registry = new Registry();
    const metrics = createAuthMetrics(registry);
    const token = hs(claims({ iss: undefined, aud: undefined }));
    expect(await codeOf(verifier({ metrics }).verify(token))).toBe('ERR_JWT_CLAIM_MISSING');
    const legacy = verifier({ metrics, allowMissingIssuerAudience: true, cacheSize: 0 });
    await legacy.verify(token);
    await legacy.verify(token);
    const metric = await registry.getSingleMetricAsString('interlink_auth_legacy_accepted_total');
    expect(metric).toContain('interlink_auth_legacy_accepted_total{scheme="jwt-no-iss-aud"} 2');
    // A present but wrong issuer is still refused under the switch.
    expect(await codeOf(legacy.verify(hs(claims({ iss: 'https://evil.test', aud: undefined }))))).toBe(
      'ERR_JWT_ISSUER',
    );
  });
});

describe('verified-token cache', () => {
  /** A key that counts its signature checks (the HS256 key unless another is given). */
  function countingKey(inner: JwtKey = createJwtKey({ kid: 'hs-1', key: hsSecret, secret: true })): {
    key: JwtKey;
    calls: () => number;
  } {
    let calls = 0;
    return {
      key: {
        ...inner,
        verify: (alg, input, signature) => {
          calls++;
          return inner.verify(alg, input, signature);
        },
      },
      calls: () => calls,
    };
  }

  it('a repeated token skips the signature check', async () => {
    const { key, calls } = countingKey();
    const v = verifier({ keys: [key] });
    const token = hs();
    await v.verify(token);
    await v.verify(token);
    await v.verify(token);
    expect(calls()).toBe(1);
  });

  it('never serves a token past its exp', async () => {
    const { key } = countingKey();
    let now = NOW * 1000;
    const v = verifier({ keys: [key], now: () => now, clockToleranceSeconds: 0 });
    const token = hs(claims({ exp: NOW + 10 }));
    await v.verify(token);
    now = (NOW + 11) * 1000;
    expect(await codeOf(v.verify(token))).toBe('ERR_JWT_EXPIRED');
  });

  it('is bounded', async () => {
    const { key, calls } = countingKey();
    const v = verifier({ keys: [key], cacheSize: 2 });
    const tokens = [hs(), hs(), hs()];
    for (const t of tokens) await v.verify(t);
    await v.verify(tokens[0]!); // evicted by the third
    expect(calls()).toBe(4);
  });

  it('a JWKS withdrawal drops the cached tokens of that kid, not those of a static key of the same kid', async () => {
    let withdraw: (kids: readonly string[]) => void = () => {};
    const staticKey = countingKey();
    const jwksKey = countingKey(createJwtKey({ kid: 'jwks-1', key: hsSecret, secret: true }));
    const jwks: JwtKeySource = {
      getKey: async (kid) => (kid === 'jwks-1' ? jwksKey.key : undefined),
      onKeysRemoved: (listener) => {
        withdraw = listener;
      },
    };
    const v = verifier({ keys: [staticKey.key], jwks });
    const fromStatic = hs();
    const fromJwks = hs(claims(), { kid: 'jwks-1' });
    await v.verify(fromStatic);
    await v.verify(fromJwks);
    withdraw(['hs-1', 'jwks-1']);
    await v.verify(fromStatic);
    await v.verify(fromJwks);
    expect(staticKey.calls()).toBe(1);
    expect(jwksKey.calls()).toBe(2);
  });

  const es = (c: Record<string, unknown> = claims()) =>
    mint({ alg: 'ES256', typ: 'JWT', kid: 'ec-1' }, c, ec.privateKey);

  it('a repeated ES256 token is checked once, also with the cache full of other tokens', async () => {
    const hsKey = countingKey();
    const ecKey = countingKey(createJwtKey({ kid: 'ec-1', key: ec.publicKey }));
    const v = verifier({ keys: [hsKey.key, ecKey.key], cacheSize: 100 });
    for (let i = 0; i < 150; i++) await v.verify(hs());
    const token = es();
    for (let i = 0; i < 300; i++) await v.verify(token);
    expect(ecKey.calls()).toBe(1);
  });

  it('a cached ES256 token never vouches for its twin with another signature', async () => {
    const v = verifier();
    const token = es();
    await v.verify(token);
    const [header, payload] = token.split('.');
    const other = es(JSON.parse(Buffer.from(payload!, 'base64url').toString()));
    expect(other).not.toBe(token); // ECDSA signatures are randomized
    const forged = `${header}.${payload}.${other.split('.')[2]!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    expect(await codeOf(v.verify(forged))).toBe('ERR_JWT_SIGNATURE');
    expect(await codeOf(v.verify(`${token}A`))).not.toBe('accepted');
    expect(await codeOf(v.verify(other))).toBe('accepted');
  });

  it('reports the same errors for a cached ES256 token as for a fresh one', async () => {
    let now = NOW * 1000;
    const revocation = createMemoryRevocationStore({ now: () => now });
    const v = verifier({ now: () => now, clockToleranceSeconds: 0, revocation });
    const expiring = es(claims({ exp: NOW + 10 }));
    expect(await codeOf(v.verify(expiring))).toBe('accepted');
    const c = claims();
    const revoked = es(c);
    expect(await codeOf(v.verify(revoked))).toBe('accepted');
    await revocation.revokeToken(c.jti, c.exp);
    expect(await codeOf(v.verify(revoked))).toBe('ERR_JWT_REVOKED');
    now = (NOW + 11) * 1000;
    expect(await codeOf(v.verify(expiring))).toBe('ERR_JWT_EXPIRED');
    expect(await codeOf(verifier({ now: () => now, clockToleranceSeconds: 0 }).verify(expiring))).toBe(
      'ERR_JWT_EXPIRED',
    );
  });
});

describe('key configuration', () => {
  it('refuses an HS256 secret under 32 bytes', () => {
    expect(() => createJwtKey({ kid: 'x', key: 'too-short-secret', secret: true })).toThrow(/32 bytes/);
  });

  it('binds RSA keys to RS*/PS*, P-256 to ES256, Ed25519 to EdDSA, a 32-byte secret to HS256', () => {
    const rsaAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    expect(createJwtKey({ key: rsa.publicKey }).algorithms).toEqual(rsaAlgorithms);
    expect(createJwtKey({ key: ec.publicKey }).algorithms).toEqual(['ES256']);
    expect(createJwtKey({ key: ed.publicKey }).algorithms).toEqual(['EdDSA']);
    expect(createJwtKey({ key: hsSecret, secret: true }).algorithms).toEqual(['HS256']);
    expect(createJwtKey({ key: rsaPem }).algorithms).toEqual(rsaAlgorithms);
    expect(createJwtKey({ key: ec.publicKey.export({ format: 'jwk' }) }).algorithms).toEqual(['ES256']);
  });
});

// Behaviours mutation testing (`npm run test:mutation`) found no test pinning down.
describe('claim checks, at their exact boundaries', () => {
  const code = (token: string, overrides: Partial<JwtVerifierOptions> = {}) =>
    codeOf(verifier(overrides).verify(token));

  it('exp: accepted until exactly the tolerance past it', async () => {
    expect(await code(hs(claims({ exp: NOW - 30 })))).toBe('accepted');
    expect(await code(hs(claims({ exp: NOW })), { clockToleranceSeconds: 0 })).toBe('accepted');
    expect(await code(hs(claims({ exp: NOW - 1 })), { clockToleranceSeconds: 0 })).toBe('ERR_JWT_EXPIRED');
    expect(await code(hs(claims({ exp: String(NOW + 600) })))).toBe('ERR_JWT_CLAIM_MISSING');
  });

  it('nbf: a valid nbf is accepted, up to exactly the tolerance ahead; a non-number is refused', async () => {
    expect(await code(hs(claims({ nbf: NOW - 10 })))).toBe('accepted');
    expect(await code(hs(claims({ nbf: NOW + 30 })))).toBe('accepted');
    expect(await code(hs(claims({ nbf: NOW + 31 })))).toBe('ERR_JWT_NOT_YET_VALID');
    expect(await code(hs(claims({ nbf: NOW })), { clockToleranceSeconds: 0 })).toBe('accepted');
    expect(await code(hs(claims({ nbf: NOW + 1 })), { clockToleranceSeconds: 0 })).toBe(
      'ERR_JWT_NOT_YET_VALID',
    );
    expect(await code(hs(claims({ nbf: 'now' })))).toBe('ERR_JWT_CLAIM_MISSING');
  });

  it('iat is required and not in the future: a token without one, or from ahead, would escape the maximum age', async () => {
    expect(await code(hs(claims({ iat: undefined })))).toBe('ERR_JWT_CLAIM_MISSING');
    expect(await code(hs(claims({ iat: String(NOW) })))).toBe('ERR_JWT_CLAIM_MISSING');
    expect(await code(hs(claims({ iat: NOW + 30 })))).toBe('accepted');
    expect(await code(hs(claims({ iat: NOW + 31 })))).toBe('ERR_JWT_NOT_YET_VALID');
    // Issued "a year from now": its age would stay under any maximum for a year.
    expect(await code(hs(claims({ iat: NOW + 31_536_000, exp: NOW + 31_536_600 })))).toBe(
      'ERR_JWT_NOT_YET_VALID',
    );
    expect(await code(hs(claims({ iat: NOW })), { clockToleranceSeconds: 0 })).toBe('accepted');
    expect(await code(hs(claims({ iat: NOW + 1 })), { clockToleranceSeconds: 0 })).toBe(
      'ERR_JWT_NOT_YET_VALID',
    );
  });

  it('maximum age: accepted up to exactly max age plus tolerance after iat', async () => {
    expect(await code(hs(claims({ iat: NOW - 86_400 - 30 })))).toBe('accepted');
    const strict = { maxTokenAgeSeconds: 100, clockToleranceSeconds: 0 };
    expect(await code(hs(claims({ iat: NOW - 100 })), strict)).toBe('accepted');
    expect(await code(hs(claims({ iat: NOW - 101 })), strict)).toBe('ERR_JWT_TOO_OLD');
  });

  it('a verified token is valid until the earlier of exp and iat + max age', async () => {
    const token = hs(claims({ iat: NOW - 60, exp: NOW + 600 }));
    expect((await verifier().verify(token)).expiresAt).toBe((NOW + 600) * 1000);
    expect((await verifier({ maxTokenAgeSeconds: 100 }).verify(token)).expiresAt).toBe((NOW + 40) * 1000);
  });

  it('issuer and audience match whole values, never a substring or a non-string', async () => {
    const exact = { issuer: 'https://auth.interlink.test', audience: 'interlink-api' };
    expect(await code(hs(), exact)).toBe('accepted');
    for (const iss of ['https://auth.interlink', 'auth', '', 7])
      expect(await code(hs(claims({ iss })), exact)).toBe('ERR_JWT_ISSUER');
    for (const aud of ['interlink', 'api', '', ['interlink'], [7], 7])
      expect(await code(hs(claims({ aud })), exact)).toBe('ERR_JWT_AUDIENCE');
    expect(await code(hs(claims({ aud: [7, 'other', 'interlink-api'] })), exact)).toBe('accepted');
  });

  it('legacy opt-in: a token missing only iss, or only aud, is counted too', async () => {
    const registry = new Registry();
    const legacy = verifier({ metrics: createAuthMetrics(registry), allowMissingIssuerAudience: true });
    await legacy.verify(hs(claims({ iss: undefined })));
    await legacy.verify(hs(claims({ aud: undefined })));
    await legacy.verify(hs());
    const metric = await registry.getSingleMetricAsString('interlink_auth_legacy_accepted_total');
    expect(metric).toContain('interlink_auth_legacy_accepted_total{scheme="jwt-no-iss-aud"} 2');
    expect(await codeOf(legacy.verify(hs(claims({ iss: undefined, aud: ['other'] }))))).toBe(
      'ERR_JWT_AUDIENCE',
    );
    const unmetered = verifier({ allowMissingIssuerAudience: true });
    expect(await codeOf(unmetered.verify(hs(claims({ iss: undefined }))))).toBe('accepted');
  });

  it('claims must be a JSON object, and are handed out frozen', async () => {
    const raw = (payload: string) => {
      const input = `${b64({ alg: 'HS256', kid: 'hs-1' })}.${Buffer.from(payload).toString('base64url')}`;
      return `${input}.${createHmac('sha256', hsSecret).update(input).digest('base64url')}`;
    };
    for (const payload of ['[]', 'null', '"claims"', '1', '{"exp":'])
      expect(await code(raw(payload))).toBe('ERR_JWT_MALFORMED');
    // JSON numbers past the double range parse as Infinity: a token that never expires.
    const forever = JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e400');
    expect(await code(raw(forever))).toBe('ERR_JWT_CLAIM_MISSING');
    const { claims: verified } = await verifier().verify(hs());
    expect(Object.isFrozen(verified)).toBe(true);
    expect(await codeOf(verifier().verify(42 as unknown as string))).toBe('ERR_JWT_MISSING');
  });
});

describe('user and service tokens are told apart by either marker', () => {
  const serviceClaims = (overrides: Record<string, unknown> = {}) =>
    claims({ sub: 'event-service', iat: NOW - 10, exp: NOW + 200, ...overrides });
  const serviceVerifier = (overrides: Partial<JwtVerifierOptions> = {}) =>
    createServiceTokenVerifier({
      keys: [{ kid: 'hs-1', key: hsSecret, secret: true }],
      issuer: 'https://auth.interlink.test',
      audience: 'interlink-api',
      now: () => NOW * 1000,
      ...overrides,
    });
  const token = (typ: string | undefined, tokenUse: string | undefined, c = serviceClaims()) =>
    hs({ ...c, token_use: tokenUse }, { typ });

  it('a user verifier refuses a token with either marker, whatever the media type spelling', async () => {
    for (const [typ, use] of [
      ['service+jwt', undefined],
      ['JWT', 'service'],
      ['application/service+jwt', undefined],
      ['Service+JWT', undefined],
    ] as const)
      expect(await codeOf(verifier().verify(token(typ, use)))).toBe('ERR_JWT_TYPE');
    expect(await codeOf(verifier().verify(token('JWT', 'user')))).toBe('accepted');
    expect(await codeOf(verifier().verify(token(undefined, undefined)))).toBe('accepted');
  });

  it('a service verifier wants both markers', async () => {
    expect(await codeOf(serviceVerifier().verify(token('service+jwt', 'service')))).toBe('accepted');
    expect(await codeOf(serviceVerifier().verify(token('application/service+jwt', 'service')))).toBe(
      'accepted',
    );
    for (const [typ, use] of [
      ['service+jwt', undefined],
      ['JWT', 'service'],
      [undefined, 'service'],
      ['service+jwt', 'user'],
    ] as const)
      expect(await codeOf(serviceVerifier().verify(token(typ, use)))).toBe('ERR_JWT_TYPE');
  });

  it('a service token lives at most 300 s: exp - iat of 300 is accepted, 301 is not', async () => {
    const at = (exp: number) =>
      codeOf(
        serviceVerifier().verify(token('service+jwt', 'service', serviceClaims({ iat: NOW - 10, exp }))),
      );
    expect(await at(NOW + 290)).toBe('accepted');
    expect(await at(NOW + 291)).toBe('ERR_JWT_TOO_OLD');
  });

  it('revocation of a service token asks about the calling service', async () => {
    const revocation = createMemoryRevocationStore({ now: () => NOW * 1000 });
    await revocation.revokeTokensIssuedBefore('event-service', NOW);
    expect(await codeOf(serviceVerifier({ revocation }).verify(token('service+jwt', 'service')))).toBe(
      'ERR_JWT_REVOKED',
    );
  });
});

describe('kid-less tokens', () => {
  const kidless = () => mint({ alg: 'HS256' }, claims(), hsSecret);
  const onlyKey = { key: hsSecret, secret: true } as const;
  const emptyJwks: JwtKeySource = { getKey: async () => undefined };

  it('verify with the only static key', async () => {
    expect(await codeOf(verifier({ keys: [onlyKey] }).verify(kidless()))).toBe('accepted');
  });

  it('are refused when several keys, or a JWKS, could be meant: no key is guessed', async () => {
    const rsaKey = { key: rsa.publicKey };
    expect(await codeOf(verifier({ keys: [onlyKey, rsaKey] }).verify(kidless()))).toBe('ERR_JWT_UNKNOWN_KID');
    expect(await codeOf(verifier({ keys: [onlyKey], jwks: emptyJwks }).verify(kidless()))).toBe(
      'ERR_JWT_UNKNOWN_KID',
    );
  });

  it('a kid not configured statically is asked of the JWKS', async () => {
    const jwksKey = createJwtKey({ kid: 'from-jwks', key: hsSecret, secret: true });
    const jwks: JwtKeySource = { getKey: async (kid) => (kid === 'from-jwks' ? jwksKey : undefined) };
    const v = verifier({ keys: [{ kid: 'rsa-1', key: rsa.publicKey }], jwks });
    expect(await codeOf(v.verify(hs(claims(), { kid: 'from-jwks' })))).toBe('accepted');
    expect(await codeOf(v.verify(hs(claims(), { kid: 'other' })))).toBe('ERR_JWT_UNKNOWN_KID');
  });
});

describe('verifier configuration', () => {
  it.each<[string, Partial<JwtVerifierOptions>]>([
    ['no issuer', { issuer: [] }],
    ['no audience', { audience: [] }],
    ['no keys and no JWKS', { keys: [] }],
  ])('refuses %s (ERR_AUTH_CONFIG)', (_name, overrides) => {
    expect(thrownCode(() => verifier(overrides))).toBe('ERR_AUTH_CONFIG');
  });

  it('a JWKS alone is enough', () => {
    expect(() => verifier({ keys: [], jwks: { getKey: async () => undefined } })).not.toThrow();
  });
});
