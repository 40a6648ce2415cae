import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type MainProcess, runWithSharedVariables, spawnMain } from '@interlink/gateway/internal/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const suffix = randomBytes(4).toString('hex');
const stream = `GWMAIN_${suffix}`;
const redisPrefix = `gwmain:${suffix}:`;
const children: MainProcess[] = [];
const strong = () => randomBytes(32).toString('base64url');

afterAll(async () => {
  for (const child of children) child.kill();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  const nc = await connect({ servers: NATS_URL });
  const jsm = await jetstreamManager(nc);
  // The bus's NATS transport made the dead-letter stream beside the events.
  for (const name of [stream, `${stream}_DLQ`]) await jsm.streams.delete(name).catch(() => undefined);
  await nc.close();
});

/** `main.ts` in its own process with exactly this environment (plus PATH), as a deployment runs it. */
function start(env: Record<string, string>): MainProcess {
  const main = spawnMain(['--conditions=interlink:source', '--import', 'tsx', 'apps/gateway/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
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
    const gateway = start({
      NODE_ENV: 'production',
      NATS_URL,
      REDIS_URL,
      CORS_ORIGINS: '*',
      METRICS_TOKEN: 'your-secret-key',
      JWT_JWKS_URL: 'http://id.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'gateway',
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
    expect(stderr).toMatch(/- SERVICE_KEYS: key orders-1: secret must be at least 32 bytes/);
    expect(stderr).not.toContain(weakSecret);
  }, 30_000);

  it('starts the production gateway from a valid environment, without the demo, and exits 0 on SIGTERM', async () => {
    const gateway = start({
      NODE_ENV: 'production',
      NATS_URL,
      REDIS_URL,
      GATEWAY_STREAM: stream,
      GATEWAY_SUBJECT_PREFIX: `gwmain${suffix}`,
      GATEWAY_REDIS_PREFIX: redisPrefix,
      CORS_ORIGINS: 'https://app.example',
      METRICS_PORT: '0',
      JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'gateway',
      SERVICE_KEYS: JSON.stringify([
        { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: strong() },
      ]),
      API_UPSTREAM_URL: 'https://orders.internal',
      GATEWAY_SIGNING_KEY_ID: 'gw-1',
      GATEWAY_SIGNING_KEY: strong(),
    });
    const address = await gateway.address;
    expect((await fetch(`${address}/health`)).status).toBe(200);
    expect((await fetch(`${address}/ready`)).status).toBe(200);
    expect((await fetch(`${address}/demo/`)).status).toBe(404);
    // An unsigned publish is refused: the route is there, behind signatures.
    const unsigned = await fetch(`${address}/internal/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 't1', type: 'x', data: null }),
    });
    expect(unsigned.status).toBe(401);
    expect(await gateway.stop()).toBe(0);
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
    const run = await runWithSharedVariables(start, { redisUrl: REDIS_URL, prefix: `${redisPrefix}env:` });
    // GATEWAY_REDIS_PREFIX: the per-IP rate limit counted the token request in Redis under the prefix.
    expect(run.tokenStatus).toBe(401);
    expect(run.keysUnderPrefix).not.toEqual([]);
    // SHUTDOWN_TIMEOUT_MS: the held request was cut after 100 ms, not 30 s, and the exit is clean.
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('shutdown timeout reached');
    // LOG_LEVEL=warn: not one info line (pino level 30), not even the "listening" line.
    expect(run.stdout).not.toMatch(/"level":30/);
  }, 30_000);
});
