import { createSchemaRegistry, type SchemaRegistry } from '../envelope/schema-registry.js';
import { registerMessageEvents } from './seed-message-events.js';
import { registerOrderEvents } from './seed-order-events.js';

/** A registry holding the seeds' event types: seed 002's `order.*` and seed 000's `messages.*`. */
export function createSeedRegistry(): SchemaRegistry {
  const registry = createSchemaRegistry();
  registerOrderEvents(registry);
  registerMessageEvents(registry);
  return registry;
}
