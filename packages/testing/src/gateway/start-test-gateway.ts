import { Writable } from 'node:stream';
import { createLogger } from '@interlink/core';
import {
  createDevUserTokens,
  createGateway,
  createGatewayEvents,
  type DevUserTokens,
  type Gateway,
  type GatewayEventSource,
  type GatewayOptions,
} from '@interlink/gateway';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  users: DevUserTokens;
  events: GatewayEventSource;
  /** Every log line the gateway wrote. */
  logs: string[];
  close(): Promise<void>;
}

/** Gateway options for a test, plus the dev user tokens to share between instances and a fixed port. */
export type TestGatewayOptions = Partial<GatewayOptions> & { users?: DevUserTokens; port?: number };

/** A gateway on port 0 with dev user tokens, events on a memory bus unless given, and captured logs. */
export async function startTestGateway(overrides: TestGatewayOptions = {}): Promise<TestGateway> {
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
