import { isClientError } from '@interlink/client';
import type { ContractHandlers, TicketStatusResponse, venueServiceContract } from '@interlink/contracts';
import { CoreError } from '@interlink/core';
import type pg from 'pg';
import { tenantOf } from '../service/create-platform-service.js';

export interface VenueDependencies {
  pool: pg.Pool;
  /** ticket-service's status of a ticket (404 when unknown), for the tenant. */
  ticketStatus(tenantId: string, ticketId: string): Promise<TicketStatusResponse>;
  /** The venue of an event, from event-service. */
  eventVenue(tenantId: string, eventId: string): Promise<string>;
}

const REFUSED_STATUS = {
  used: 'already_used',
  checked_in: 'already_used',
  cancelled: 'cancelled',
  refunded: 'refunded',
} as const;

/** venue-service's handlers: venues of the signed tenant, and entry checks through ticket and event. */
export function venueHandlers({
  pool,
  ticketStatus,
  eventVenue,
}: VenueDependencies): ContractHandlers<typeof venueServiceContract.routes> {
  async function loadVenue(tenantId: string, venueId: string) {
    const { rows } = await pool.query('SELECT * FROM venues WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      venueId,
    ]);
    if (!rows[0]) throw new CoreError('ERR_NOT_FOUND', 'No such venue');
    return rows[0];
  }

  return {
    async getVenue(request) {
      const row = await loadVenue(tenantOf(request), request.params.venueId);
      return {
        id: row.id,
        name: row.name,
        tenantId: row.tenant_id,
        ...(row.wallet_address ? { walletAddress: row.wallet_address } : {}),
        ...(row.owner_email ? { ownerEmail: row.owner_email } : {}),
        status: row.status,
      };
    },

    async validateTicket(request) {
      const tenantId = tenantOf(request);
      const { venueId, ticketId } = request.params;
      await loadVenue(tenantId, venueId);
      // An unknown ticket is ticket-service's 404, passed on as ours (a client error, not an outage).
      const ticket = await ticketStatus(tenantId, ticketId).catch((error: unknown) => {
        if (isClientError(error) && error.upstream?.status === 404) {
          throw new CoreError('ERR_NOT_FOUND', 'No such ticket');
        }
        throw error;
      });
      const base = { venueId, ticketId, eventId: ticket.eventId };
      const refused = REFUSED_STATUS[ticket.status as keyof typeof REFUSED_STATUS];
      if (refused) return { ...base, valid: false, reason: refused };
      if ((await eventVenue(tenantId, ticket.eventId)) !== venueId) {
        return { ...base, valid: false, reason: 'wrong_venue' as const };
      }
      return { ...base, valid: true };
    },
  };
}
