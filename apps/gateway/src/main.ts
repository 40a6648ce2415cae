import { loadGatewayEnv } from './config/gateway-env.js';
import { startEmbeddedGateway } from './embedded/start-embedded-gateway.js';

// `node apps/gateway/dist/main.js`: the gateway with its demo page and development sign-in, in memory
// or, with NATS_URL and REDIS_URL, on JetStream and Redis. Refused when NODE_ENV=production: a
// production gateway is built with createGateway and real identity (see the README).
const env = loadGatewayEnv();
const { url, gateway } = await startEmbeddedGateway({
  port: env.PORT,
  host: env.HOST,
  ...(env.NATS_URL ? { natsUrl: env.NATS_URL, stream: env.GATEWAY_STREAM, layout: env.GATEWAY_LAYOUT } : {}),
  ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
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
gateway.logger.info({ url: `${url}/demo/` }, 'gateway demo ready');
