import { randomUUID } from 'node:crypto';
import { ticketServiceContract } from '@interlink/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { itRefusesBadPathIds, refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';
import { addTestTicket, ticketStatusOf } from './ticket-fixtures.test.helper.js';

const { tenants: T, users: U, tickets: K, ticketTypes: TT, orders: O, events: E } = DEMO;

const platform = useTestPlatform();
let asPayment: ReturnType<typeof tickets>;
let asTransfer: ReturnType<typeof tickets>;

const tickets = (caller: string) => platform.client(caller, 'ticket', ticketServiceContract);
const acme = { tenantId: T.acme };
const globex = { tenantId: T.globex };

const addTicket = (status?: string) => addTestTicket(platform, status);
/** A transfer of a test's ticket within acme, as transfer-service asks for it. */
const transfer = (ticketId: string, fromUserId: string, toUserId: string) =>
  asTransfer.transferTicket({ params: { ticketId }, body: { fromUserId, toUserId } }, acme);
const statusOf = (id: string) => ticketStatusOf(platform, id);

beforeAll(() => {
  asPayment = tickets('payment-service');
  asTransfer = tickets('transfer-service');
});

describe('ticket-service: every endpoint answers its contract (checked by the typed client)', () => {
  it('GET /internal/tickets/:ticketId/status', async () => {
    expect(await asPayment.getTicketStatus({ params: { ticketId: K.acmeUsed } }, acme)).toEqual({
      ticketId: K.acmeUsed,
      status: 'used',
      userId: U.acmeBuyer,
      eventId: E.acmeJazz,
      hasBeenTransferred: false,
    });
  });

  it('POST /internal/tickets/cancel-batch cancels all of them', async () => {
    const ids = [await addTicket(), await addTicket('reserved')];
    const answer = await asPayment.cancelBatch({ body: { ticketIds: ids, reason: 'refund' } }, acme);
    expect(answer).toEqual({ success: true, cancelled: ids, refused: [] });
    expect(await statusOf(ids[0]!)).toBe('cancelled');
    expect(await statusOf(ids[1]!)).toBe('cancelled');
  });

  it('POST /internal/tickets/calculate-price', async () => {
    const answer = await tickets('order-service').calculatePrice(
      {
        body: {
          items: [
            { ticketTypeId: TT.acmeRockGa, quantity: 2 },
            { ticketTypeId: TT.acmeRockVip, quantity: 1 },
          ],
        },
      },
      acme,
    );
    expect(answer).toEqual({
      items: [
        { ticketTypeId: TT.acmeRockGa, quantity: 2, unitPriceCents: 5000, lineTotalCents: 10000 },
        { ticketTypeId: TT.acmeRockVip, quantity: 1, unitPriceCents: 15000, lineTotalCents: 15000 },
      ],
      totalCents: 25000,
      currency: 'USD',
    });
  });

  it('GET /internal/tickets/by-token/:tokenId', async () => {
    const answer = await tickets('blockchain-indexer').getTicketByToken(
      { params: { tokenId: DEMO.tokenIds.acmeMinted } },
      acme,
    );
    expect(answer).toEqual({
      ticketId: K.acmeMinted,
      tokenId: DEMO.tokenIds.acmeMinted,
      userId: U.acmeBuyer,
      status: 'sold',
      eventId: E.acmeRock,
      isMinted: true,
      mintTransactionId: 'demo-mint-tx-0001',
    });
  });

  it('GET /internal/orders/:orderId/tickets', async () => {
    const answer = await tickets('blockchain-service').getOrderTickets(
      { params: { orderId: O.globexConfirmed } },
      globex,
    );
    expect(answer).toEqual({
      orderId: O.globexConfirmed,
      tickets: [
        {
          id: K.globexActive,
          ticketTypeId: TT.globexComedyGa,
          ticketTypeName: 'General Admission',
          status: 'sold',
          userId: U.globexBuyer,
          eventId: E.globexComedy,
          priceCents: 4000,
        },
      ],
      count: 1,
    });
  });

  it('POST /internal/tickets/:ticketId/transfer moves the ticket and records the transfer', async () => {
    const ticketId = await addTicket();
    const answer = await asTransfer.transferTicket(
      { params: { ticketId }, body: { fromUserId: U.acmeBuyer, toUserId: U.acmeFriend, reason: 'gift' } },
      acme,
    );
    expect(answer).toMatchObject({
      success: true,
      transfer: { ticketId, fromUserId: U.acmeBuyer, toUserId: U.acmeFriend, status: 'completed' },
    });
    const status = await asPayment.getTicketStatus({ params: { ticketId } }, acme);
    expect(status).toMatchObject({ status: 'transferred', userId: U.acmeFriend, hasBeenTransferred: true });
  });

  it('GET /internal/users/:userId/events-attended', async () => {
    const answer = await tickets('auth-service').getEventsAttended({ params: { userId: U.acmeBuyer } }, acme);
    expect(answer.userId).toBe(U.acmeBuyer);
    expect(answer.eventsAttended).toBe(1);
    expect(answer.events?.map((e) => e.eventId)).toEqual([E.acmeJazz]);
  });
});

