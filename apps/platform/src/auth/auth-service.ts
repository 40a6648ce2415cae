import { authServiceContract } from '@interlink/contracts';
import type { Service } from '@interlink/core';
import { createPlatformService } from '../service/create-platform-service.js';
import type { PlatformRuntime } from '../service/platform-runtime.js';
import { authHandlers } from './auth-handlers.js';

/** auth-service (seed 004 §2): tenants, users, roles and permissions. */
export function createAuthService(runtime: PlatformRuntime): Promise<Service> {
  return createPlatformService({
    ...runtime,
    contract: authServiceContract,
    handlers: authHandlers(runtime.pool),
  });
}
