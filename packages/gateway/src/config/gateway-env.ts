import { JWT_ALGORITHMS } from '@interlink/auth';
import { CorsOrigins, type LoadConfigOptions, loadConfig, Secret, UpstreamUrl } from '@interlink/core';
import { type Static, Type } from '@sinclair/typebox';

/**
 * The gateway's environment variables (README's configuration table lists them), for every entry
 * that runs it: apps/gateway and apps/platform read them through {@link loadGatewayEnv} (embedded)
 * or {@link GatewayProductionEnvSchema}, which extends this schema, so no entry can drift.
 */
export const GatewayEnvSchema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** Events on NATS JetStream when set; in memory (one process) when not. */
  NATS_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Stream tokens, connection limits and rate limits on Redis when set; in memory when not. */
  REDIS_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Prefix of every Redis key the gateway writes; lets deployments (and tests) share one Redis. */
  GATEWAY_REDIS_PREFIX: Type.String({ default: 'interlink:gateway:', pattern: '^[A-Za-z0-9:_.-]{1,64}$' }),
  GATEWAY_STREAM: Type.String({ default: 'GATEWAY_EVENTS', pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  GATEWAY_SUBJECT_PREFIX: Type.String({ default: 'events', pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  /** The bus's subject scheme on NATS: `gateway` is seed 003's, `bus` the bus's own (then use the bus's stream). */
  GATEWAY_LAYOUT: Type.Union([Type.Literal('gateway'), Type.Literal('bus')], { default: 'gateway' }),
  /**
   * `gateway` layout: seed 003's one-word entity event types on `{prefix}.{tenant}.{type}`,
   * comma-separated (`created,updated,deleted` when unset). Read as `entityEventTypes`.
   */
  GATEWAY_ENTITY_EVENT_TYPES: Type.Optional(
    Type.String({ pattern: '^\\s*[A-Za-z0-9_-]+(\\s*,\\s*[A-Za-z0-9_-]+)*\\s*$' }),
  ),
  CORS_ORIGINS: Type.Optional(CorsOrigins()),
  METRICS_TOKEN: Type.Optional(Secret()),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  /** How long in-flight requests may run after SIGTERM before their connections are closed. */
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 0 }),
  /** The demo's development sign-in: `auto` serves it when HOST is a loopback address; never in production. */
  GATEWAY_DEMO_SIGN_IN: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    default: 'auto',
  }),
});

export type GatewayEnv = Static<typeof GatewayEnvSchema>;

/** Reads the gateway's configuration from the environment; every problem is reported at once. */
export function loadGatewayEnv(options: LoadConfigOptions = {}): GatewayEnv {
  return loadConfig(GatewayEnvSchema, options);
}

const algorithmList = `(${JWT_ALGORITHMS.join('|')})`;
const commaList = '^\\s*[^,\\s]+(\\s*,\\s*[^,\\s]+)*\\s*$';

/**
 * The production gateway's variables ({@link loadGatewayProductionConfig} reads them): everything
 * of {@link GatewayEnvSchema}, with NATS and Redis required, plus identity (user JWT keys, the
 * keyring of services allowed to publish, the key the proxy signs with) and limits. Kept apart
 * from `GatewayEnvSchema` because the embedded gateway (the demo) needs none of them.
 */
export const GatewayProductionEnvSchema = Type.Object({
  ...GatewayEnvSchema.properties,
  /** In a container the gateway must be reachable from outside it. */
  HOST: Type.String({ default: '0.0.0.0' }),
  /** One URL or a comma-separated list of the cluster's servers. */
  NATS_URL: Type.String({ minLength: 1 }),
  REDIS_URL: Type.String({ minLength: 1 }),
  /** Required in production unless METRICS_PORT is set (loadGatewayProductionConfig says so). */
  METRICS_TOKEN: Type.Optional(Secret({ optionalInProduction: true })),
  /** Whose `X-Forwarded-For` to believe (per-IP rate limits): proxy addresses/CIDRs, comma-separated, or `true`. */
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1 })),
  /** User JWT keys from a JWKS document (https in production). */
  JWT_JWKS_URL: Type.Optional(UpstreamUrl({ pattern: '^https?://' })),
  /** Static user JWT public keys: PEM block(s), a JWK, a JSON array of JWKs, or a JWKS document. */
  JWT_PUBLIC_KEYS: Type.Optional(Type.String({ minLength: 1 })),
  /** An HS256 secret for user JWTs (seed 003's scheme), alone: tokens without `kid`. */
  JWT_SECRET: Type.Optional(Secret({ optionalInProduction: true })),
  JWT_ISSUER: Type.String({ pattern: commaList }),
  JWT_AUDIENCE: Type.String({ pattern: commaList }),
  JWT_ALGORITHMS: Type.Optional(
    Type.String({ pattern: `^\\s*${algorithmList}(\\s*,\\s*${algorithmList})*\\s*$` }),
  ),
  /** JSON array of `{ keyId, service, alg, secret | publicKey, notAfter? }`: who may POST /internal/events. */
  SERVICE_KEYS: Secret(),
  /**
   * The `host[:port]` services sign POST /internal/events for (comma-separated for several names).
   * Unset: signed requests are answered only on a loopback address, bound to its port.
   */
  GATEWAY_AUTHORITY: Type.Optional(Type.String({ pattern: commaList })),
  /** `ALL /api/*` goes here; no proxy route without it. */
  API_UPSTREAM_URL: Type.Optional(UpstreamUrl({ pattern: '^https?://' })),
  API_UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1 }),
  /** Largest `/api/*` request body, in bytes (read whole so its digest is signed); larger is 413. */
  API_UPSTREAM_MAX_BODY_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 1 }),
  GATEWAY_SIGNING_KEY_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,256}$' })),
  /** HMAC secret, or for ed25519 a PKCS#8 PEM or a JWK private key. */
  GATEWAY_SIGNING_KEY: Type.Optional(Secret({ optionalInProduction: true })),
  GATEWAY_SIGNING_ALG: Type.Union([Type.Literal('hmac-sha256'), Type.Literal('ed25519')], {
    default: 'hmac-sha256',
  }),
  GATEWAY_MAX_CONNECTIONS: Type.Integer({ default: 10_000, minimum: 1 }),
  GATEWAY_CONNECTIONS_PER_USER: Type.Integer({ default: 10, minimum: 1 }),
  GATEWAY_CONNECTIONS_PER_TENANT: Type.Integer({ default: 1000, minimum: 1 }),
  STREAM_TOKEN_TTL_SECONDS: Type.Integer({ default: 300, minimum: 10, maximum: 3600 }),
});

export type GatewayProductionEnv = Static<typeof GatewayProductionEnvSchema>;

/** `GATEWAY_ENTITY_EVENT_TYPES` as the list `entityEventTypes` takes; undefined when unset. */
export function entityEventTypesOf(
  env: Pick<GatewayEnv, 'GATEWAY_ENTITY_EVENT_TYPES'>,
): string[] | undefined {
  return env.GATEWAY_ENTITY_EVENT_TYPES?.split(',').map((type) => type.trim());
}
