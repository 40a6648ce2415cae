import { deleteGatewayState, natsUrl, redisUrl, uniqueId } from '@interlink/testing';
import { issueStreamToken, openStream } from '@interlink/testing/gateway';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGatewayEnv } from '../config/gateway-env.js';
import { type EmbeddedGateway, startEmbeddedGateway } from './start-embedded-gateway.js';

const suffix = uniqueId();
const redis = new Redis(redisUrl);
const redisPrefix = `gwtest:${suffix}:`;
const started: EmbeddedGateway[] = [];

afterAll(async () => {
  for (const gw of started) await gw.close();
  redis.disconnect();
  await deleteGatewayState({ redisPrefix, streams: [`GWEMB_${suffix}`] });
});

describe('startEmbeddedGateway', () => {
  it('runs on memory by default: demo page, dev sign-in, internal publish', async () => {
    const gw = await startEmbeddedGateway({
      handleSignals: false,
      gateway: { service: { logLevel: 'warn' } },
    });
    started.push(gw);
    const page = await fetch(`${gw.url}/demo/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const signIn = await fetch(`${gw.url}/demo/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'd1', tenantId: 'demo' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const stream = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${token}` });
    await stream.waitForEvents(1, 'connected');
    const published = await fetch(`${gw.url}/internal/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.serviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: 'demo', type: 'hello', data: { hi: true } }),
    });
    expect(published.status).toBe(202);
    await stream.waitForEvents(1, 'hello');
    stream.close();
  });

  it('runs the same code on NATS JetStream and Redis when given their URLs', async () => {
    const gw = await startEmbeddedGateway({
      handleSignals: false,
      natsUrl,
      stream: `GWEMB_${suffix}`,
      redisUrl,
      redisPrefix,
      gateway: { subjectPrefix: `gwemb${suffix}`, service: { logLevel: 'warn' } },
    });
    started.push(gw);
    const jwt = await gw.users.mint({ userId: 'd1', tenantId: 'demo' });
    const token = await issueStreamToken(gw.url, jwt);
    expect(await redis.keys(`${redisPrefix}st:*`)).toHaveLength(1);
    const stream = await openStream(`${gw.url}/events/stream?token=${token}`);
    await stream.waitForEvents(1, 'connected');
    await fetch(`${gw.url}/api/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'round trip' }),
    });
    const [echo] = await stream.waitForEvents(1, 'echo');
    expect(JSON.parse(echo!.data).message).toBe('round trip');
    expect(echo!.id).toMatch(/^[0-9a-z]+:1$/); // a JetStream sequence, not the memory source's
    stream.close();
  });

  it('reads its configuration from the environment and refuses unsafe values in production', () => {
    expect(loadGatewayEnv({ env: {} })).toMatchObject({ PORT: 3000, GATEWAY_LAYOUT: 'gateway' });
    expect(() =>
      loadGatewayEnv({ env: { CORS_ORIGINS: '*', METRICS_TOKEN: 'secret' }, production: true }),
    ).toThrow(/CORS_ORIGINS[\s\S]*METRICS_TOKEN|METRICS_TOKEN[\s\S]*CORS_ORIGINS/);
  });

  it('refuses to start in production', async () => {
    await expect(startEmbeddedGateway({ production: true })).rejects.toMatchObject({
      code: 'ERR_GATEWAY_CONFIG',
      message: expect.stringMatching(/production/),
    });
  });
});
