import { createSigningKey, type Keyring, type SigningKey } from '@interlink/auth';
import { ConfigError, type ConfigIssue, loadConfig, Secret, UpstreamUrl } from '@interlink/core';
import { parseServiceKeys, type ServiceKeys } from '@interlink/gateway';
import { type Static, Type } from '@sinclair/typebox';
import type { DataService } from '../db/service-names.js';

/** Each service's default port when it runs alone (PORT overrides it). */
export const DEFAULT_PORTS: Record<DataService, number> = {
  auth: 3101,
  event: 3102,
  order: 3103,
  ticket: 3104,
  venue: 3105,
};

/** The services each one calls, with the variable holding the callee's URL. */
export const UPSTREAM_URL_VARIABLES: Record<DataService, Partial<Record<DataService, string>>> = {
  auth: {},
  event: {},
  order: {},
  ticket: { auth: 'AUTH_SERVICE_URL' },
  venue: { ticket: 'TICKET_SERVICE_URL', event: 'EVENT_SERVICE_URL' },
};

const level = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l));

/** The variables of one service running alone (`node apps/platform/dist/<service>/main.js`). */
export const ServiceEnvSchema = Type.Object({
  PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** The service's own role's URL: it owns its schema and can read no other. */
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  PG_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  /** JSON array of `{ keyId, service, alg, secret | publicKey }`: the callers' verification keys. */
  SERVICE_KEYS: Type.String({ minLength: 2 }),
  /** This service's own key, for the calls it makes (ticket -> auth, venue -> ticket and event). */
  SIGNING_KEY_ID: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:-]{1,256}$' })),
  SIGNING_KEY: Type.Optional(Secret({ optionalInProduction: true })),
  AUTH_SERVICE_URL: Type.Optional(UpstreamUrl({ pattern: '^https?://' })),
  TICKET_SERVICE_URL: Type.Optional(UpstreamUrl({ pattern: '^https?://' })),
  EVENT_SERVICE_URL: Type.Optional(UpstreamUrl({ pattern: '^https?://' })),
  /** Nonces in Redis (required in production: replicas must share them); in memory when unset. */
  REDIS_URL: Type.Optional(Type.String({ minLength: 1 })),
  NONCE_PREFIX: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9:_.-]{1,64}$' })),
  METRICS_TOKEN: Type.Optional(Secret({ optionalInProduction: true })),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  LOG_LEVEL: Type.Union(level, { default: 'info' }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 0 }),
  /** The `host[:port]` callers sign for, comma-separated; unset: loopback addresses only. */
  SERVICE_AUTHORITY: Type.Optional(Type.String({ pattern: '^\\s*[^,\\s]+(\\s*,\\s*[^,\\s]+)*\\s*$' })),
});

export type ServiceEnv = Static<typeof ServiceEnvSchema>;

/** A service's configuration, ready to use: keys parsed, every rule checked at once. */
export interface ServiceConfig {
  env: ServiceEnv;
  port: number;
  keyring: Keyring;
  signingKey: SigningKey | undefined;
  upstreams: Partial<Record<DataService, string>>;
}

/**
 * `SERVICE_KEYS`, read as the gateway reads it (one parser for the toolkit's keyring variable); a
 * bad value is one more issue in `issues`, naming the entry at fault.
 */
export function readServiceKeys(value: string, issues: ConfigIssue[]): ServiceKeys | undefined {
  try {
    return parseServiceKeys(value);
  } catch (error) {
    // A KeyConfigProblem or auth's ERR_AUTH_CONFIG: each names the entry at fault, never a key's value.
    issues.push({
      variable: 'SERVICE_KEYS',
      message: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * Reads one service's configuration. In production: Redis for nonces, this service's signing key
 * and https upstreams when it calls others, and metrics behind a token or port, or it does not start.
 * @throws ConfigError naming every bad variable (exit 78 through `exitOnStartupError`)
 */
export function loadServiceConfig(
  service: DataService,
  source: Record<string, string | undefined> = process.env,
): ServiceConfig {
  const production = source.NODE_ENV === 'production';
  const issues: ConfigIssue[] = [];
  // The schema's problems and the rules below are reported together, so one start names them all.
  let env: ServiceEnv | undefined;
  try {
    env = loadConfig(ServiceEnvSchema, { env: source, production });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const set = (variable: string) => source[variable] !== undefined && source[variable] !== '';
  const keyring = set('SERVICE_KEYS') ? readServiceKeys(source.SERVICE_KEYS!, issues)?.keyring : undefined;
  const upstreams: Partial<Record<DataService, string>> = {};
  const calls = Object.entries(UPSTREAM_URL_VARIABLES[service]) as [DataService, string][];
  for (const [callee, variable] of calls) {
    if (!set(variable)) issues.push({ variable, message: `is required: ${service} calls ${callee}` });
    else upstreams[callee] = source[variable]!;
  }
  let signingKey: SigningKey | undefined;
  if (calls.length > 0) {
    if (!set('SIGNING_KEY') || !set('SIGNING_KEY_ID')) {
      issues.push({
        variable: 'SIGNING_KEY',
        message: `and SIGNING_KEY_ID are required: ${service} signs its calls`,
      });
    } else {
      try {
        signingKey = createSigningKey({
          keyId: source.SIGNING_KEY_ID!,
          alg: 'hmac-sha256',
          secret: source.SIGNING_KEY!,
        });
      } catch (error) {
        issues.push({
          variable: 'SIGNING_KEY',
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  if (production && !set('REDIS_URL')) {
    issues.push({ variable: 'REDIS_URL', message: 'is required in production: replicas must share nonces' });
  }
  if (production && !set('METRICS_TOKEN') && !set('METRICS_PORT')) {
    issues.push({ variable: 'METRICS_TOKEN', message: 'or METRICS_PORT is required in production' });
  }
  if (issues.length > 0 || env === undefined || keyring === undefined) throw new ConfigError(issues);
  return { env, port: env.PORT ?? DEFAULT_PORTS[service], keyring, signingKey, upstreams };
}
