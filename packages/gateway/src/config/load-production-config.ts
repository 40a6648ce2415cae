import {
  createJwtKey,
  type JwtAlgorithm,
  type JwtKey,
  type Keyring,
  type ServicePermissionMap,
  type SigningKey,
} from '@interlink/auth';
import { ConfigError, type ConfigIssue, type LoadConfigOptions, loadConfig } from '@interlink/core';
import { PUBLISH_PERMISSION } from '../internal/publish-route.js';
import { type GatewayProductionEnv, GatewayProductionEnvSchema } from './gateway-env.js';
import { keyProblemMessage } from './key-config-problem.js';
import { parseJwtPublicKeys } from './parse-jwt-keys.js';
import { parseServiceKeys } from './parse-service-keys.js';
import { parseSigningKey } from './parse-signing-key.js';

/** The production gateway's configuration: the variables, and the keys already built from them. */
export interface GatewayProductionConfig {
  env: GatewayProductionEnv;
  /** Production checks applied (`NODE_ENV=production` unless forced). */
  production: boolean;
  natsServers: string[];
  corsOrigins: string[];
  issuers: string[];
  audiences: string[];
  /** `JWT_ALGORITHMS`, when it narrows what keys allow. */
  jwtAlgorithms: JwtAlgorithm[] | undefined;
  /** `JWT_PUBLIC_KEYS` and `JWT_SECRET`, prepared. */
  jwtKeys: JwtKey[];
  jwksUrl: string | undefined;
  serviceKeyring: Keyring;
  /** Every service with a key in `SERVICE_KEYS` may publish (`events:publish`), and nothing else. */
  servicePermissions: ServicePermissionMap;
  /** The proxy's signing key; set exactly when `API_UPSTREAM_URL` is. */
  signingKey: SigningKey | undefined;
  trustProxy: boolean | string[] | undefined;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function trustProxyOf(value: string | undefined): GatewayProductionConfig['trustProxy'] {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return list(value);
}

/**
 * Reads and checks the production gateway's variables ({@link GatewayProductionEnvSchema}) and
 * builds its keys with `@interlink/auth`. Every problem, across all variables, is reported in one
 * `ConfigError`; values of secrets and keys are never printed. In production (`NODE_ENV=production`)
 * core's guard also refuses unset, short or well-known secrets, plain-http upstreams and JWKS URLs,
 * and wildcard or http CORS origins.
 * @throws ConfigError (`ERR_CONFIG_INVALID`)
 */
export function loadGatewayProductionConfig(options: LoadConfigOptions = {}): GatewayProductionConfig {
  const env = options.env ?? process.env;
  const production = options.production ?? env.NODE_ENV === 'production';
  // As loadConfig reads them: an empty variable is an unset one.
  const raw = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const issues: ConfigIssue[] = [];
  let loaded: GatewayProductionEnv | undefined;
  try {
    loaded = loadConfig(GatewayProductionEnvSchema, { env, production });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Secrets needed only in some set-ups (METRICS_TOKEN, JWT_SECRET, GATEWAY_SIGNING_KEY) are
    // `optionalInProduction`: core checks them when set, and the rules below say when they are needed.
    issues.push(...error.issues);
  }
  const bad = (variable: string) => issues.some((i) => i.variable === variable);
  const add = (variable: string, message: string) => {
    if (!bad(variable)) issues.push({ variable, message });
  };
  const build = <T>(variable: string, make: () => T): T | undefined => {
    try {
      return make();
    } catch (error) {
      add(variable, keyProblemMessage(error));
      return undefined;
    }
  };

  if (production && !raw('METRICS_TOKEN') && !raw('METRICS_PORT')) {
    add('METRICS_TOKEN', 'is required in production unless METRICS_PORT serves /metrics on its own port');
  }
  if (production && !raw('CORS_ORIGINS')) {
    add('CORS_ORIGINS', 'is required in production: the https origins of the browser apps');
  }

  const jwksUrl = raw('JWT_JWKS_URL');
  const publicKeys = raw('JWT_PUBLIC_KEYS');
  const jwtSecret = raw('JWT_SECRET');
  if (!jwksUrl && !publicKeys && !jwtSecret) {
    add('JWT_JWKS_URL, JWT_PUBLIC_KEYS or JWT_SECRET', 'one is required: where the user JWT keys come from');
  }
  if (jwtSecret && (jwksUrl || publicKeys)) {
    add('JWT_SECRET', 'cannot be combined with JWT_JWKS_URL or JWT_PUBLIC_KEYS (its tokens carry no kid)');
  }
  const algorithmsValue = raw('JWT_ALGORITHMS');
  const jwtAlgorithms =
    algorithmsValue && !bad('JWT_ALGORITHMS') ? (list(algorithmsValue) as JwtAlgorithm[]) : undefined;
  const jwtKeys: JwtKey[] = [];
  if (publicKeys && !bad('JWT_PUBLIC_KEYS')) {
    const keys = build('JWT_PUBLIC_KEYS', () => parseJwtPublicKeys(publicKeys, jwtAlgorithms)) ?? [];
    // The verifier picks a key by kid; a key without one is used only when it is the only key.
    if ((keys.length > 1 || jwksUrl) && keys.some((key) => key.kid === undefined)) {
      add('JWT_PUBLIC_KEYS', 'with several keys or with JWT_JWKS_URL, every key needs a kid (give JWKs)');
    }
    jwtKeys.push(...keys);
  }
  if (jwtSecret && !bad('JWT_SECRET')) {
    const key = build('JWT_SECRET', () =>
      createJwtKey({ key: jwtSecret, secret: true, ...(jwtAlgorithms ? { algorithms: jwtAlgorithms } : {}) }),
    );
    if (key) jwtKeys.push(key);
  }

  const serviceKeysValue = raw('SERVICE_KEYS');
  const serviceKeys =
    serviceKeysValue && !bad('SERVICE_KEYS')
      ? build('SERVICE_KEYS', () => parseServiceKeys(serviceKeysValue))
      : undefined;

  let signingKey: SigningKey | undefined;
  if (raw('API_UPSTREAM_URL')) {
    const keyId = raw('GATEWAY_SIGNING_KEY_ID');
    const secret = raw('GATEWAY_SIGNING_KEY');
    if (!keyId)
      add('GATEWAY_SIGNING_KEY_ID', 'is required with API_UPSTREAM_URL: the proxy signs every request');
    if (!secret)
      add('GATEWAY_SIGNING_KEY', 'is required with API_UPSTREAM_URL: the proxy signs every request');
    if (
      keyId &&
      secret &&
      !bad('GATEWAY_SIGNING_KEY_ID') &&
      !bad('GATEWAY_SIGNING_KEY') &&
      !bad('GATEWAY_SIGNING_ALG')
    ) {
      const alg = raw('GATEWAY_SIGNING_ALG') === 'ed25519' ? 'ed25519' : 'hmac-sha256';
      signingKey = build('GATEWAY_SIGNING_KEY', () => parseSigningKey(keyId, alg, secret));
    }
  }

  if (issues.length > 0 || !loaded) throw new ConfigError(issues);
  const config = loaded;
  return {
    env: config,
    production,
    natsServers: list(config.NATS_URL),
    corsOrigins: config.CORS_ORIGINS ? list(config.CORS_ORIGINS) : [],
    issuers: list(config.JWT_ISSUER),
    audiences: list(config.JWT_AUDIENCE),
    jwtAlgorithms,
    jwtKeys,
    jwksUrl,
    serviceKeyring: serviceKeys!.keyring,
    servicePermissions: Object.fromEntries(serviceKeys!.services.map((s) => [s, [PUBLISH_PERMISSION]])),
    signingKey,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
  };
}
