import { afterEach } from 'vitest';
import {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
} from '../client/create-service-client.js';

/**
 * Makes service clients for the test file that calls it, closing each after the test that made it.
 * `defaults` is read when a client is made, so it may name an upstream started in `beforeAll`; a
 * test's own options go on top.
 */
export function clientFactory(
  defaults: () => ServiceClientOptions,
): (options?: Partial<ServiceClientOptions>) => ServiceClient {
  const clients: ServiceClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  return (options = {}) => {
    const client = createServiceClient({ ...defaults(), ...options });
    clients.push(client);
    return client;
  };
}
