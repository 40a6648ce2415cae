import { defineRoute, failClosed } from '@interlink/client';
import { type Static, Type } from '@sinclair/typebox';
import { SolanaAddress } from './event-service.js';
import { EmailAddress, StringEnum, Text } from './schemas/scalars.js';
import { Uuid } from './schemas/uuid.js';
import { defineServiceContract } from './service-contract.js';

// Seed 004 §5: the existing validate-ticket route and the new venue read.

export const VenueResponse = Type.Object({
  id: Uuid(),
  name: Text(300),
  tenantId: Uuid(),
  /** The venue's Solana wallet, for royalties. */
  walletAddress: Type.Optional(SolanaAddress),
  ownerEmail: Type.Optional(EmailAddress()),
  status: StringEnum(['active', 'inactive', 'suspended'], { title: 'VenueStatus' }),
});
export type VenueResponse = Static<typeof VenueResponse>;

export const ValidateTicketResponse = Type.Object({
  /** True when the ticket may enter this venue now. */
  valid: Type.Boolean(),
  venueId: Uuid(),
  ticketId: Uuid(),
  eventId: Type.Optional(Uuid()),
  /** Why not, when `valid` is false; an unknown venue or ticket is a 404 instead. */
  reason: Type.Optional(StringEnum(['wrong_venue', 'already_used', 'cancelled', 'refunded'])),
});
export type ValidateTicketResponse = Static<typeof ValidateTicketResponse>;

/** venue-service's internal API, version 1 (seed 004 §5). */
export const venueServiceContract = defineServiceContract({
  service: 'venue-service',
  version: '1',
  title: 'venue-service internal API',
  routes: {
    getVenue: defineRoute({
      method: 'GET',
      path: '/internal/venues/:venueId',
      params: Type.Object({ venueId: Uuid() }),
      response: VenueResponse,
      failure: failClosed(),
    }),
    /** Entry decision: fail closed. */
    validateTicket: defineRoute({
      method: 'GET',
      path: '/internal/venues/:venueId/validate-ticket/:ticketId',
      params: Type.Object({ venueId: Uuid(), ticketId: Uuid() }),
      response: ValidateTicketResponse,
      failure: failClosed(),
    }),
  },
  docs: {
    getVenue: {
      summary: 'A venue with its wallet address, owner e-mail and status',
      permission: 'venues:read',
      consumers: ['blockchain-service', 'compliance-service'],
      problems: [404],
    },
    validateTicket: {
      summary: 'Whether a ticket is valid for entry at this venue, and why not',
      permission: 'venues:validate-tickets',
      consumers: [],
      problems: [404],
    },
  },
});
