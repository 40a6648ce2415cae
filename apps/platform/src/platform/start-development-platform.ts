import { type EmbeddedGateway, loadGatewayEnv, startEmbeddedGatewayFromEnv } from '@interlink/gateway';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { preparePlatformDatabases } from '../db/prepare-platform-databases.js';
import { createDevKeyring, trustCallerKeys } from '../service/dev-keyring.js';
import { type PlatformServices, startPlatformServices } from './start-platform-services.js';

export interface DevelopmentPlatform {
  gateway: EmbeddedGateway;
  services: PlatformServices;
  /** The callers trusted through `SERVICE_KEYS`, beside the development keyring's own. */
  trustedCallers: string[];
  /** Closes the gateway, then the five services, then the embedded PostgreSQL (if one was started). */
  close(): Promise<void>;
}

const SUFFIX = /^[a-z0-9_]{1,16}$/;

/**
 * `npm start` outside production: the embedded gateway and the five data services in this process,
 * on an embedded PostgreSQL (or `DATABASE_URL`), with the demo data and a development keyring made
 * now (refused in production). Variables: the gateway's, plus `DATABASE_URL`,
 * `PLATFORM_DB_SUFFIX` (appended to schema and role names so several platforms can share a server)
 * and `SERVICE_KEYS` (callers from outside the process, e.g. the read-only `operator`: {@link trustCallerKeys}).
 */
export async function startDevelopmentPlatform(
  env: Record<string, string | undefined> = process.env,
): Promise<DevelopmentPlatform> {
  // Configuration first: a bad variable stops the start before any database or port is taken.
  const gatewayEnv = loadGatewayEnv({ env });
  const keys = createDevKeyring();
  const trustedCallers = env.SERVICE_KEYS ? trustCallerKeys(keys, env.SERVICE_KEYS) : [];
  const suffix = env.PLATFORM_DB_SUFFIX;
  if (suffix !== undefined && !SUFFIX.test(suffix)) {
    throw new Error('PLATFORM_DB_SUFFIX must be 1 to 16 lower-case letters, digits or _');
  }
  let postgres: EmbeddedPostgresServer | undefined;
  let services: PlatformServices | undefined;
  try {
    postgres = env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
    const databases = await preparePlatformDatabases({
      adminUrl: env.DATABASE_URL ?? postgres!.url,
      demoData: true,
      ...(suffix ? { suffix } : {}),
    });
    services = await startPlatformServices({
      databases,
      keyring: keys.keyring,
      signerFor: keys.signerFor,
      logLevel: gatewayEnv.LOG_LEVEL,
      shutdownTimeoutMs: gatewayEnv.SHUTDOWN_TIMEOUT_MS,
    });
    const gateway = await startEmbeddedGatewayFromEnv(env, { serviceName: 'platform', handleSignals: false });
    const started = services;
    return {
      gateway,
      services: started,
      trustedCallers,
      async close() {
        await gateway.close();
        await started.close();
        await postgres?.stop();
      },
    };
  } catch (error) {
    await services?.close();
    await postgres?.stop();
    throw error;
  }
}
