import { randomBytes } from 'node:crypto';
import { createRequestSigner, createSigningKey } from '@interlink/auth';
import { createServiceClient, createTypedClient } from '@interlink/client';
import { ticketServiceContract } from '@interlink/contracts';
import { spawnApp } from '@interlink/testing/spawn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../db/demo-ids.js';
import { type PlatformScratch, preparePlatformScratch } from '../db/platform-scratch.test.helper.js';
import type { ServiceDatabase } from '../db/provision-service-databases.js';
import type { DataService } from '../db/service-names.js';

// The same main.ts the deployed dist/<service>/main.js is built from, run from source.
const mainOf = (service: DataService) => `apps/platform/src/${service}/main.ts`;
const secret = (service: string) => ({
  keyId: `${service}-1`,
  service,
  alg: 'hmac-sha256',
  secret: randomBytes(32).toString('base64url'),
});
const keys = {
  payment: secret('payment-service'),
  transfer: secret('transfer-service'),
  ticket: secret('ticket-service'),
};
const SERVICE_KEYS = JSON.stringify(Object.values(keys));

let platform: PlatformScratch | undefined;
let dbs: Record<DataService, ServiceDatabase>;

beforeAll(async () => {
  platform = await preparePlatformScratch();
  dbs = platform.databases;
}, 120_000);

afterAll(() => platform?.drop());

function start(service: DataService, env: Record<string, string>) {
  return spawnApp(mainOf(service), {
    ...process.env,
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: 'info',
    SERVICE_KEYS,
    ...env,
  });
}

// Each test starts services in child processes (built dist, migrations against the real server): a
// minute leaves room for a busy 2-core machine.
describe('each service runs alone (node apps/platform/dist/<service>/main.js)', { timeout: 60_000 }, () => {
  it('ticket-service answers signed calls from its own role, asking auth-service (also alone) about transfers', async () => {
    const auth = start('auth', { DATABASE_URL: dbs.auth.url });
    const authUrl = await auth.address;
    const ticket = start('ticket', {
      DATABASE_URL: dbs.ticket.url,
      AUTH_SERVICE_URL: authUrl,
      SIGNING_KEY_ID: keys.ticket.keyId,
      SIGNING_KEY: keys.ticket.secret,
    });
    const ticketUrl = await ticket.address;
    const as = (key: typeof keys.payment) =>
      createTypedClient(
        createServiceClient({
          service: 'ticket-service',
          baseUrl: ticketUrl,
          signer: createRequestSigner({ key: createSigningKey({ ...key, alg: 'hmac-sha256' }) }),
          retry: false,
        }),
        ticketServiceContract.routes,
      );
    const tenant = { tenantId: DEMO.tenants.acme };
    const status = await as(keys.payment).getTicketStatus(
      { params: { ticketId: DEMO.tickets.acmeMinted } },
      tenant,
    );
    expect(status).toMatchObject({ status: 'sold', userId: DEMO.users.acmeBuyer });
    // The recipient check goes to auth-service, signed with ticket-service's own key.
    const refused = await as(keys.transfer)
      .transferTicket(
        {
          params: { ticketId: DEMO.tickets.acmeMinted },
          body: { fromUserId: DEMO.users.acmeBuyer, toUserId: DEMO.users.globexBuyer },
        },
        tenant,
      )
      .catch((error: { upstream?: { status: number; problem?: { reason?: string } } }) => error.upstream);
    expect(refused).toMatchObject({ status: 409, problem: { reason: 'recipient_not_in_tenant' } });
    expect(await ticket.stop()).toBe(0);
    expect(await auth.stop()).toBe(0);
  });

  it('refuses to start in production without Redis, a metrics guard, https upstreams and a signing key', async () => {
    const ticket = start('ticket', {
      NODE_ENV: 'production',
      DATABASE_URL: dbs.ticket.url,
      AUTH_SERVICE_URL: 'http://auth.internal:3101',
    });
    expect(await ticket.exited).toBe(78);
    const { stderr } = ticket.output();
    for (const variable of ['REDIS_URL', 'METRICS_TOKEN', 'AUTH_SERVICE_URL', 'SIGNING_KEY']) {
      expect(stderr).toContain(variable);
    }
  });

  it('refuses a weak service key, naming the variable', async () => {
    const auth = start('auth', {
      DATABASE_URL: dbs.auth.url,
      SERVICE_KEYS: JSON.stringify([
        { keyId: 'k', service: 'payment-service', alg: 'hmac-sha256', secret: 'short' },
      ]),
    });
    expect(await auth.exited).toBe(78);
    expect(auth.output().stderr).toContain('SERVICE_KEYS');
  });
});
