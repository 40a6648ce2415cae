import { databaseUrl } from '@interlink/testing';
import {
  expectProductionGateway,
  expectSharedVariablesTaken,
  gatewayMainNames,
  productionGatewayEnv,
  spawnApp,
  strongSecret,
} from '@interlink/testing/spawn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './db/demo-ids.js';
import { platformRoles } from './db/platform-scratch.test.helper.js';
import { createScratchDatabase, type ScratchDatabase } from './db/scratch-database.js';
import { DATA_SERVICES } from './db/service-names.js';

const names = gatewayMainNames('platform');
// The five services' schemas and roles go to a database of this file's own on the shared server
// (DATABASE_URL), suffixed; the embedded PostgreSQL is what runs without DATABASE_URL.
let scratch: ScratchDatabase;

afterAll(async () => {
  if (scratch) await scratch.drop(platformRoles(scratch));
});

beforeAll(async () => {
  scratch = await createScratchDatabase(databaseUrl);
}, 120_000);

function start(env: Record<string, string>) {
  return spawnApp('apps/platform/src/main.ts', {
    ...process.env,
    PORT: '0',
    NODE_ENV: 'development',
    DATABASE_URL: scratch.adminUrl,
    PLATFORM_DB_SUFFIX: scratch.suffix,
    ...env,
  });
}

// Each test starts the platform (an embedded PostgreSQL, five services and the gateway) in a child
// process: a minute leaves room for a busy 2-core machine.
describe('npm start (apps/platform)', { timeout: 60_000 }, () => {
  it('answers /health and /ready, and exits 0 on SIGTERM', async () => {
    const platform = start({});
    const address = await platform.address;
    expect((await fetch(`${address}/health`)).status).toBe(200);
    const ready = await fetch(`${address}/ready`);
    expect(ready.status).toBe(200);
    expect(await platform.stop()).toBe(0);
  });

  it('runs the five data services beside the gateway, each on its own port, signed calls only', async () => {
    const platform = start({});
    await platform.address;
    const line = platform
      .output()
      .stdout.split('\n')
      .find((l) => l.includes('"services"'));
    const services = JSON.parse(line ?? '{}').services as Record<string, string>;
    expect(Object.keys(services).sort()).toEqual([...DATA_SERVICES].sort());
    expect(new Set(Object.values(services)).size).toBe(5);
    for (const url of Object.values(services)) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/ready`)).status).toBe(200);
    }
    const unsigned = await fetch(`${services.ticket}/internal/tickets/${DEMO.tickets.acmeMinted}/status`, {
      headers: { 'x-tenant-id': DEMO.tenants.acme },
    });
    expect(unsigned.status).toBe(401);
    expect(await platform.stop()).toBe(0);
  });

  it('refuses to start on bad configuration, listing every bad variable', async () => {
    const platform = start({ PORT: 'not-a-port', LOG_LEVEL: 'loud' });
    expect(await platform.exited).toBe(78);
    const { stderr } = platform.output();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it('takes LOG_LEVEL, SHUTDOWN_TIMEOUT_MS and GATEWAY_REDIS_PREFIX from the schema apps/gateway reads too', async () => {
    await expectSharedVariablesTaken(start, `${names.redisPrefix}env:`);
  });

  it('serves the demo page', async () => {
    const platform = start({});
    const address = await platform.address;
    const page = await fetch(`${address}/demo/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await platform.stop()).toBe(0);
  });

  it('refuses to start in production without a metrics token, naming the variable', async () => {
    const platform = start({ NODE_ENV: 'production' });
    expect(await platform.exited).toBe(78);
    expect(platform.output().stderr).toContain('METRICS_TOKEN');
  });

  it('runs the production gateway in production: health, readiness, no demo, signed internal publishing', async () => {
    const platform = start({ ...productionGatewayEnv(names), METRICS_TOKEN: strongSecret() });
    // No development sign-in and no demo in production.
    await expectProductionGateway(platform);
  });
});
