import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequestSigner, createSigningKey } from '@interlink/auth';
import { createServiceClient, createTypedClient, type ServiceClient } from '@interlink/client';
import {
  authServiceContract,
  eventServiceContract,
  orderServiceContract,
  type ServiceContract,
  ticketServiceContract,
  venueServiceContract,
} from '@interlink/contracts';
import { uniqueId } from '@interlink/testing';
import { type MainProcess, spawnMain } from '@interlink/testing/spawn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './db/demo-ids.js';
import { DATA_SERVICES, type DataService } from './db/service-names.js';
import { refusal } from './platform/test-platform.test.helper.js';
import { OPERATOR } from './service/permission-maps.js';

// Issue 17's must-show: `npm start`, then a signed call to each service from outside returns the
// demo data. The child runs what `npm start` runs after its build, `node apps/platform/dist/main.js`,
// with no DATABASE_URL (so on its embedded PostgreSQL) and no broker URL: only the operator's key
// is added, through SERVICE_KEYS, as docs/platform.md tells a person or a CLI to do.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const main = 'apps/platform/dist/main.js';
const acme = { tenantId: DEMO.tenants.acme };
const key = { keyId: `operator-${uniqueId()}`, secret: randomBytes(32).toString('base64url') };

let platform: MainProcess;
let urls: Record<DataService, string>;
const clients: ServiceClient[] = [];

function operatorClient<Routes extends ServiceContract['routes']>(
  service: DataService,
  contract: ServiceContract<Routes>,
) {
  const upstream = createServiceClient({
    service: contract.service,
    baseUrl: urls[service],
    signer: createRequestSigner({
      key: createSigningKey({ keyId: key.keyId, alg: 'hmac-sha256', secret: key.secret }),
    }),
    retry: false,
  });
  clients.push(upstream);
  return createTypedClient(upstream, contract.routes);
}

const operator = {
  auth: () => operatorClient('auth', authServiceContract),
  event: () => operatorClient('event', eventServiceContract),
  venue: () => operatorClient('venue', venueServiceContract),
};

beforeAll(async () => {
  if (!existsSync(`${root}${main}`)) throw new Error(`${main} is missing: build first (npx tsc -b)`);
  platform = spawnMain([main], {
    cwd: root,
    // Only what a person's shell would have: no DATABASE_URL, no broker, nothing of this test runner.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      PORT: '0',
      SERVICE_KEYS: JSON.stringify([{ ...key, service: OPERATOR, alg: 'hmac-sha256' }]),
    },
  });
  await platform.address;
  const line = platform
    .output()
    .stdout.split('\n')
    .find((l) => l.includes('"services"'));
  const started = JSON.parse(line ?? '{}');
  expect(started.trustedCallers).toEqual([OPERATOR]);
  urls = started.services;
}, 180_000);

afterAll(async () => {
  for (const client of clients) await client.close();
  if (platform && (await platform.stop()) !== 0) {
    platform.kill();
    throw new Error(`npm start did not exit cleanly: ${platform.output().stderr}`);
  }
}, 60_000);

describe('npm start, then signed calls from outside (node apps/platform/dist/main.js)', () => {
  it('ticket-service answers the operator with the demo ticket', async () => {
    const tickets = operatorClient('ticket', ticketServiceContract);
    const status = await tickets.getTicketStatus({ params: { ticketId: DEMO.tickets.acmeMinted } }, acme);
    expect(status).toMatchObject({ ticketId: DEMO.tickets.acmeMinted, eventId: DEMO.events.acmeRock });
    const byToken = await tickets.getTicketByToken({ params: { tokenId: DEMO.tokenIds.acmeMinted } }, acme);
    expect(byToken.ticketId).toBe(DEMO.tickets.acmeMinted);
  });

  // One read of each other service and the demo row it must return (ids from DEMO, the seed data).
  const { users, events, venues } = DEMO;
  const reads: Array<[string, () => Promise<unknown>, Record<string, unknown>]> = [
    [
      'auth',
      () => operator.auth().getUser({ params: { userId: users.acmeBuyer } }, acme),
      { id: users.acmeBuyer },
    ],
    [
      'event',
      () => operator.event().getEvent({ params: { id: events.acmeRock } }, acme),
      { id: events.acmeRock },
    ],
    [
      'venue',
      () => operator.venue().getVenue({ params: { venueId: venues.acmeArena } }, acme),
      { id: venues.acmeArena },
    ],
  ];
  it.each(reads)('%s-service answers the operator with its demo row', async (_, read, expected) => {
    expect(await read()).toMatchObject(expected);
  });

  it('order-service answers the operator with the demo order and its items', async () => {
    const orders = operatorClient('order', orderServiceContract);
    const { order, items } = await orders.getOrder({ params: { orderId: DEMO.orders.acmeConfirmed } }, acme);
    expect(order.id).toBe(DEMO.orders.acmeConfirmed);
    expect(items.map((item) => item.id)).toContain(DEMO.orderItems.acmeConfirmed);
  });

  it('the operator reads only: a write is refused with 403 and changes nothing', async () => {
    const tickets = operatorClient('ticket', ticketServiceContract);
    const cancel = tickets.cancelBatch(
      { body: { ticketIds: [DEMO.tickets.acmeMinted], reason: 'refund' } },
      acme,
    );
    expect(await refusal(cancel)).toMatchObject({ status: 403, code: 'ERR_PERMISSION_DENIED' });
    const status = await tickets.getTicketStatus({ params: { ticketId: DEMO.tickets.acmeMinted } }, acme);
    expect(status.status).not.toBe('cancelled');
  });

  it('answers an unsigned call to each service with 401', async () => {
    expect(Object.keys(urls).sort()).toEqual([...DATA_SERVICES].sort());
    const paths: Record<DataService, string> = {
      ticket: `/internal/tickets/${DEMO.tickets.acmeMinted}/status`,
      auth: `/internal/users/${DEMO.users.acmeBuyer}`,
      order: `/internal/orders/${DEMO.orders.acmeConfirmed}`,
      event: `/internal/events/${DEMO.events.acmeRock}`,
      venue: `/internal/venues/${DEMO.venues.acmeArena}`,
    };
    for (const service of DATA_SERVICES) {
      const answer = await fetch(`${urls[service]}${paths[service]}`, {
        headers: { 'x-tenant-id': DEMO.tenants.acme },
      });
      expect(answer.status, service).toBe(401);
    }
  });
});
