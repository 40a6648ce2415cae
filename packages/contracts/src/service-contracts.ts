import { authServiceContract } from './auth-service.js';
import { eventServiceContract } from './event-service.js';
import { orderServiceContract } from './order-service.js';
import type { ServiceContract } from './service-contract.js';
import { ticketServiceContract } from './ticket-service.js';
import { venueServiceContract } from './venue-service.js';

/** Every service contract of the platform, in seed 004's order: what the OpenAPI script writes. */
export const serviceContracts: readonly ServiceContract[] = [
  ticketServiceContract,
  authServiceContract,
  orderServiceContract,
  eventServiceContract,
  venueServiceContract,
];
