import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ConfigError } from '@interlink/core';
import { describe, expect, it } from 'vitest';
import { loadGatewayProductionConfig } from './load-production-config.js';

const strong = () => randomBytes(32).toString('base64url');
const ed = generateKeyPairSync('ed25519');
const edPublicPem = ed.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const edPrivatePem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const serviceSecret = strong();

/** The smallest env the production path starts with outside production. */
const minimal = {
  NATS_URL: 'nats://127.0.0.1:4222',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_PUBLIC_KEYS: edPublicPem,
  JWT_ISSUER: 'https://id.example',
  JWT_AUDIENCE: 'gateway, gateway-eu',
  SERVICE_KEYS: JSON.stringify([
    { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: serviceSecret },
  ]),
};

/** The same, valid in production. */
const productionEnv = {
  ...minimal,
  NODE_ENV: 'production',
  CORS_ORIGINS: 'https://app.example',
  METRICS_TOKEN: strong(),
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadGatewayProductionConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const variables = (error: ConfigError) => error.issues.map((i) => i.variable).sort();

describe('loadGatewayProductionConfig', () => {
  it('builds the keys and applies the defaults', () => {
    const config = loadGatewayProductionConfig({ env: minimal });
    expect(config.production).toBe(false);
    expect(config.env).toMatchObject({ HOST: '0.0.0.0', PORT: 3000, GATEWAY_CONNECTIONS_PER_USER: 10 });
    expect(config.audiences).toEqual(['gateway', 'gateway-eu']);
    expect(config.jwtKeys.map((k) => k.algorithms)).toEqual([['EdDSA']]);
    expect(config.serviceKeyring.keyIdsOf('orders')).toEqual(['orders-1']);
    expect(config.servicePermissions).toEqual({ orders: ['events:publish'] });
    expect(config.signingKey).toBeUndefined();
  });

  it('starts in production with explicit origins, a metrics token and strong keys', () => {
    expect(loadGatewayProductionConfig({ env: productionEnv }).production).toBe(true);
    // /metrics on its own port needs no token.
    const { METRICS_TOKEN: _, ...withoutToken } = productionEnv;
    expect(() =>
      loadGatewayProductionConfig({ env: { ...withoutToken, METRICS_PORT: '9464' } }),
    ).not.toThrow();
  });

  it('refuses production with nothing set, naming every missing variable in one error', () => {
    const error = refusal({ NODE_ENV: 'production' });
    expect(variables(error)).toEqual(
      [
        'CORS_ORIGINS',
        'JWT_AUDIENCE',
        'JWT_ISSUER',
        'JWT_JWKS_URL, JWT_PUBLIC_KEYS or JWT_SECRET',
        'METRICS_TOKEN',
        'NATS_URL',
        'REDIS_URL',
        'SERVICE_KEYS',
      ].sort(),
    );
    for (const variable of variables(error)) expect(error.message).toContain(variable);
  });

  it('refuses insecure values in production, naming each variable and printing no secret', () => {
    const shortSigningKey = 'abc123-short';
    const weakServiceSecret = 'x'.repeat(20);
    const error = refusal({
      ...productionEnv,
      CORS_ORIGINS: 'https://app.example,*',
      METRICS_TOKEN: 'changeme',
      JWT_PUBLIC_KEYS: '',
      JWT_JWKS_URL: 'http://id.example/jwks.json',
      API_UPSTREAM_URL: 'http://orders.internal:3000',
      GATEWAY_SIGNING_KEY_ID: 'gw-1',
      GATEWAY_SIGNING_KEY: shortSigningKey,
      SERVICE_KEYS: JSON.stringify([
        { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: weakServiceSecret },
      ]),
    });
    expect(variables(error)).toEqual(
      [
        'API_UPSTREAM_URL',
        'CORS_ORIGINS',
        'GATEWAY_SIGNING_KEY',
        'JWT_JWKS_URL',
        'METRICS_TOKEN',
        'SERVICE_KEYS',
      ].sort(),
    );
    expect(error.message).toMatch(/API_UPSTREAM_URL: must be an https:\/\/ URL/);
    expect(error.message).toMatch(/JWT_JWKS_URL: must be an https:\/\/ URL/);
    expect(error.message).toMatch(
      /SERVICE_KEYS: key orders-1: secret is too short: 20 bytes, at least 32 bytes needed/,
    );
    expect(error.message).toMatch(/METRICS_TOKEN: is a well-known default/);
    expect(error.message).not.toContain(shortSigningKey);
    expect(error.message).not.toContain(weakServiceSecret);
  });

  it('needs a signing key for the proxy, in production and out', () => {
    const error = refusal({ ...minimal, API_UPSTREAM_URL: 'http://orders.internal:3000' });
    expect(variables(error)).toEqual(['GATEWAY_SIGNING_KEY', 'GATEWAY_SIGNING_KEY_ID']);
    expect(error.message).toMatch(/required with API_UPSTREAM_URL/);
    const config = loadGatewayProductionConfig({
      env: {
        ...minimal,
        API_UPSTREAM_URL: 'http://orders.internal:3000',
        GATEWAY_SIGNING_KEY_ID: 'gw-1',
        GATEWAY_SIGNING_ALG: 'ed25519',
        // As env files carry it: one line, newlines written as \n.
        GATEWAY_SIGNING_KEY: edPrivatePem.replace(/\n/g, '\\n'),
      },
    });
    expect(config.signingKey).toMatchObject({ keyId: 'gw-1', alg: 'ed25519' });
  });

  it('refuses private keys, secrets and unnamed extra keys in JWT_PUBLIC_KEYS', () => {
    expect(refusal({ ...minimal, JWT_PUBLIC_KEYS: edPrivatePem }).message).toMatch(
      /JWT_PUBLIC_KEYS: key 1 is a private key/,
    );
    const privateJwk = ed.privateKey.export({ format: 'jwk' });
    const privateError = refusal({ ...minimal, JWT_PUBLIC_KEYS: JSON.stringify({ keys: [privateJwk] }) });
    expect(privateError.message).toMatch(/is a private key/);
    expect(privateError.message).not.toContain(String(privateJwk.d));
    const secret = strong();
    const oct = refusal({ ...minimal, JWT_PUBLIC_KEYS: JSON.stringify({ kty: 'oct', k: secret }) });
    expect(oct.message).toMatch(/HS256 secrets go in JWT_SECRET/);
    expect(refusal({ ...minimal, JWT_PUBLIC_KEYS: `${edPublicPem}${edPublicPem}` }).message).toMatch(
      /every key needs a kid/,
    );
  });

  it('reads JWKs with kids and narrows them to JWT_ALGORITHMS', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const keys = JSON.stringify({
      keys: [
        { ...rsa, kid: 'rsa-1' },
        { ...ed.publicKey.export({ format: 'jwk' }), kid: 'ed-1' },
      ],
    });
    const all = loadGatewayProductionConfig({ env: { ...minimal, JWT_PUBLIC_KEYS: keys } });
    expect(all.jwtKeys.map((k) => [k.kid, k.algorithms])).toEqual([
      ['rsa-1', ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']],
      ['ed-1', ['EdDSA']],
    ]);
    const narrowed = loadGatewayProductionConfig({
      env: { ...minimal, JWT_PUBLIC_KEYS: keys, JWT_ALGORITHMS: 'PS256,EdDSA' },
    });
    expect(narrowed.jwtKeys.map((k) => k.algorithms)).toEqual([['PS256'], ['EdDSA']]);
    expect(refusal({ ...minimal, JWT_ALGORITHMS: 'none' }).issues[0]?.variable).toBe('JWT_ALGORITHMS');
  });

  it('takes an HS256 JWT_SECRET alone, never beside other key sources', () => {
    const { JWT_PUBLIC_KEYS: _, ...noKeys } = minimal;
    expect(loadGatewayProductionConfig({ env: { ...noKeys, JWT_SECRET: strong() } }).jwtKeys).toHaveLength(1);
    expect(refusal({ ...minimal, JWT_SECRET: strong() }).message).toMatch(/JWT_SECRET: cannot be combined/);
    expect(refusal({ ...noKeys, JWT_SECRET: 'your-secret-key-change-in-production' }).message).toMatch(
      /JWT_SECRET: .*well-known default/,
    );
  });

  it('explains a malformed SERVICE_KEYS without quoting it', () => {
    const secret = strong();
    const broken = `[{"keyId":"orders-1","service":"orders","alg":"hmac-sha256","secret":"${secret}"`;
    const error = refusal({ ...minimal, SERVICE_KEYS: broken });
    expect(error.message).toMatch(/SERVICE_KEYS: the value is not valid JSON/);
    expect(error.message).not.toContain(secret);
    expect(
      refusal({
        ...minimal,
        SERVICE_KEYS: JSON.stringify([
          { keyId: 'a', service: 'orders', alg: 'hmac-sha256', secret },
          { keyId: 'a', service: 'orders', alg: 'hmac-sha256', secret: strong() },
        ]),
      }).message,
    ).toMatch(/key id a appears twice/);
    expect(
      refusal({
        ...minimal,
        SERVICE_KEYS: JSON.stringify([{ keyId: 'b', service: 'billing', alg: 'ed25519', secret }]),
      }).message,
    ).toMatch(/key b: ed25519 takes a publicKey/);
  });
});
