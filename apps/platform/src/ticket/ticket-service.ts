import { ticketServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { createPlatformService } from '../service/create-platform-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { type TicketDependencies, ticketHandlers } from './ticket-handlers.js';

/** ticket-service (seed 004 §1): ticket types, tickets and their state machine, transfers. */
export function createTicketService(
  runtime: PlatformRuntime & Pick<TicketDependencies, 'isUserOfTenant'>,
): Promise<Service> {
  return createPlatformService({
    ...runtime,
    contract: ticketServiceContract,
    handlers: ticketHandlers({ pool: runtime.pool, isUserOfTenant: runtime.isUserOfTenant }),
  });
}
