import { randomUUID } from 'node:crypto';
import type {
  CancelBatchResponse,
  ContractHandlers,
  TransferTicketResponse,
  ticketServiceContract,
} from '@interlink/contracts';
import { CoreError } from '@interlink/core';
import type pg from 'pg';
import { tenantOf } from '../service/create-platform-service.js';
import { idempotencyScope, idempotentWrite, replayedAnswer } from '../service/idempotent-write.js';
import { PlatformError } from '../service/platform-error-codes.js';
import { canMove, contractStatus, ticketStatusOf } from './ticket-rows.js';

export interface TicketDependencies {
  pool: pg.Pool;
  /**
   * Whether a user is an active user of the tenant: ticket-service owns no users, so it asks
   * auth-service (validate-users) before a ticket changes hands.
   */
  isUserOfTenant(tenantId: string, userId: string): Promise<boolean>;
}

type TransferRefusal = 'same_user' | 'not_owner' | 'recipient_not_in_tenant' | 'invalid_status';

function refuseTransfer(reason: TransferRefusal, message: string): never {
  throw new PlatformError('ERR_TRANSFER_REFUSED', message, { extensions: { reason } });
}

const iso = (value: Date) => value.toISOString();

/**
 * The status read, the most frequent call of all (payment, venue, blockchain and transfer ask it
 * before they act), as a named statement: each pooled connection has PostgreSQL parse and plan it
 * once, then sends only Bind and Execute. bench/platform.mjs issues this very query for its `pg` side.
 */
export const TICKET_STATUS_QUERY = {
  name: 'ticket-status',
  text: `SELECT t.id, t.status, t.user_id, t.event_id,
                (t.user_id <> t.original_user_id OR t.status = 'transferred'
                 OR EXISTS (SELECT 1 FROM transfers x WHERE x.tenant_id = t.tenant_id AND x.ticket_id = t.id)) AS moved
           FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2`,
} as const;

