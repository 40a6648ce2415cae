import { exitOnStartupError, startGatewayFromEnv } from '@interlink/gateway';
import { startDevelopmentPlatform } from './platform/start-development-platform.js';

// `npm start`: the realtime gateway with its demo page, development sign-in and the two-way echo
// upstream, plus the five data services of seed 004 (ticket, auth, order, event, venue), each on
// its own loopback port with its own Fastify instance, on an embedded PostgreSQL with demo data
// (DATABASE_URL switches to a real one) and a development keyring made at start-up. SERVICE_KEYS
// adds callers from outside the process (the read-only `operator` of a CLI or a test: docs/platform.md).
// With NODE_ENV=production: the production gateway configured only from the environment; the
// services are deployed as their own processes there (node dist/<service>/main.js, docs/platform.md).
async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    const { url, gateway } = await startGatewayFromEnv(process.env);
    gateway.logger.info({ address: url }, 'platform listening (production gateway)');
    return;
  }
  // A ConfigError reaches exitOnStartupError below: exit 78 with every bad variable named.
  const platform = await startDevelopmentPlatform(process.env);
  const { url, gateway } = platform.gateway;
  gateway.logger.info(
    {
      address: url,
      demo: `${url}/demo/`,
      services: platform.services.urls,
      trustedCallers: platform.trustedCallers,
    },
    'platform listening',
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    gateway.logger.info({ signal }, 'signal received');
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => exitOnStartupError(error, 'platform'));
