import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { databaseUrl, natsUrl, redisUrl, typeScriptNodeArgs } from '@interlink/testing';
import { runWithSharedVariables, spawnMain } from '@interlink/testing/spawn';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './db/demo-ids.js';
import { createScratchDatabase, type ScratchDatabase } from './db/scratch-database.js';
import { DATA_SERVICES } from './db/service-names.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NATS_URL = natsUrl;
const REDIS_URL = redisUrl;
const suffix = randomBytes(4).toString('hex');
const stream = `PLATFORM_${suffix}`;
const redisPrefix = `platform:${suffix}:`;
const strong = () => randomBytes(32).toString('base64url');
const SERVER = databaseUrl;
// The five services' schemas and roles go to a database of this file's own on the shared server
// (DATABASE_URL), suffixed; the embedded PostgreSQL is what runs without DATABASE_URL.
let scratch: ScratchDatabase;

afterAll(async () => {
  await scratch?.drop(DATA_SERVICES.map((service) => `${service}_${scratch.suffix}_svc`));
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

beforeAll(async () => {
  scratch = await createScratchDatabase(SERVER);
}, 120_000);

function start(env: Record<string, string>) {
  return spawnMain([...typeScriptNodeArgs, 'apps/platform/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      NODE_ENV: 'development',
      DATABASE_URL: scratch.adminUrl,
      PLATFORM_DB_SUFFIX: scratch.suffix,
      ...env,
    },
  });
}

describe('npm start (apps/platform)', () => {
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
  }, 30_000);

  it('refuses to start on bad configuration, listing every bad variable', async () => {
    const platform = start({ PORT: 'not-a-port', LOG_LEVEL: 'loud' });
    expect(await platform.exited).toBe(78);
    const { stderr } = platform.output();
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it('takes LOG_LEVEL, SHUTDOWN_TIMEOUT_MS and GATEWAY_REDIS_PREFIX from the schema apps/gateway reads too', async () => {
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
    const platform = start({
      NODE_ENV: 'production',
      NATS_URL,
      REDIS_URL,
      GATEWAY_STREAM: stream,
      GATEWAY_SUBJECT_PREFIX: `platform${suffix}`,
      GATEWAY_REDIS_PREFIX: redisPrefix,
      CORS_ORIGINS: 'https://app.example',
      METRICS_TOKEN: strong(),
      JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example',
      JWT_AUDIENCE: 'gateway',
      SERVICE_KEYS: JSON.stringify([
        { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: strong() },
      ]),
    });
    const address = await platform.address;
    expect((await fetch(`${address}/health`)).status).toBe(200);
    expect((await fetch(`${address}/ready`)).status).toBe(200);
    // No development sign-in and no demo in production.
    expect((await fetch(`${address}/demo/`)).status).toBe(404);
    const unsigned = await fetch(`${address}/internal/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 't1', type: 'x', data: null }),
    });
    expect(unsigned.status).toBe(401);
    expect(await platform.stop()).toBe(0);
  }, 30_000);
});
