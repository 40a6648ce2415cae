import { loadGatewayEnv } from './config/gateway-env.js';
import { startEmbeddedGateway } from './embedded/start-embedded-gateway.js';
import { exitOnStartupError } from './production/exit-on-startup-error.js';
import { startGatewayFromEnv } from './production/start-gateway-from-env.js';

// `node apps/gateway/dist/main.js`. With NODE_ENV=production: the production gateway, configured
// only from the environment (README, "Production"): JWT keys, service keyring, NATS and Redis
// required, no demo. Otherwise: the gateway with its demo page and development sign-in, in memory
// or, with NATS_URL and REDIS_URL, on JetStream and Redis.
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    const { url, gateway } = await startGatewayFromEnv(process.env);
    gateway.logger.info({ address: url }, 'gateway listening');
    return;
  }
  const env = loadGatewayEnv();
  const { url, gateway } = await startEmbeddedGateway({
    port: env.PORT,
    host: env.HOST,
    ...(env.NATS_URL
      ? { natsUrl: env.NATS_URL, stream: env.GATEWAY_STREAM, layout: env.GATEWAY_LAYOUT }
      : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL, redisPrefix: env.GATEWAY_REDIS_PREFIX } : {}),
    gateway: {
      subjectPrefix: env.GATEWAY_SUBJECT_PREFIX,
      ...(env.CORS_ORIGINS ? { corsOrigins: env.CORS_ORIGINS.split(',').map((o) => o.trim()) } : {}),
      service: {
        metrics: {
          ...(env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : {}),
          ...(env.METRICS_PORT !== undefined ? { port: env.METRICS_PORT } : {}),
        },
      },
    },
  });
  gateway.logger.info({ address: url, demo: `${url}/demo/` }, 'gateway demo ready');
}

main().catch((error: unknown) => exitOnStartupError(error, 'gateway'));
