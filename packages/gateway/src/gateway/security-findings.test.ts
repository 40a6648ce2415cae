import { createTestGateways, issueStreamToken, openStream } from '@interlink/testing/gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { createDevUserTokens } from '../auth/dev-user-tokens.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { createGateway } from './create-gateway.js';

// One regression test per seed 003 finding the gateway closes; ARCHITECTURE.md numbers them.
const gateways = createTestGateways();

afterEach(() => gateways.close());

describe('seed 003 security findings', () => {
  it('#1/#2: no hard-coded signing key: dev tokens use a per-process random key and are refused in production', async () => {
    const one = createDevUserTokens();
    const other = createDevUserTokens();
    const token = await one.mint({ userId: 'u1', tenantId: 't1' });
    await expect(one.verifyUserToken(token)).resolves.toMatchObject({ userId: 'u1', tenantId: 't1' });
    await expect(other.verifyUserToken(token)).rejects.toThrow();
    expect(() => createDevUserTokens({ production: true })).toThrow(/refused in production/);
  });

  it('#3: CORS needs explicit origins: a wildcard is refused, production without origins is refused', async () => {
    const base = {
      verifyUserToken: createDevUserTokens().verifyUserToken,
      events: await createGatewayEvents(),
    };
    await expect(createGateway({ ...base, corsOrigins: ['*'] })).rejects.toMatchObject({
      code: 'ERR_GATEWAY_CONFIG',
    });
    await expect(
      createGateway({ ...base, service: { production: true, metrics: { token: 'x'.repeat(32) } } }),
    ).rejects.toMatchObject({ code: 'ERR_GATEWAY_CONFIG' });

    const gw = await gateways.start({ corsOrigins: ['https://app.example'] });
    const allowed = await fetch(`${gw.url}/events/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const evil = await fetch(`${gw.url}/events/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('#4: a forged X-Tenant-ID does not change the tenant a stream receives', async () => {
    const gw = await gateways.start();
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const stream = await gateways.open(`${gw.url}/events/stream`, {
      authorization: `Bearer ${jwt}`,
      'x-tenant-id': 'victim',
    });
    await stream.waitForEvents(1, 'connected');
    await gw.events.publish({ subject: 'events.victim', type: 'secret', data: '{}' });
    await gw.events.publish({ subject: 'events.victim.u1', type: 'secret', data: '{}' });
    await gw.events.publish({ subject: 'events.t1', type: 'mine', data: '{}' });
    await stream.waitForEvents(1, 'mine');
    expect(stream.events.map((e) => e.event)).toEqual(['connected', 'mine']);
  });

  it('#5: tokens never reach the logs, in headers, query strings or responses', async () => {
    const gw = await gateways.start();
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const token = await issueStreamToken(gw.url, jwt);
    const stream = await gateways.open(`${gw.url}/events/stream?token=${token}`);
    await stream.waitForEvents(1, 'connected');
    const refused = await openStream(`${gw.url}/events/stream?token=${jwt}`);
    expect(refused.status).toBe(401);
    const logs = gw.logs.join('');
    expect(logs).toContain('/events/stream'); // the requests were logged...
    expect(logs).not.toContain(token.slice(3)); // ...without the stream token
    expect(logs).not.toContain(jwt.split('.')[2]!); // ...or the JWT
  });

  it('#6: /events/token is rate limited per IP before authentication and per user after', async () => {
    const gw = await gateways.start({ rateLimits: { tokenPerIp: 3, tokenPerUser: 100 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await fetch(`${gw.url}/events/token`, { method: 'POST' })).status);
    // Unauthenticated attempts count: the fourth is refused before any token is verified.
    expect(statuses).toEqual([401, 401, 401, 429]);

    const perUser = await gateways.start({
      users: gw.users,
      rateLimits: { tokenPerIp: 100, tokenPerUser: 2 },
    });
    const issue = async (userId: string) =>
      (
        await fetch(`${perUser.url}/events/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${await gw.users.mint({ userId, tenantId: 't1' })}` },
        })
      ).status;
    expect([await issue('u1'), await issue('u1'), await issue('u1')]).toEqual([200, 200, 429]);
    expect(await issue('u2')).toBe(200);
    const limited = await fetch(`${perUser.url}/events/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await gw.users.mint({ userId: 'u1', tenantId: 't1' })}` },
    });
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(((await limited.json()) as { code: string }).code).toBe('ERR_RATE_LIMITED');
  });

  it('#10: streams are cleaned up on close and limited per user', async () => {
    const gw = await gateways.start({ limits: { perUser: 1, perTenant: 10 } });
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const first = await gateways.open(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
    await first.waitForEvents(1, 'connected');
    expect((await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` })).status).toBe(
      429,
    );
    first.close();
    await first.waitFor(() => gw.gateway.connectionCount() === 0, 'cleanup');
    expect(gw.gateway.subscriptionCount()).toBe(0);
  });

  it('#11: a JWT in the query string is refused; only stream tokens are accepted there', async () => {
    const gw = await gateways.start();
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const withJwt = await openStream(`${gw.url}/events/stream?token=${jwt}`);
    expect(withJwt.status).toBe(401);
    expect(JSON.parse(withJwt.body).code).toBe('ERR_GATEWAY_STREAM_TOKEN_INVALID');
    const withGuess = await openStream(`${gw.url}/events/stream?token=st_${'A'.repeat(43)}`);
    expect(withGuess.status).toBe(401);
  });
});
