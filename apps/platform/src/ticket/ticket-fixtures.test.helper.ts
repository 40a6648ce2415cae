import { randomUUID } from 'node:crypto';
import { DEMO } from '../db/demo-ids.js';
import type { TestPlatform } from '../platform/test-platform.test.helper.js';

const { tenants: T, users: U, ticketTypes: TT, orders: O, events: E } = DEMO;

/** A fresh acme ticket of the buyer in `status`, so tests that change tickets do not share one. */
export async function addTestTicket(platform: TestPlatform, status = 'active'): Promise<string> {
  const id = randomUUID();
  await platform.sql(
    'ticket',
    `INSERT INTO tickets (id, tenant_id, event_id, ticket_type_id, order_id, user_id, original_user_id, status, price_cents)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 5000)`,
    [id, T.acme, E.acmeRock, TT.acmeRockGa, O.acmeConfirmed, U.acmeBuyer, status],
  );
  return id;
}

/** A ticket's stored status, read as ticket-service's own role. */
export async function ticketStatusOf(platform: TestPlatform, id: string): Promise<unknown> {
  return (await platform.sql('ticket', 'SELECT status FROM tickets WHERE id = $1', [id]))[0]?.status;
}
