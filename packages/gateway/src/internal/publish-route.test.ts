import { randomBytes } from 'node:crypto';
import { openStream, startTestGateway, type TestGateway } from '@interlink/testing/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceTokenAuthenticator } from '../auth/service-token-authenticator.js';

const publisherToken = randomBytes(32).toString('base64url');
const readerToken = randomBytes(32).toString('base64url');
let gw: TestGateway;

beforeAll(async () => {
  const publisher = createServiceTokenAuthenticator({
    token: publisherToken,
    service: 'orders',
    permissions: ['events:publish'],
  });
  const reader = createServiceTokenAuthenticator({ token: readerToken, service: 'reports', permissions: [] });
  gw = await startTestGateway({
    authenticateService: async (request, readBody) =>
      request.headers.authorization === `Bearer ${readerToken}`
        ? reader(request, readBody)
        : publisher(request, readBody),
  });
});

afterAll(async () => {
  await gw.close();
});

const post = (body: unknown, token = publisherToken) =>
  fetch(`${gw.url}/internal/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /internal/events', () => {
  it('publishes to one user or a whole tenant and answers 202 with the event id', async () => {
    const jwt = await gw.users.mint({ userId: 'u1', tenantId: 't1' });
    const stream = await openStream(`${gw.url}/events/stream`, { authorization: `Bearer ${jwt}` });
    await stream.waitForEvents(1, 'connected');
    const toUser = await post({ tenantId: 't1', userId: 'u1', type: 'order.paid', data: { orderId: 'o1' } });
    expect(toUser.status).toBe(202);
    const { id } = (await toUser.json()) as { id: string };
    const toTenant = await post({ tenantId: 't1', type: 'maintenance', data: { at: 'noon' } });
    expect(toTenant.status).toBe(202);
    const [paid] = await stream.waitForEvents(1, 'order.paid');
    expect(paid!.id).toBe(id);
    expect(JSON.parse(paid!.data)).toEqual({ orderId: 'o1' });
    await stream.waitForEvents(1, 'maintenance');
    stream.close();
  });

  it('needs an authenticated service with events:publish', async () => {
    const none = await fetch(`${gw.url}/internal/events`, { method: 'POST' });
    expect(none.status).toBe(401);
    const wrong = await post({ tenantId: 't1', type: 'x', data: {} }, 'not-the-token');
    expect(wrong.status).toBe(401);
    const reader = await post({ tenantId: 't1', type: 'x', data: {} }, readerToken);
    expect(reader.status).toBe(403);
    expect(((await reader.json()) as { code: string }).code).toBe('ERR_FORBIDDEN');
  });

  it('refuses ids and types the bus cannot carry, and malformed bodies', async () => {
    for (const body of [
      { tenantId: 't1.*', type: 'x', data: {} },
      { tenantId: 't1', userId: 'u1.>', type: 'x', data: {} },
      { tenantId: 't1', userId: 'u 1', type: 'x', data: {} },
      // The bus's rules: one word each, no tenant starting with `_`, no user `_` ("no user").
      { tenantId: '_t1', type: 'x', data: {} },
      { tenantId: 't1', userId: '_', type: 'x', data: {} },
      { tenantId: 't1', userId: 'u@example.com', type: 'x', data: {} },
      { tenantId: 't1', type: 'order:paid', data: {} },
      { tenantId: 't1', type: 'order..paid', data: {} },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_GATEWAY_EVENT_INVALID');
    }
    const noType = await post({ tenantId: 't1', data: {} });
    expect(((await noType.json()) as { code: string }).code).toBe('ERR_VALIDATION');
    const huge = await post({ tenantId: 't1', type: 'x', data: 'x'.repeat(70_000) });
    expect(((await huge.json()) as { code: string }).code).toBe('ERR_GATEWAY_EVENT_INVALID');
  });
});

describe('createServiceTokenAuthenticator', () => {
  it('refuses a service token under 32 characters with a coded error naming the option', () => {
    expect(() =>
      createServiceTokenAuthenticator({
        token: 'short',
        service: 'order-service',
        permissions: ['events:publish'],
      }),
    ).toThrow(
      expect.objectContaining({ code: 'ERR_GATEWAY_CONFIG', message: expect.stringMatching(/token/) }),
    );
  });
});
