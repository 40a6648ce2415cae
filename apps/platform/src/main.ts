import { exitOnStartupError, startEmbeddedGatewayFromEnv, startGatewayFromEnv } from '@interlink/gateway';

// `npm start`: the realtime gateway with its demo page, development sign-in and the two-way echo
// upstream, on embedded in-memory defaults (NATS_URL and REDIS_URL switch to the real services).
// With NODE_ENV=production: the production gateway configured only from the environment (JWT keys,
// service keyring, NATS and Redis required, no demo; see packages/gateway's README, "Production").
// The variables are @interlink/gateway's one schema, the same apps/gateway reads.
// The reference services of seeds 000, 001, 002 and 004 will join this process as they are built.
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    const { url, gateway } = await startGatewayFromEnv(process.env);
    gateway.logger.info({ address: url }, 'platform listening (production gateway)');
    return;
  }
  // A ConfigError reaches exitOnStartupError below: exit 78 with every bad variable named.
  const { url, gateway } = await startEmbeddedGatewayFromEnv(process.env, { serviceName: 'platform' });
  gateway.logger.info({ address: url, demo: `${url}/demo/` }, 'platform listening');
}

main().catch((error: unknown) => exitOnStartupError(error, 'platform'));
