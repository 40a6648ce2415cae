import { afterEach, describe, expect, it } from 'vitest';
import { loadGatewayEnv } from '../config/gateway-env.js';
import {
  type EmbeddedGateway,
  type EmbeddedGatewayOptions,
  startEmbeddedGateway,
} from '../embedded/start-embedded-gateway.js';
import { embeddedGatewayOptionsFromEnv } from '../embedded/start-embedded-gateway-from-env.js';
import { isLoopbackAddress, isLoopbackHost } from './loopback.js';

const started: EmbeddedGateway[] = [];
afterEach(async () => {
  for (const gw of started.splice(0)) await gw.close();
});

async function start(options: EmbeddedGatewayOptions = {}): Promise<EmbeddedGateway> {
  const gw = await startEmbeddedGateway({
    handleSignals: false,
    ...options,
    gateway: { service: { logLevel: 'silent' } },
  });
  started.push(gw);
  return gw;
}

const signIn = (gw: EmbeddedGateway, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
  gw.gateway.app.inject({
    method: 'POST',
    url: '/demo/sign-in',
    remoteAddress,
    headers,
    payload: { userId: 'd1', tenantId: 'demo' },
  });

describe('the development sign-in', () => {
  it('answers loopback clients only', async () => {
    const gw = await start();
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect((await signIn(gw, address)).statusCode, address).toBe(200);
    }
    for (const address of ['10.1.2.3', '192.168.1.20', '::ffff:10.0.0.1', '2001:db8::1', '128.0.0.1']) {
      const refused = await signIn(gw, address);
      expect(refused.statusCode, address).toBe(403);
      expect(refused.json().code).toBe('ERR_GATEWAY_SIGN_IN_REFUSED');
    }
  });

  it('refuses a remote client forwarded by a trusted proxy on this machine', async () => {
    const gw = await startEmbeddedGateway({
      handleSignals: false,
      gateway: { service: { logLevel: 'silent', trustProxy: '127.0.0.1' } },
    });
    started.push(gw);
    expect((await signIn(gw, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(403);
    expect((await signIn(gw, '127.0.0.1')).statusCode).toBe(200);
  });

  it('is rate limited: 429 with retry-after past 30 a minute', async () => {
    const gw = await start();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await signIn(gw)).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await signIn(gw);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().code).toBe('ERR_RATE_LIMITED');
  });

  it('is off when the gateway listens beyond loopback, unless GATEWAY_DEMO_SIGN_IN=on', async () => {
    const open = await start({ host: '0.0.0.0' });
    expect((await signIn(open)).statusCode).toBe(404);
    expect((await open.gateway.app.inject({ method: 'GET', url: '/demo/' })).statusCode).toBe(200);
    const forced = await start({ host: '0.0.0.0', demoSignIn: 'on' });
    expect((await signIn(forced)).statusCode).toBe(200);
    expect((await signIn(forced, '10.1.2.3')).statusCode).toBe(403);
    const off = await start({ demoSignIn: 'off' });
    expect((await signIn(off)).statusCode).toBe(404);
  });

  it('reads GATEWAY_DEMO_SIGN_IN from the environment, and refuses other values', () => {
    expect(embeddedGatewayOptionsFromEnv(loadGatewayEnv({ env: {} })).demoSignIn).toBe('auto');
    const env = loadGatewayEnv({ env: { GATEWAY_DEMO_SIGN_IN: 'on', HOST: '0.0.0.0' } });
    expect(embeddedGatewayOptionsFromEnv(env)).toMatchObject({ demoSignIn: 'on', host: '0.0.0.0' });
    expect(() => loadGatewayEnv({ env: { GATEWAY_DEMO_SIGN_IN: 'yes' } })).toThrow(/GATEWAY_DEMO_SIGN_IN/);
  });

  it('tells loopback listen addresses from the others', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com'])
      expect(isLoopbackHost(host), host).toBe(false);
    expect(isLoopbackAddress(undefined)).toBe(false);
    expect(isLoopbackAddress('not an address')).toBe(false);
  });
});
