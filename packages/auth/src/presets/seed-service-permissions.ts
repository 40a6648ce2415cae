import type { ServicePermissionMap } from '../permissions/service-permissions.js';

/**
 * Seed 001's permission map of the integration service's callers: a seed preset, kept apart from
 * the package's own code until it moves to `packages/contracts`.
 */
export const SEED_001_SERVICE_PERMISSIONS: ServicePermissionMap = Object.freeze({
  'auth-service': ['integrations:read', 'integrations:write', 'webhooks:*'],
  'event-service': ['integrations:read', 'sync:events', 'webhooks:receive'],
  'ticket-service': ['integrations:read', 'sync:tickets', 'webhooks:receive'],
  'payment-service': ['integrations:read', 'integrations:write', 'sync:payments', 'webhooks:*'],
  'notification-service': ['integrations:read', 'sync:contacts'],
});
