import { randomBytes } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import { natsUrl, redisUrl } from '../brokers/broker-urls.js';
import { deleteGatewayState } from '../brokers/delete-gateway-state.js';
import { uniqueId } from '../names/unique-name.js';
import { type MainProcess, runWithSharedVariables } from './spawn-main.js';

// What apps/gateway's and apps/platform's main.test.ts both prove: the two mains run the same
// production gateway from the same variables, so the same checks hold for each.

/** A secret a production start accepts (32 random bytes), never a well-known default. */
export const strongSecret = (): string => randomBytes(32).toString('base64url');

/** What a main test owns on the brokers: its JetStream stream, subject prefix and Redis key prefix. */
export interface GatewayMainNames {
  stream: string;
  subjectPrefix: string;
  redisPrefix: string;
}

/**
 * Names of this test file's own (`gatewayMainNames('gwmain')` -> stream `GWMAIN_3f9a0c1d`, subjects
 * `gwmain3f9a0c1d.*`, keys `gwmain:3f9a0c1d:*`), whose Redis keys and streams are deleted after all
 * its tests; call it at the top of the file, so its clean-up runs after the file's own afterAll.
 */
export function gatewayMainNames(tag: string): GatewayMainNames {
  const id = uniqueId();
  const names = {
    stream: `${tag.toUpperCase()}_${id}`,
    subjectPrefix: `${tag}${id}`,
    redisPrefix: `${tag}:${id}:`,
  };
  afterAll(() => deleteGatewayState({ redisPrefix: names.redisPrefix, streams: [names.stream] }));
  return names;
}

/**
 * A valid production gateway environment on the test brokers, under the test's own names: JWKS
 * verification, one strong service key, explicit CORS origins. What one main needs on top (a
 * metrics token or port, an upstream) the test adds.
 */
export function productionGatewayEnv(names: GatewayMainNames): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NATS_URL: natsUrl,
    REDIS_URL: redisUrl,
    GATEWAY_STREAM: names.stream,
    GATEWAY_SUBJECT_PREFIX: names.subjectPrefix,
    GATEWAY_REDIS_PREFIX: names.redisPrefix,
    CORS_ORIGINS: 'https://app.example',
    JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
    JWT_ISSUER: 'https://id.example',
    JWT_AUDIENCE: 'gateway',
    SERVICE_KEYS: JSON.stringify([
      { keyId: 'orders-1', service: 'orders', alg: 'hmac-sha256', secret: strongSecret() },
    ]),
  };
}

/**
 * Checks a main started with {@link productionGatewayEnv}: `/health` and `/ready` answer 200, the
 * demo is not served, an unsigned internal publish is refused (the route is there, behind
 * signatures), and SIGTERM ends the process with exit code 0.
 */
export async function expectProductionGateway(main: MainProcess): Promise<void> {
  const address = await main.address;
  expect((await fetch(`${address}/health`)).status).toBe(200);
  expect((await fetch(`${address}/ready`)).status).toBe(200);
  expect((await fetch(`${address}/demo/`)).status).toBe(404);
  const unsigned = await fetch(`${address}/internal/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId: 't1', type: 'x', data: null }),
  });
  expect(unsigned.status).toBe(401);
  expect(await main.stop()).toBe(0);
}

/**
 * Checks that a main takes `LOG_LEVEL`, `SHUTDOWN_TIMEOUT_MS` and `GATEWAY_REDIS_PREFIX` from the
 * schema both apps read ({@link runWithSharedVariables} runs it with them set).
 */
export async function expectSharedVariablesTaken(
  start: (env: Record<string, string>) => MainProcess,
  prefix: string,
): Promise<void> {
  const run = await runWithSharedVariables(start, { redisUrl, prefix });
  // GATEWAY_REDIS_PREFIX: the per-IP rate limit counted the token request in Redis under the prefix.
  expect(run.tokenStatus).toBe(401);
  expect(run.keysUnderPrefix).not.toEqual([]);
  // SHUTDOWN_TIMEOUT_MS: the held request was cut after 100 ms, not 30 s, and the exit is clean.
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain('shutdown timeout reached');
  // LOG_LEVEL=warn: not one info line (pino level 30), not even the "listening" line.
  expect(run.stdout).not.toMatch(/"level":30/);
}
