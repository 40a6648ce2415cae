import { loadConfig } from '@interlink/core';
import {
  exitOnStartupError,
  GatewayEnvSchema,
  startEmbeddedGateway,
  startGatewayFromEnv,
} from '@interlink/gateway';
import { Type } from '@sinclair/typebox';

// `npm start`: the realtime gateway with its demo page, development sign-in and the two-way echo
// upstream, on embedded in-memory defaults (NATS_URL and REDIS_URL switch to the real services).
// With NODE_ENV=production: the production gateway configured only from the environment (JWT keys,
// service keyring, NATS and Redis required, no demo; see apps/gateway's README, "Production").
// The reference services of seeds 000, 001, 002 and 004 will join this process as they are built.
const ConfigSchema = Type.Object({
  ...GatewayEnvSchema.properties,
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 0 }),
});

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    const { url, gateway } = await startGatewayFromEnv(process.env);
    gateway.logger.info({ address: url }, 'platform listening (production gateway)');
    return;
  }
  // A ConfigError reaches exitOnStartupError below: exit 78 with every bad variable named.
  const config = loadConfig(ConfigSchema);
  const { url, gateway } = await startEmbeddedGateway({
    port: config.PORT,
    host: config.HOST,
    ...(config.NATS_URL
      ? { natsUrl: config.NATS_URL, stream: config.GATEWAY_STREAM, layout: config.GATEWAY_LAYOUT }
      : {}),
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    gateway: {
      subjectPrefix: config.GATEWAY_SUBJECT_PREFIX,
      ...(config.CORS_ORIGINS ? { corsOrigins: config.CORS_ORIGINS.split(',').map((o) => o.trim()) } : {}),
      service: {
        name: 'platform',
        logLevel: config.LOG_LEVEL,
        shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        metrics: {
          ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}),
          ...(config.METRICS_PORT !== undefined ? { port: config.METRICS_PORT } : {}),
        },
      },
    },
  });
  gateway.logger.info({ address: url, demo: `${url}/demo/` }, 'platform listening');
}

main().catch((error: unknown) => exitOnStartupError(error, 'platform'));
