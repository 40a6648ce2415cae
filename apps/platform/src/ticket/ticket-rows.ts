import type { TicketStatus } from '@interlink/contracts';
import type { Static } from '@sinclair/typebox';

type ContractTicketStatus = Static<typeof TicketStatus>;

// The table keeps seed 004's ticketService name for a paid ticket (`active`); the contract calls it
// `sold`. Every other state has the same name on both sides.
const TO_CONTRACT: Record<string, ContractTicketStatus> = {
  reserved: 'reserved',
  active: 'sold',
  transferred: 'transferred',
  used: 'used',
  checked_in: 'checked_in',
  cancelled: 'cancelled',
  refunded: 'refunded',
};

/** A row's status as the contract names it. */
export function contractStatus(status: string): ContractTicketStatus {
  const mapped = TO_CONTRACT[status];
  if (mapped === undefined) throw new Error(`unknown ticket status in the database: ${status}`);
  return mapped;
}

/** A row of `TICKET_STATUS_QUERY`, as PostgreSQL returns it. */
export interface TicketStatusRow {
  id: string;
  status: string;
  user_id: string;
  event_id: string;
  moved: boolean;
}

/** The status read's answer, as the contract shapes it, from its row. */
export function ticketStatusOf(row: TicketStatusRow) {
  return {
    ticketId: row.id,
    status: contractStatus(row.status),
    userId: row.user_id,
    eventId: row.event_id,
    hasBeenTransferred: row.moved,
  };
}

/**
 * The state machine: which states a ticket may move to. A transfer leaves the ticket `transferred`
 * (seed 002 refuses refunds of those), so a second transfer is refused as well.
 */
export const TICKET_TRANSITIONS: Readonly<Record<string, readonly string[]>> = {
  reserved: ['active', 'cancelled'],
  active: ['transferred', 'checked_in', 'used', 'cancelled', 'refunded'],
  transferred: ['checked_in', 'used'],
  checked_in: ['used'],
  used: [],
  cancelled: [],
  refunded: [],
};

export function canMove(from: string, to: string): boolean {
  return TICKET_TRANSITIONS[from]?.includes(to) ?? false;
}