describe('ticket-service: refusals', () => {
  itRefusesBadPathIds(platform, 'ticket', 'payment-service', [
    ['not a UUID', '/internal/tickets/not-a-uuid/status'],
    ['an encoded slash', `/internal/tickets/${K.acmeMinted.slice(0, 8)}%2f${K.acmeMinted.slice(9)}/status`],
    ['UUID-shaped with dots', `/internal/tickets/..${K.acmeMinted.slice(2)}/status`],
    ['an encoded dot-dot and slash', '/internal/tickets/%2e%2e%2fadmin/status'],
  ]);

  it('an unknown ticket is a 404 problem, not an empty 200', async () => {
    const problem = await refusal(asPayment.getTicketStatus({ params: { ticketId: randomUUID() } }, acme));
    expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
  });

  it('a transfer to the owner is refused (409 same_user), nothing changes', async () => {
    const ticketId = await addTicket();
    const problem = await refusal(transfer(ticketId, U.acmeBuyer, U.acmeBuyer));
    expect(problem).toMatchObject({ status: 409, code: 'ERR_TRANSFER_REFUSED', reason: 'same_user' });
    expect(await statusOf(ticketId)).toBe('active');
  });

  it('a transfer to a user of another tenant is refused (auth-service does not know them here)', async () => {
    const ticketId = await addTicket();
    const problem = await refusal(transfer(ticketId, U.acmeBuyer, U.globexBuyer));
    expect(problem).toMatchObject({ status: 409, reason: 'recipient_not_in_tenant' });
    expect(await statusOf(ticketId)).toBe('active');
  });

  it('a ticket already transferred cannot be transferred again', async () => {
    const ticketId = await addTicket();
    await transfer(ticketId, U.acmeBuyer, U.acmeFriend);
    const problem = await refusal(transfer(ticketId, U.acmeFriend, U.acmeBuyer));
    expect(problem).toMatchObject({ status: 409, reason: 'invalid_status' });
  });

  it('a cancelled ticket cannot be transferred', async () => {
    const ticketId = await addTicket('cancelled');
    const problem = await refusal(transfer(ticketId, U.acmeBuyer, U.acmeFriend));
    expect(problem).toMatchObject({ status: 409, reason: 'invalid_status' });
  });

  it('a transfer by someone who does not own the ticket is refused', async () => {
    const ticketId = await addTicket();
    const problem = await refusal(transfer(ticketId, U.acmeFriend, U.acmeAdmin));
    expect(problem).toMatchObject({ status: 409, reason: 'not_owner' });
  });

  it("cancel-batch with another tenant's ticket changes nothing and says which was refused", async () => {
    const mine = await addTicket();
    const answer = await asPayment.cancelBatch(
      { body: { ticketIds: [mine, K.globexActive], reason: 'refund' } },
      acme,
    );
    expect(answer).toEqual({
      success: false,
      cancelled: [],
      refused: [{ ticketId: K.globexActive, reason: 'not_found' }],
    });
    expect(await statusOf(mine)).toBe('active');
    expect(await statusOf(K.globexActive)).toBe('active');
  });

  it('cancel-batch refuses a used ticket (invalid_status) and cancels none of the batch', async () => {
    const mine = await addTicket();
    const answer = await asPayment.cancelBatch(
      { body: { ticketIds: [mine, K.acmeUsed], reason: 'x' } },
      acme,
    );
    expect(answer.refused).toEqual([{ ticketId: K.acmeUsed, reason: 'invalid_status' }]);
    expect(await statusOf(mine)).toBe('active');
  });

  it('calculate-price with an unknown ticket type is a 404 naming it', async () => {
    const unknown = randomUUID();
    const problem = await refusal(
      tickets('order-service').calculatePrice(
        {
          body: {
            items: [
              { ticketTypeId: TT.acmeRockGa, quantity: 1 },
              { ticketTypeId: unknown, quantity: 1 },
            ],
          },
        },
        acme,
      ),
    );
    expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND', ticketTypeIds: [unknown] });
  });

  it("calculate-price with another tenant's ticket type is the same 404", async () => {
    const problem = await refusal(
      tickets('order-service').calculatePrice(
        { body: { items: [{ ticketTypeId: TT.globexComedyGa, quantity: 1 }] } },
        acme,
      ),
    );
    expect(problem).toMatchObject({ status: 404, ticketTypeIds: [TT.globexComedyGa] });
  });
});

