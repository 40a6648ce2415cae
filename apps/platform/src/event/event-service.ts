import { eventServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { createPlatformService } from '../service/create-platform-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { eventHandlers } from './event-handlers.js';

/** event-service (seed 004 §4): events with their blockchain fields and capacity. */
export function createEventService(runtime: PlatformRuntime): Promise<Service> {
  return createPlatformService({
    ...runtime,
    contract: eventServiceContract,
    handlers: eventHandlers(runtime.pool),
  });
}
