import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createAuthMetrics } from '../metrics/auth-metrics.js';
import { codeOf } from '../testing/refusal-code.test.helper.js';
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
