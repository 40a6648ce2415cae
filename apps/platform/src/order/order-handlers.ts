import type { ContractHandlers, OrderStatus, orderServiceContract } from '@interlink/contracts';
import { CoreError } from '@interlink/core';
import type { Static } from '@sinclair/typebox';
import type pg from 'pg';
import { tenantOf } from '../service/create-platform-service.js';

interface OrderRow {
  id: string;
  order_number: string;
  user_id: string;
  event_id: string;
  status: string;
  total_cents: string;
  currency: string;
  payment_intent_id: string | null;
  expires_at: Date | null;
  version: number;
  created_at: Date;
}

interface ItemRow {
  id: string;
  ticket_type_id: string;
  quantity: number;
  unit_price_cents: number;
  ticket_ids: string[];
}

/** The table keeps seed 002's lower-case states; the contract spells them as its events do (`PAID`). */
const orderStatus = (status: string) => status.toUpperCase() as Static<typeof OrderStatus>;

function summary(row: OrderRow) {
  return {
    id: row.id,
    orderNumber: row.order_number,
    userId: row.user_id,
    eventId: row.event_id,
    status: orderStatus(row.status),
    totalCents: Number(row.total_cents),
    currency: String(row.currency).trim(),
    createdAt: row.created_at.toISOString(),
  };
}

const item = (row: ItemRow) => ({
  id: row.id,
  ticketTypeId: row.ticket_type_id,
  quantity: row.quantity,
  unitPriceCents: row.unit_price_cents,
});

/** Orders that can still be paid (seed 002's for-payment check). */
const PAYABLE = new Set(['pending', 'reserved']);

/** order-service's handlers: orders and items of the signed tenant only. */
export function orderHandlers(
  pool: pg.Pool,
  now: () => Date = () => new Date(),
): ContractHandlers<typeof orderServiceContract.routes> {
  async function loadOrder(
    tenantId: string,
    orderId: string,
  ): Promise<{ order: OrderRow; items: ItemRow[] }> {
    const orders = await pool.query<OrderRow>('SELECT * FROM orders WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      orderId,
    ]);
    const order = orders.rows[0];
    if (!order) throw new CoreError('ERR_NOT_FOUND', 'No such order');
    const items = await pool.query<ItemRow>(
      'SELECT * FROM order_items WHERE tenant_id = $1 AND order_id = $2 ORDER BY id',
      [tenantId, orderId],
    );
    return { order, items: items.rows };
  }

  return {
    async getOrder(request) {
      const { order, items } = await loadOrder(tenantOf(request), request.params.orderId);
      return { order: summary(order), items: items.map(item) };
    },

    async getOrderItems(request) {
      const { orderId } = request.params;
      const { items } = await loadOrder(tenantOf(request), orderId);
      return {
        orderId,
        // The contract carries one ticket id per item: the first issued, once there is one.
        items: items.map((row) => ({
          id: row.id,
          ticketTypeId: row.ticket_type_id,
          quantity: row.quantity,
          ...(row.ticket_ids.length > 0 ? { ticketId: row.ticket_ids[0] } : {}),
        })),
      };
    },

    async getOrdersWithoutTickets(request) {
      const tenantId = tenantOf(request);
      const { minutesOld = 5, status = 'PAID', limit = 100 } = request.query;
      const { rows } = await pool.query<OrderRow>(
        `SELECT o.* FROM orders o
          WHERE o.tenant_id = $1 AND o.status = $2
            AND o.created_at < $3::timestamptz - make_interval(mins => $4)
            AND NOT EXISTS (SELECT 1 FROM order_items i
                             WHERE i.order_id = o.id AND cardinality(i.ticket_ids) > 0)
          ORDER BY o.created_at LIMIT $5`,
        [tenantId, status.toLowerCase(), now(), minutesOld, limit],
      );
      return { orders: rows.map(summary), count: rows.length };
    },

    async getOrderForPayment(request) {
      const { order, items } = await loadOrder(tenantOf(request), request.params.orderId);
      const isExpired = order.expires_at !== null && order.expires_at <= now();
      const validationErrors: string[] = [];
      if (!PAYABLE.has(order.status)) validationErrors.push(`Order is ${orderStatus(order.status)}`);
      if (isExpired) validationErrors.push('Order has expired');
      if (items.length === 0) validationErrors.push('Order has no items');
      return {
        order: {
          ...summary(order),
          ...(order.payment_intent_id ? { paymentIntentId: order.payment_intent_id } : {}),
          version: order.version,
          ...(order.expires_at ? { expiresAt: order.expires_at.toISOString() } : {}),
        },
        items: items.map(item),
        paymentContext: {
          itemCount: items.length,
          ticketCount: items.reduce((sum, row) => sum + row.ticket_ids.length, 0),
          canProcessPayment: validationErrors.length === 0,
          isExpired,
          validationErrors,
        },
      };
    },
  };
}
