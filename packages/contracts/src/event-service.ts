import { defineRoute, failClosed } from '@interlink/client';
import { type Static, Type } from '@sinclair/typebox';
import { Text } from './schemas/scalars.js';
import { Timestamp } from './schemas/timestamp.js';
import { Uuid } from './schemas/uuid.js';
import { defineServiceContract } from './service-contract.js';

// Seed 004 §4.3, option 1: a dedicated internal route with the blockchain fields.

/** A Solana address (program-derived address or wallet): base58, 32 to 44 characters. */
export const SolanaAddress = Type.String({
  pattern: '^[1-9A-HJ-NP-Za-km-z]{32,44}$',
  minLength: 32,
  maxLength: 44,
});

const Percentage = Type.Number({ minimum: 0, maximum: 100 });

export const InternalEventResponse = Type.Object({
  id: Uuid(),
  name: Text(300),
  venueId: Uuid(),
  startDate: Timestamp(),
  /** The event's Solana program-derived address, once created on chain. */
  eventPda: Type.Optional(SolanaAddress),
  artistWallet: Type.Optional(SolanaAddress),
  artistPercentage: Type.Optional(Percentage),
  venuePercentage: Type.Optional(Percentage),
  resaleable: Type.Optional(Type.Boolean()),
});
export type InternalEventResponse = Static<typeof InternalEventResponse>;

/** event-service's internal API, version 1 (seed 004 §4). */
export const eventServiceContract = defineServiceContract({
  service: 'event-service',
  version: '1',
  title: 'event-service internal API',
  routes: {
    /** Minting and refunds act on it: fail closed. */
    getEvent: defineRoute({
      method: 'GET',
      path: '/internal/events/:id',
      params: Type.Object({ id: Uuid() }),
      response: InternalEventResponse,
      failure: failClosed(),
    }),
  },
  docs: {
    getEvent: {
      summary: 'An event with its blockchain fields (`eventPda`, royalty split, resale flag)',
      permission: 'events:read',
      consumers: ['payment-service', 'minting-service'],
      problems: [404],
    },
  },
});
