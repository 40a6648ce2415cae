import {
  createClientMetrics,
  createServiceClient,
  createTypedClient,
  defineRoute,
  failClosed,
  fallback,
} from '@interlink/client';
import { createService } from '@interlink/core';
import { Type } from '@sinclair/typebox';

// An upstream to call (any HTTP server would do).
const tickets = createService({ name: 'ticket-service', logLevel: 'warn' });
const TicketParams = Type.Object({ ticketId: Type.String() });
tickets.app.get('/internal/tickets/:ticketId/status', { schema: { params: TicketParams } }, async (req) => ({
  ticketId: req.params.ticketId,
  status: 'active',
  userId: 'u1',
  hasBeenTransferred: false,
}));
const url = await tickets.listen({ handleSignals: false });

// One metrics set per service registry, shared by all of its clients.
const me = createService({ name: 'order-service', logLevel: 'warn' });
const metrics = createClientMetrics({ registry: me.metrics.registry });

const ticketService = createServiceClient({
  service: 'ticket-service',
  baseUrl: url, // https:// is required when NODE_ENV=production
  // signer: createRequestSigner({ key: createSigningKey({ keyId, alg: 'hmac-sha256', secret }) })
  //         from @interlink/auth, or serviceTokenSigner / legacySigner / combineSigners (see
  //         Signing below; any object with sign(request) => headers fits)
  metrics,
  timeoutMs: 2_000,
});

// A typed client from route definitions: typed at compile time, validated at run time. The
// platform's services declare theirs in @interlink/contracts:
//   createTypedClient(ticketService, ticketServiceContract.routes)
const client = createTypedClient(ticketService, {
  getTicketStatus: defineRoute({
    method: 'GET',
    path: '/internal/tickets/:ticketId/status',
    params: Type.Object({ ticketId: Type.String() }),
    response: Type.Object({ ticketId: Type.String(), hasBeenTransferred: Type.Boolean() }),
    failure: failClosed(), // a decision rests on it: no default
  }),
});
const status = await client.getTicketStatus({ params: { ticketId: 't-1' } });
console.log(status.hasBeenTransferred); // false

// A non-critical read with a safe default that is counted when used.
const prices = createTypedClient(ticketService, {
  getPrices: defineRoute({
    method: 'GET',
    path: '/internal/events/:eventId/prices',
    params: Type.Object({ eventId: Type.String() }),
    response: Type.Object({ prices: Type.Array(Type.Integer()) }),
    failure: fallback({ prices: [] }),
  }),
});
// No such route upstream: a 404 is an answer, not an outage, so it raises rather than falling back.
await prices.getPrices({ params: { eventId: 'e1' } }).catch((e) => console.log(e.code)); // ERR_UPSTREAM_STATUS

// Untyped calls: json() parses the answer, request() streams it.
const raw = await ticketService.request({ path: '/internal/tickets/t-1/status' });
for await (const chunk of raw.body) process.stdout.write(chunk);

await ticketService.close();
await tickets.close();
