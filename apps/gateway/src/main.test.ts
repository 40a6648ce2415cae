import {
  expectProductionGateway,
  expectSharedVariablesTaken,
  gatewayMainNames,
  type MainProcess,
  productionGatewayEnv,
  spawnApp,
  strongSecret,
} from '@interlink/testing/spawn';
import { afterAll, describe, expect, it } from 'vitest';

const names = gatewayMainNames('gwmain');
const children: MainProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill();
});

/** `main.ts` in its own process with exactly this environment (plus PATH), as a deployment runs it. */
function start(env: Record<string, string>): MainProcess {
  const main = spawnApp('apps/gateway/src/main.ts', {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  children.push(main);
  return main;
}

describe('apps/gateway/src/main.ts', () => {
  it('refuses a production start with nothing configured, naming every missing variable (exit 78)', async () => {
    const gateway = start({ NODE_ENV: 'production' });
    expect(await gateway.exited).toBe(78);
    const { stderr } = gateway.output();
    for (const variable of [
      'NATS_URL',
      'REDIS_URL',
      'JWT_JWKS_URL, JWT_PUBLIC_KEYS or JWT_SECRET',
      'JWT_ISSUER',
      'JWT_AUDIENCE',
      'SERVICE_KEYS',
      'CORS_ORIGINS',
      'METRICS_TOKEN',
    ]) {
      expect(stderr).toContain(`- ${variable}:`);
    }
    expect(stderr).toMatch(/^Invalid configuration \(8 problems\)/);
  }, 30_000);

  it('refuses insecure production values, naming each variable without printing a secret (exit 78)', async () => {
    const weakSecret = 'short-service-secret';
    // A valid environment with an insecure value in each of these variables.
    const gateway = start({
      ...productionGatewayEnv(names),
      CORS_ORIGINS: '*',
      METRICS_TOKEN: 'your-secret-key',
      JWT_JWKS_URL: 'http://id.example/.well-known/jwks.json',
      SERVICE_KEYS: JSON.stringify([
        { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: weakSecret },
      ]),
      API_UPSTREAM_URL: 'http://orders.internal:3000',
      GATEWAY_SIGNING_KEY_ID: 'gw-1',
      GATEWAY_SIGNING_KEY: 'changeme',
    });
    expect(await gateway.exited).toBe(78);
    const { stderr } = gateway.output();
    expect(stderr).toMatch(/- CORS_ORIGINS: must list explicit origins/);
    expect(stderr).toMatch(/- METRICS_TOKEN: is a well-known default/);
    expect(stderr).toMatch(/- JWT_JWKS_URL: must be an https:\/\/ URL/);
    expect(stderr).toMatch(/- API_UPSTREAM_URL: must be an https:\/\/ URL/);
    expect(stderr).toMatch(/- GATEWAY_SIGNING_KEY: is a well-known default/);
    expect(stderr).toMatch(
      /- SERVICE_KEYS: key orders-1: secret is too short: \d+ bytes, at least 32 bytes needed/,
    );
    expect(stderr).not.toContain(weakSecret);
  }, 30_000);

  it('starts the production gateway from a valid environment, without the demo, and exits 0 on SIGTERM', async () => {
    const gateway = start({
      ...productionGatewayEnv(names),
      METRICS_PORT: '0',
      API_UPSTREAM_URL: 'https://orders.internal',
      GATEWAY_SIGNING_KEY_ID: 'gw-1',
      GATEWAY_SIGNING_KEY: strongSecret(),
    });
    await expectProductionGateway(gateway);
  }, 30_000);

  it('keeps the embedded demo outside production, and exits 78 on its configuration errors too', async () => {
    const demo = start({});
    const address = await demo.address;
    expect((await fetch(`${address}/demo/`)).status).toBe(200);
    expect(await demo.stop()).toBe(0);

    const bad = start({ PORT: 'eighty', GATEWAY_LAYOUT: 'other', LOG_LEVEL: 'loud' });
    expect(await bad.exited).toBe(78);
    const { stderr } = bad.output();
    for (const variable of ['PORT', 'GATEWAY_LAYOUT', 'LOG_LEVEL']) expect(stderr).toContain(variable);
  }, 30_000);

  it('takes LOG_LEVEL, SHUTDOWN_TIMEOUT_MS and GATEWAY_REDIS_PREFIX from the schema apps/platform reads too', async () => {
    await expectSharedVariablesTaken(start, `${names.redisPrefix}env:`);
  }, 30_000);
});
