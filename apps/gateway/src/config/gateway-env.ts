import { CorsOrigins, type LoadConfigOptions, loadConfig, Secret } from '@interlink/core';
import { type Static, Type } from '@sinclair/typebox';

/** The gateway's environment variables (README's configuration table lists them). */
export const GatewayEnvSchema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** Events on NATS JetStream when set; in memory (one process) when not. */
  NATS_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Stream tokens, connection limits and rate limits on Redis when set; in memory when not. */
  REDIS_URL: Type.Optional(Type.String({ minLength: 1 })),
  GATEWAY_STREAM: Type.String({ default: 'GATEWAY_EVENTS', pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  GATEWAY_SUBJECT_PREFIX: Type.String({ default: 'events', pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  /** `bus` reads and writes `@interlink/bus`'s subjects and envelopes (then use the bus's stream). */
  GATEWAY_LAYOUT: Type.Union([Type.Literal('gateway'), Type.Literal('bus')], { default: 'gateway' }),
  CORS_ORIGINS: Type.Optional(CorsOrigins()),
  METRICS_TOKEN: Type.Optional(Secret()),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
});

export type GatewayEnv = Static<typeof GatewayEnvSchema>;

/** Reads the gateway's configuration from the environment; every problem is reported at once. */
export function loadGatewayEnv(options: LoadConfigOptions = {}): GatewayEnv {
  return loadConfig(GatewayEnvSchema, options);
}