/** ticket-service's handlers: SQL on its own schema only, every query scoped to the signed tenant. */
export function ticketHandlers({
  pool,
  isUserOfTenant,
}: TicketDependencies): ContractHandlers<typeof ticketServiceContract.routes> {
  return {
    async getTicketStatus(request) {
      const tenantId = tenantOf(request);
      const { rows } = await pool.query({
        ...TICKET_STATUS_QUERY,
        values: [tenantId, request.params.ticketId],
      });
      const row = rows[0];
      if (!row) throw new CoreError('ERR_NOT_FOUND', 'No such ticket');
      return ticketStatusOf(row);
    },

    async cancelBatch(request) {
      const tenantId = tenantOf(request);
      const ids = request.body.ticketIds;
      const scope = idempotencyScope(request, tenantId, 'cancelBatch');
      return idempotentWrite(pool, scope, async (client) => {
        // Locked so that no ticket changes state between the check and the update.
        const { rows } = await client.query(
          'SELECT id, status FROM tickets WHERE tenant_id = $1 AND id = ANY($2::uuid[]) FOR UPDATE',
          [tenantId, ids],
        );
        const found = new Map(rows.map((r) => [r.id as string, r.status as string]));
        const refused: CancelBatchResponse['refused'] = [];
        for (const ticketId of ids) {
          const status = found.get(ticketId);
          // Another tenant's ticket reads as unknown: its existence is not this caller's to learn.
          if (status === undefined) refused.push({ ticketId, reason: 'not_found' });
          else if (!canMove(status, 'cancelled')) refused.push({ ticketId, reason: 'invalid_status' });
        }
        // All or none: a refund cancels every ticket of its batch or changes nothing.
        if (refused.length > 0) return { success: false, cancelled: [], refused };
        await client.query(
          `UPDATE tickets SET status = 'cancelled', version = version + 1, updated_at = now()
            WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
          [tenantId, ids],
        );
        return { success: true, cancelled: ids, refused: [] };
      });
    },

    async calculatePrice(request) {
      const tenantId = tenantOf(request);
      const typeIds = [...new Set(request.body.items.map((item) => item.ticketTypeId))];
      const { rows } = await pool.query(
        'SELECT id, price_cents, currency FROM ticket_types WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
        [tenantId, typeIds],
      );
      const types = new Map(rows.map((r) => [r.id as string, r]));
      const unknown = typeIds.filter((id) => !types.has(id));
      if (unknown.length > 0) {
        throw new CoreError('ERR_NOT_FOUND', 'Unknown ticket type', {
          extensions: { ticketTypeIds: unknown },
        });
      }
      const currencies = new Set(rows.map((r) => (r.currency as string).trim()));
      if (currencies.size > 1) {
        throw new CoreError('ERR_BAD_REQUEST', 'The ticket types are priced in different currencies');
      }
      const items = request.body.items.map(({ ticketTypeId, quantity }) => {
        const unitPriceCents = types.get(ticketTypeId).price_cents as number;
        return { ticketTypeId, quantity, unitPriceCents, lineTotalCents: unitPriceCents * quantity };
      });
      return {
        items,
        totalCents: items.reduce((sum, item) => sum + item.lineTotalCents, 0),
        currency: [...currencies][0]!,
      };
    },

    async getTicketByToken(request) {
      const tenantId = tenantOf(request);
      const { rows } = await pool.query(
        `SELECT id, nft_token_id, user_id, status, event_id, is_minted, mint_transaction_id
           FROM tickets WHERE tenant_id = $1 AND nft_token_id = $2`,
        [tenantId, request.params.tokenId],
      );
      const row = rows[0];
      if (!row) throw new CoreError('ERR_NOT_FOUND', 'No ticket has this token');
      return {
        ticketId: row.id,
        tokenId: row.nft_token_id,
        userId: row.user_id,
        status: contractStatus(row.status),
        eventId: row.event_id,
        isMinted: row.is_minted,
        ...(row.mint_transaction_id ? { mintTransactionId: row.mint_transaction_id } : {}),
      };
    },

    async getOrderTickets(request) {
      const tenantId = tenantOf(request);
      const { orderId } = request.params;
      const { rows } = await pool.query(
        `SELECT t.id, t.ticket_type_id, tt.name, t.status, t.user_id, t.event_id, t.price_cents
           FROM tickets t JOIN ticket_types tt ON tt.id = t.ticket_type_id
          WHERE t.tenant_id = $1 AND t.order_id = $2
          ORDER BY t.created_at, t.id`,
        [tenantId, orderId],
      );
      // ticket-service knows an order only by its tickets: none means unknown here, not an empty list.
      if (rows.length === 0) throw new CoreError('ERR_NOT_FOUND', 'No tickets for this order');
      return {
        orderId,
        tickets: rows.map((r) => ({
          id: r.id,
          ticketTypeId: r.ticket_type_id,
          ticketTypeName: r.name,
          status: contractStatus(r.status),
          userId: r.user_id,
          eventId: r.event_id,
          priceCents: r.price_cents,
        })),
        count: rows.length,
      };
    },

    async transferTicket(request) {
      const tenantId = tenantOf(request);
      const { ticketId } = request.params;
      const { fromUserId, toUserId, reason } = request.body;
      // A retry of a transfer that succeeded gets its answer, not "already transferred".
      const scope = idempotencyScope(request, tenantId, 'transferTicket');
      const earlier = await replayedAnswer(pool, scope);
      if (earlier !== undefined) return earlier as TransferTicketResponse;
      const { rows } = await pool.query(
        'SELECT user_id, status FROM tickets WHERE tenant_id = $1 AND id = $2',
        [tenantId, ticketId],
      );
      const ticket = rows[0];
      if (!ticket) throw new CoreError('ERR_NOT_FOUND', 'No such ticket');
      if (fromUserId === toUserId) refuseTransfer('same_user', 'A ticket cannot be transferred to its owner');
      if (ticket.user_id !== fromUserId) refuseTransfer('not_owner', 'fromUserId does not own this ticket');
      if (!canMove(ticket.status, 'transferred')) {
        refuseTransfer('invalid_status', `A ${contractStatus(ticket.status)} ticket cannot be transferred`);
      }
      // Asked before the transaction: no row lock is held across a call to another service.
      if (!(await isUserOfTenant(tenantId, toUserId))) {
        refuseTransfer('recipient_not_in_tenant', 'The recipient is not an active user of this tenant');
      }
      return idempotentWrite(pool, scope, async (client) => {
        // The same conditions again, atomically: a concurrent transfer or cancel wins or loses whole.
        const moved = await client.query(
          `UPDATE tickets SET user_id = $4, status = 'transferred', version = version + 1, updated_at = now()
            WHERE tenant_id = $1 AND id = $2 AND user_id = $3 AND status = 'active'`,
          [tenantId, ticketId, fromUserId, toUserId],
        );
        if (moved.rowCount !== 1) refuseTransfer('invalid_status', 'The ticket changed meanwhile');
        const id = randomUUID();
        const inserted = await client.query(
          `INSERT INTO transfers (id, tenant_id, ticket_id, from_user_id, to_user_id, reason, status)
           VALUES ($1, $2, $3, $4, $5, $6, 'completed') RETURNING status, transferred_at`,
          [id, tenantId, ticketId, fromUserId, toUserId, reason ?? null],
        );
        const row = inserted.rows[0];
        return {
          success: true,
          transfer: {
            id,
            ticketId,
            fromUserId,
            toUserId,
            status: row.status,
            transferredAt: iso(row.transferred_at),
          },
        };
      });
    },

    async getEventsAttended(request) {
      const tenantId = tenantOf(request);
      const { userId } = request.params;
      const { rows } = await pool.query(
        `SELECT event_id,
                min(coalesce(checked_in_at, updated_at)) FILTER (WHERE status IN ('used', 'checked_in')) AS attended_at
           FROM tickets WHERE tenant_id = $1 AND user_id = $2
          GROUP BY event_id ORDER BY attended_at NULLS LAST, event_id`,
        [tenantId, userId],
      );
      // A user with no ticket of this tenant is unknown to ticket-service: 404, not a zero.
      if (rows.length === 0) throw new CoreError('ERR_NOT_FOUND', 'No tickets for this user');
      const events = rows
        .filter((r) => r.attended_at !== null)
        .map((r) => ({ eventId: r.event_id, attendedAt: iso(r.attended_at) }));
      return { userId, eventsAttended: events.length, events };
    },
  };
}
