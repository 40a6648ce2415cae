import type { LoadConfigOptions } from '@interlink/core';
import { entityEventTypesOf, type GatewayEnv, loadGatewayEnv } from '../config/gateway-env.js';
import {
  type EmbeddedGateway,
  type EmbeddedGatewayOptions,
  startEmbeddedGateway,
} from './start-embedded-gateway.js';

export interface StartEmbeddedGatewayFromEnvOptions {
  /** The service name in logs and metrics; the gateway's own by default. */
  serviceName?: string;
  /** Close gracefully on SIGTERM/SIGINT, then exit; on by default. */
  handleSignals?: boolean;
}

/** What each variable of {@link GatewayEnv} means to {@link startEmbeddedGateway}: the one mapping every entry uses. */
export function embeddedGatewayOptionsFromEnv(
  env: GatewayEnv,
  options: StartEmbeddedGatewayFromEnvOptions = {},
): EmbeddedGatewayOptions {
  const entityEventTypes = entityEventTypesOf(env);
  return {
    port: env.PORT,
    host: env.HOST,
    demoSignIn: env.GATEWAY_DEMO_SIGN_IN,
    ...(env.NATS_URL
      ? {
          natsUrl: env.NATS_URL,
          stream: env.GATEWAY_STREAM,
          layout: env.GATEWAY_LAYOUT,
          ...(entityEventTypes ? { entityEventTypes } : {}),
        }
      : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL, redisPrefix: env.GATEWAY_REDIS_PREFIX } : {}),
    ...(options.handleSignals !== undefined ? { handleSignals: options.handleSignals } : {}),
    gateway: {
      subjectPrefix: env.GATEWAY_SUBJECT_PREFIX,
      ...(env.CORS_ORIGINS ? { corsOrigins: env.CORS_ORIGINS.split(',').map((o) => o.trim()) } : {}),
      service: {
        ...(options.serviceName ? { name: options.serviceName } : {}),
        logLevel: env.LOG_LEVEL,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        metrics: {
          ...(env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {}),
          ...(env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT } : {}),
        },
      },
    },
  };
}

/**
 * Starts the embedded gateway (demo page, development sign-in, echo upstream) configured from
 * environment variables (`GatewayEnvSchema`): in memory, or on NATS JetStream and Redis when
 * `NATS_URL` and `REDIS_URL` are set. Development only, like {@link startEmbeddedGateway}.
 * @throws ConfigError (`ERR_CONFIG_INVALID`) listing every bad variable, before anything starts
 */
export async function startEmbeddedGatewayFromEnv(
  env: LoadConfigOptions['env'] = process.env,
  options: StartEmbeddedGatewayFromEnvOptions = {},
): Promise<EmbeddedGateway> {
  return startEmbeddedGateway(embeddedGatewayOptionsFromEnv(loadGatewayEnv({ env }), options));
}
