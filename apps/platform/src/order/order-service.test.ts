import { randomUUID } from 'node:crypto';
import { orderServiceContract } from '@interlink/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { itRefusesBadPathIds, refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';

const { tenants: T, users: U, orders: O, events: E, ticketTypes: TT, orderItems: I, tickets: K } = DEMO;
const acme = { tenantId: T.acme };
const globex = { tenantId: T.globex };

const platform = useTestPlatform();
const orders = (caller: string) => platform.client(caller, 'order', orderServiceContract);
const get = (path: string) =>
  platform.raw('order', { caller: 'payment-service', method: 'GET', path, ...acme });

describe('order-service: every endpoint answers its contract (checked by the typed client)', () => {
  it('GET /internal/orders/:orderId', async () => {
    const answer = await orders('payment-service').getOrder({ params: { orderId: O.acmeConfirmed } }, acme);
    expect(answer.order).toMatchObject({
      id: O.acmeConfirmed,
      orderNumber: 'ACME-0001',
      userId: U.acmeBuyer,
      eventId: E.acmeRock,
      status: 'CONFIRMED',
      totalCents: 8000,
      currency: 'USD',
    });
    expect(answer.items).toEqual([
      { id: I.acmeConfirmed, ticketTypeId: TT.acmeRockGa, quantity: 2, unitPriceCents: 4000 },
    ]);
  });

  it('GET /internal/orders/:orderId/items carries the issued ticket', async () => {
    const answer = await orders('blockchain-service').getOrderItems(
      { params: { orderId: O.acmeConfirmed } },
      acme,
    );
    expect(answer).toEqual({
      orderId: O.acmeConfirmed,
      items: [{ id: I.acmeConfirmed, ticketTypeId: TT.acmeRockGa, quantity: 2, ticketId: K.acmeMinted }],
    });
  });

  it('GET /internal/orders/without-tickets finds the paid order that never got tickets', async () => {
    const answer = await orders('payment-service').getOrdersWithoutTickets(
      { query: { minutesOld: 5 } },
      acme,
    );
    expect(answer.orders.map((o) => o.id)).toEqual([O.acmePaidWithoutTickets]);
    expect(answer.count).toBe(1);
    // Paid an hour ago: not yet "old" for a two-hour threshold.
    const older = await orders('payment-service').getOrdersWithoutTickets(
      { query: { minutesOld: 120 } },
      acme,
    );
    expect(older).toEqual({ orders: [], count: 0 });
  });

  it('GET /internal/orders/:orderId/for-payment says why a confirmed order cannot be paid', async () => {
    const answer = await orders('payment-service').getOrderForPayment(
      { params: { orderId: O.acmeConfirmed } },
      acme,
    );
    expect(answer.order).toMatchObject({ paymentIntentId: 'pi_demo_0001', version: 1 });
    expect(answer.paymentContext).toEqual({
      itemCount: 1,
      ticketCount: 2,
      canProcessPayment: false,
      isExpired: false,
      validationErrors: ['Order is CONFIRMED'],
    });
  });

  it('for-payment of a pending order that has expired', async () => {
    const id = randomUUID();
    await platform.sql(
      'order',
      `INSERT INTO orders (id, tenant_id, order_number, user_id, event_id, status, total_cents, expires_at)
       VALUES ($1, $2, 'ACME-T-1', $3, $4, 'pending', 5000, now() - interval '1 minute')`,
      [id, T.acme, U.acmeBuyer, E.acmeRock],
    );
    await platform.sql(
      'order',
      `INSERT INTO order_items (id, tenant_id, order_id, ticket_type_id, quantity, unit_price_cents)
       VALUES ($1, $2, $3, $4, 1, 5000)`,
      [randomUUID(), T.acme, id, TT.acmeRockGa],
    );
    const answer = await orders('payment-service').getOrderForPayment({ params: { orderId: id } }, acme);
    expect(answer.paymentContext).toMatchObject({
      canProcessPayment: false,
      isExpired: true,
      validationErrors: ['Order has expired'],
    });
  });
});

describe('order-service: refusals', () => {
  it.each([
    ['501', 'limit=501'],
    ['0', 'limit=0'],
    ['-1', 'limit=-1'],
    ['a string', 'limit=many'],
  ])('without-tickets with limit %s is a 400', async (_name, query) => {
    const answer = await get(`/internal/orders/without-tickets?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('ERR_VALIDATION');
  });

  it('without-tickets with limit 500 is answered', async () => {
    expect((await get('/internal/orders/without-tickets?limit=500')).status).toBe(200);
  });

  itRefusesBadPathIds(platform, 'order', 'payment-service', [
    ['not a UUID', '/internal/orders/ACME-0001'],
    ['an encoded slash', '/internal/orders/..%2f..%2fadmin/items'],
    ['UUID-shaped with dots', `/internal/orders/..${O.acmeConfirmed.slice(2)}/for-payment`],
  ]);

  it('an unknown order is a 404 problem', async () => {
    const problem = await refusal(
      orders('payment-service').getOrder({ params: { orderId: randomUUID() } }, acme),
    );
    expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
  });

  it('callers outside the permission map, unsigned and replayed requests are refused', async () => {
    const forbidden = await refusal(
      orders('blockchain-service').getOrdersWithoutTickets({ query: { limit: 5 } }, acme),
    );
    expect(forbidden).toMatchObject({ status: 403, code: 'ERR_PERMISSION_DENIED' });
    const unsigned = await platform.raw('order', {
      method: 'GET',
      path: `/internal/orders/${O.acmeConfirmed}`,
      ...acme,
    });
    expect(unsigned.status).toBe(401);
    const first = await get(`/internal/orders/${O.acmeConfirmed}`);
    const replay = await platform.raw('order', {
      method: 'GET',
      path: `/internal/orders/${O.acmeConfirmed}`,
      reuseSignature: first.signature,
      ...acme,
    });
    expect(replay.status).toBe(401);
  });

  it("a caller of one tenant never sees another tenant's orders", async () => {
    const problems = await Promise.all(
      [
        orders('payment-service').getOrder({ params: { orderId: O.acmeConfirmed } }, globex),
        orders('blockchain-service').getOrderItems({ params: { orderId: O.acmeConfirmed } }, globex),
        orders('payment-service').getOrderForPayment({ params: { orderId: O.acmeConfirmed } }, globex),
      ].map(refusal),
    );
    for (const problem of problems) expect(problem).toMatchObject({ status: 404 });
    const orphans = await orders('payment-service').getOrdersWithoutTickets({}, globex);
    expect(orphans).toEqual({ orders: [], count: 0 });
  });
});
