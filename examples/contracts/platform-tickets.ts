import { createServiceClient, createTypedClient } from '@interlink/client';
import { registerContractRoutes, ticketServiceContract } from '@interlink/contracts';
import { CoreError, createService } from '@interlink/core';

// Server: every route of the contract, validated and serialized by its schemas.
const tickets = createService({ name: 'ticket-service', logLevel: 'warn' });
registerContractRoutes(tickets.app, ticketServiceContract, {
  getTicketStatus: async (req) => ({
    ticketId: req.params.ticketId,
    status: 'sold',
    userId: '5d1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    eventId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    hasBeenTransferred: false,
  }),
  // ...one handler per route; the types require all seven.
  cancelBatch: async (req) => ({ success: true, cancelled: req.body.ticketIds, refused: [] }),
  calculatePrice: async () => ({ items: [], totalCents: 0, currency: 'USD' }),
  getTicketByToken: async () => {
    throw new CoreError('ERR_NOT_FOUND', 'No ticket has this token'); // a 404 problem
  },
  getOrderTickets: async (req) => ({ orderId: req.params.orderId, tickets: [], count: 0 }),
  transferTicket: async () => {
    throw new CoreError('ERR_FORBIDDEN', 'Transfers are closed');
  },
  getEventsAttended: async (req) => ({ userId: req.params.userId, eventsAttended: 0 }),
});
const url = await tickets.listen({ port: 0, handleSignals: false });

// Client: the same routes, checked before sending and on receipt.
const upstream = createServiceClient({ service: 'ticket-service', baseUrl: url });
const ticketService = createTypedClient(upstream, ticketServiceContract.routes);
const status = await ticketService.getTicketStatus({
  params: { ticketId: '0b7f8a3c-1d2e-4f5a-8b9c-0d1e2f3a4b5c' },
});
console.log(status.status, status.hasBeenTransferred); // sold false

await ticketService.getTicketStatus({ params: { ticketId: '../admin' } }).catch((e) => console.log(e.code));
// ERR_CLIENT_REQUEST_INVALID: refused before it is sent; the server would answer 400 ERR_VALIDATION

await upstream.close();
await tickets.close();
