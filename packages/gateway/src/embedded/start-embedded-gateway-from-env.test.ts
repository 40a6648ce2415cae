import { describe, expect, it } from 'vitest';
import { loadGatewayEnv } from '../config/gateway-env.js';
import { embeddedGatewayOptionsFromEnv } from './start-embedded-gateway-from-env.js';

// The one mapping both apps' mains use; each app's main.test.ts checks the same variables end to end.
describe('embeddedGatewayOptionsFromEnv', () => {
  it('gives every variable to the option it names, including those an app once ignored', () => {
    const env = loadGatewayEnv({
      env: {
        PORT: '4100',
        REDIS_URL: 'redis://redis.test:6379',
        GATEWAY_REDIS_PREFIX: 'tenant-a:gw:',
        NATS_URL: 'nats://nats.test:4222',
        GATEWAY_STREAM: 'S1',
        GATEWAY_LAYOUT: 'bus',
        GATEWAY_ENTITY_EVENT_TYPES: 'created, archived',
        LOG_LEVEL: 'debug',
        SHUTDOWN_TIMEOUT_MS: '5000',
        CORS_ORIGINS: 'https://a.example, https://b.example',
        METRICS_PORT: '9464',
        GATEWAY_DEMO_SIGN_IN: 'off',
      },
    });
    expect(embeddedGatewayOptionsFromEnv(env, { serviceName: 'platform' })).toEqual({
      port: 4100,
      host: '127.0.0.1',
      demoSignIn: 'off',
      natsUrl: 'nats://nats.test:4222',
      stream: 'S1',
      layout: 'bus',
      entityEventTypes: ['created', 'archived'],
      redisUrl: 'redis://redis.test:6379',
      redisPrefix: 'tenant-a:gw:',
      gateway: {
        subjectPrefix: 'events',
        corsOrigins: ['https://a.example', 'https://b.example'],
        service: {
          name: 'platform',
          logLevel: 'debug',
          shutdownTimeoutMs: 5000,
          metrics: { port: 9464 },
        },
      },
    });
  });

  it('keeps memory and the defaults when nothing is set', () => {
    expect(embeddedGatewayOptionsFromEnv(loadGatewayEnv({ env: {} }))).toEqual({
      port: 3000,
      host: '127.0.0.1',
      demoSignIn: 'auto',
      gateway: {
        subjectPrefix: 'events',
        service: { logLevel: 'info', shutdownTimeoutMs: 30_000, metrics: {} },
      },
    });
  });

  it('refuses an unknown LOG_LEVEL or a negative SHUTDOWN_TIMEOUT_MS, naming both', () => {
    expect(() => loadGatewayEnv({ env: { LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '-1' } })).toThrow(
      /LOG_LEVEL[\s\S]*SHUTDOWN_TIMEOUT_MS|SHUTDOWN_TIMEOUT_MS[\s\S]*LOG_LEVEL/,
    );
  });

  it('refuses entity event types that are not single subject tokens, naming the variable', () => {
    for (const value of ['order.created', 'a,,b', '*', 'a b']) {
      expect(() => loadGatewayEnv({ env: { GATEWAY_ENTITY_EVENT_TYPES: value } })).toThrow(
        expect.objectContaining({
          code: 'ERR_CONFIG_INVALID',
          issues: [expect.objectContaining({ variable: 'GATEWAY_ENTITY_EVENT_TYPES' })],
        }),
      );
    }
  });
});
