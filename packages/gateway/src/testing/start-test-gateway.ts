import { Writable } from 'node:stream';
import { createLogger } from '@interlink/core';
import { createDevUserTokens, type DevUserTokens } from '../auth/dev-user-tokens.js';
import type { GatewayEventSource } from '../events/event-source.js';
import { createGatewayEvents } from '../events/gateway-bus.js';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway/create-gateway.js';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  users: DevUserTokens;
  events: GatewayEventSource;
  /** Every log line the gateway wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** A gateway on port 0 with dev user tokens, events on a memory bus unless given, and captured logs. */
export async function startTestGateway(
  overrides: Partial<GatewayOptions> & { users?: DevUserTokens; port?: number } = {},
): Promise<TestGateway> {
  const users = overrides.users ?? createDevUserTokens();
  const events = overrides.events ?? (await createGatewayEvents());
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const gateway = await createGateway({
    verifyUserToken: users.verifyUserToken,
    drainSpreadMs: 0,
    ...overrides,
    events,
    service: {
      logger: createLogger({ name: 'gateway', level: 'debug', destination }),
      shutdownTimeoutMs: 2000,
      ...overrides.service,
    },
  });
  const url = await gateway.listen({
    handleSignals: false,
    ...(overrides.port ? { port: overrides.port } : {}),
  });
  return {
    gateway,
    url,
    users,
    events,
    logs,
    async close() {
      await gateway.close();
      // A source made here is this gateway's own; a given one may serve other gateways too.
      if (!overrides.events) await events.close();
    },
  };
}