describe('ticket-service: callers and tenants', () => {
  it('a signed request from a service the permission map does not list is a 403', async () => {
    const problem = await refusal(
      tickets('minting-service').getTicketStatus({ params: { ticketId: K.acmeUsed } }, acme),
    );
    expect(problem).toMatchObject({ status: 403, code: 'ERR_SERVICE_NOT_ALLOWED' });
  });

  it('a listed service calling a route outside its permissions is a 403', async () => {
    // auth-service may read events attended (tickets:read) but never cancel tickets.
    const problem = await refusal(
      tickets('auth-service').cancelBatch({ body: { ticketIds: [K.acmeMinted], reason: 'x' } }, acme),
    );
    expect(problem).toMatchObject({ status: 403, code: 'ERR_PERMISSION_DENIED' });
    expect(await statusOf(K.acmeMinted)).toBe('active');
  });

  it('an unsigned request is a 401, even with a valid tenant and id', async () => {
    const answer = await platform.raw('ticket', {
      method: 'GET',
      path: `/internal/tickets/${K.acmeUsed}/status`,
      ...acme,
    });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('ERR_SIGNATURE_MISSING');
  });

  it('a replayed signed request is a 401 the second time', async () => {
    const request = {
      caller: 'payment-service',
      method: 'GET' as const,
      path: `/internal/tickets/${K.acmeUsed}/status`,
      ...acme,
    };
    const first = await platform.raw('ticket', request);
    expect(first.status).toBe(200);
    const replay = await platform.raw('ticket', { ...request, reuseSignature: first.signature });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('ERR_NONCE_REPLAYED');
  });

  it.each([
    [
      'a body over the limit is a 413',
      { ticketIds: [K.acmeMinted], reason: 'x'.repeat(70 * 1024) },
      413,
      'ERR_BODY_TOO_LARGE',
    ],
    ['malformed JSON is a 400', '{"ticketIds": [', 400, 'ERR_MALFORMED_BODY'],
  ])('%s', async (_name, body, status, code) => {
    const answer = await platform.raw('ticket', {
      caller: 'payment-service',
      method: 'POST',
      path: '/internal/tickets/cancel-batch',
      body,
      ...acme,
    });
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
  });

  it('a signed request without a tenant is a 400: the tenant is never guessed', async () => {
    const answer = await platform.raw('ticket', {
      caller: 'payment-service',
      method: 'GET',
      path: `/internal/tickets/${K.acmeUsed}/status`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('ERR_TENANT_REQUIRED');
  });

  it("a caller of one tenant never sees another tenant's tickets", async () => {
    const problems = await Promise.all(
      [
        asPayment.getTicketStatus({ params: { ticketId: K.acmeMinted } }, globex),
        asPayment.getOrderTickets({ params: { orderId: O.acmeConfirmed } }, globex),
        tickets('blockchain-indexer').getTicketByToken(
          { params: { tokenId: DEMO.tokenIds.acmeMinted } },
          globex,
        ),
        tickets('auth-service').getEventsAttended({ params: { userId: U.acmeBuyer } }, globex),
      ].map(refusal),
    );
    for (const problem of problems) expect(problem).toMatchObject({ status: 404, code: 'ERR_NOT_FOUND' });
    const transfer = await refusal(
      asTransfer.transferTicket(
        { params: { ticketId: K.globexActive }, body: { fromUserId: U.globexBuyer, toUserId: U.acmeBuyer } },
        acme,
      ),
    );
    expect(transfer).toMatchObject({ status: 404 });
    expect(await statusOf(K.globexActive)).toBe('active');
  });
});
