import { orderServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { createPlatformService } from '../service/create-platform-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { orderHandlers } from './order-handlers.js';

/** order-service (seed 002, seed 004 §3): orders and their items. */
export function createOrderService(runtime: PlatformRuntime): Promise<Service> {
  return createPlatformService({
    ...runtime,
    contract: orderServiceContract,
    handlers: orderHandlers(runtime.pool),
  });
}
