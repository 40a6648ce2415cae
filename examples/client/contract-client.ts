import { createServiceClient, createTypedClient } from '@interlink/client';

const serviceClient = createServiceClient({
  service: 'ticket-service',
  baseUrl: process.env.TICKET_SERVICE_URL ?? 'http://127.0.0.1:3004',
});

// #region readme
import { ticketServiceContract } from '@interlink/contracts';

const ticketService = createTypedClient(serviceClient, ticketServiceContract.routes);
// #endregion readme

console.log(Object.keys(ticketService).sort().join(' ')); // one typed method per route of the contract
await serviceClient.close();
