import { exitOnStartupError, startEmbeddedGatewayFromEnv, startGatewayFromEnv } from '@interlink/gateway';

// `node apps/gateway/dist/main.js`: the gateway alone. With NODE_ENV=production: the production
// gateway, configured only from the environment (packages/gateway's README, "Production"): JWT keys,
// service keyring, NATS and Redis required, no demo. Otherwise: the embedded gateway with its demo
// page and development sign-in, in memory or, with NATS_URL and REDIS_URL, on JetStream and Redis.
// Both read the one schema of @interlink/gateway, so this entry and apps/platform cannot drift.
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    const { url, gateway } = await startGatewayFromEnv(process.env);
    gateway.logger.info({ address: url }, 'gateway listening');
    return;
  }
  // A ConfigError reaches exitOnStartupError below: exit 78 with every bad variable named.
  const { url, gateway } = await startEmbeddedGatewayFromEnv(process.env);
  gateway.logger.info({ address: url, demo: `${url}/demo/` }, 'gateway demo ready');
}

main().catch((error: unknown) => exitOnStartupError(error, 'gateway'));
