import { ticketServiceContract } from '@interlink/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { refusal, useTestPlatform } from '../platform/test-platform.test.helper.js';
import { addTestTicket, ticketStatusOf } from './ticket-fixtures.test.helper.js';

const { tenants: T, users: U } = DEMO;
const acme = { tenantId: T.acme };

const platform = useTestPlatform();
let asPayment: ReturnType<typeof tickets>;
let asTransfer: ReturnType<typeof tickets>;

const tickets = (caller: string) => platform.client(caller, 'ticket', ticketServiceContract);
const addTicket = () => addTestTicket(platform);
const statusOf = (id: string) => ticketStatusOf(platform, id);

beforeAll(() => {
  asPayment = tickets('payment-service');
  asTransfer = tickets('transfer-service');
});

describe('ticket-service: retried writes (Idempotency-Key)', () => {
  it('a transfer retried with its key gets the first answer, and the ticket moves once', async () => {
    const ticketId = await addTicket();
    const call = () =>
      asTransfer.transferTicket(
        { params: { ticketId }, body: { fromUserId: U.acmeBuyer, toUserId: U.acmeFriend } },
        { ...acme, idempotencyKey: `transfer-${ticketId}` },
      );
    const first = await call();
    expect(await call()).toEqual(first);
    const transfers = await platform.sql('ticket', 'SELECT id FROM transfers WHERE ticket_id = $1', [
      ticketId,
    ]);
    expect(transfers).toEqual([{ id: first.transfer.id }]);
  });

  it('a key reused for another request is a 422 and changes nothing', async () => {
    const [a, b] = [await addTicket(), await addTicket()];
    const key = `cancel-${a}`;
    await asPayment.cancelBatch(
      { body: { ticketIds: [a], reason: 'refund' } },
      { ...acme, idempotencyKey: key },
    );
    expect(
      await asPayment.cancelBatch(
        { body: { ticketIds: [a], reason: 'refund' } },
        { ...acme, idempotencyKey: key },
      ),
    ).toEqual({ success: true, cancelled: [a], refused: [] });
    const problem = await refusal(
      asPayment.cancelBatch({ body: { ticketIds: [b], reason: 'refund' } }, { ...acme, idempotencyKey: key }),
    );
    expect(problem).toMatchObject({ status: 422, code: 'ERR_IDEMPOTENCY_KEY_REUSED' });
    expect(await statusOf(b)).toBe('active');
  });
});
