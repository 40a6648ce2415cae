import { venueServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { createPlatformService } from '../service/create-platform-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { type VenueDependencies, venueHandlers } from './venue-handlers.js';

/** venue-service (seed 004 §5): venues with their wallet and owner, and entry validation. */
export function createVenueService(
  runtime: PlatformRuntime & Omit<VenueDependencies, 'pool'>,
): Promise<Service> {
  return createPlatformService({
    ...runtime,
    contract: venueServiceContract,
    handlers: venueHandlers({ ...runtime }),
  });
}
