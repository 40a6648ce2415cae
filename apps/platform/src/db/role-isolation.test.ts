import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateServiceDatabase, migrationsDirOf } from './migrate-service-database.js';
import { provisionServiceDatabases, type ServiceDatabase } from './provision-service-databases.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
import { DATA_SERVICES } from './service-names.js';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres:test@127.0.0.1:5432/test';

// Seed 004, Appendix A: each row is a service that read another's table directly. With one role per
// service, each of those reads must now be refused by PostgreSQL itself.
const APPENDIX_A = [
  { caller: 'auth', owner: 'ticket', table: 'tickets', api: 'GET /internal/users/:userId/events-attended' },
  { caller: 'payment', owner: 'ticket', table: 'tickets', api: 'GET /internal/orders/:orderId/tickets' },
  { caller: 'payment', owner: 'event', table: 'events', api: 'GET /internal/events/:id' },
  { caller: 'payment', owner: 'order', table: 'orders', api: 'GET /internal/orders/:orderId' },
  { caller: 'payment', owner: 'auth', table: 'users', api: 'GET /internal/users/:userId' },
  { caller: 'blockchain', owner: 'ticket', table: 'tickets', api: 'GET /internal/orders/:orderId/tickets' },
  { caller: 'blockchain', owner: 'venue', table: 'venues', api: 'GET /internal/venues/:venueId' },
  { caller: 'blockchain', owner: 'order', table: 'order_items', api: 'GET /internal/orders/:orderId/items' },
  { caller: 'indexer', owner: 'ticket', table: 'tickets', api: 'GET /internal/tickets/by-token/:tokenId' },
  { caller: 'minting', owner: 'event', table: 'events', api: 'GET /internal/events/:id' },
  { caller: 'transfer', owner: 'ticket', table: 'tickets', api: 'POST /internal/tickets/:ticketId/transfer' },
  { caller: 'transfer', owner: 'auth', table: 'users', api: 'GET /internal/users/by-email/:email' },
  { caller: 'compliance', owner: 'venue', table: 'venues', api: 'GET /internal/venues/:venueId' },
  { caller: 'compliance', owner: 'auth', table: 'users', api: 'GET /internal/users/admins' },
] as const;
const CALLERS = ['payment', 'blockchain', 'indexer', 'minting', 'transfer', 'compliance'] as const;

let scratch: ScratchDatabase;
let dbs: Record<string, ServiceDatabase>;
const clients = new Map<string, pg.Client>();

async function connectAs(service: string): Promise<pg.Client> {
  const existing = clients.get(service);
  if (existing) return existing;
  const client = new pg.Client((dbs[service] as ServiceDatabase).url);
  await client.connect();
  clients.set(service, client);
  return client;
}

beforeAll(async () => {
  scratch = await createScratchDatabase(SERVER);
  dbs = await provisionServiceDatabases(scratch.adminUrl, [...DATA_SERVICES, ...CALLERS], {
    suffix: scratch.suffix,
  });
  for (const service of DATA_SERVICES) await migrateServiceDatabase(dbs[service] as ServiceDatabase);
});

afterAll(async () => {
  await Promise.all([...clients.values()].map((c) => c.end()));
  if (scratch) await scratch.drop(Object.values(dbs ?? {}).map((d) => d.role));
});

describe('role isolation for every bypass of seed 004, Appendix A', () => {
  it.each(APPENDIX_A)(
    '$caller cannot read $table of $owner (it calls $api instead)',
    async ({ caller, owner, table }) => {
      const client = await connectAs(caller);
      const { schema } = dbs[owner] as ServiceDatabase;
      await expect(
        client.query(
          `SELECT * FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)} LIMIT 1`,
        ),
      ).rejects.toMatchObject({ code: '42501', message: expect.stringContaining('permission denied') });
    },
  );

  it.each(APPENDIX_A)('$caller cannot write $table of $owner either', async ({ caller, owner, table }) => {
    const client = await connectAs(caller);
    const { schema } = dbs[owner] as ServiceDatabase;
    await expect(
      client.query(`DELETE FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('each data service and its own schema', () => {
  it.each(DATA_SERVICES)(
    '%s reads and writes its own tables, unqualified (search_path is its schema)',
    async (service) => {
      const client = await connectAs(service);
      await client.query('BEGIN');
      try {
        await client.query('CREATE TABLE scratch_probe (id int PRIMARY KEY)');
        await client.query('INSERT INTO scratch_probe VALUES (1)');
        const { rows } = await client.query('SELECT id FROM scratch_probe');
        expect(rows).toEqual([{ id: 1 }]);
        const table = await client.query('SELECT count(*)::int AS n FROM pgmigrations');
        // Its own history: one row per migration file of this service.
        expect(table.rows[0].n).toBe(
          readdirSync(migrationsDirOf(service)).filter((f) => f.endsWith('.sql')).length,
        );
      } finally {
        await client.query('ROLLBACK');
      }
    },
  );

  it.each(DATA_SERVICES)('%s cannot read any other data service schema', async (service) => {
    const client = await connectAs(service);
    for (const other of DATA_SERVICES.filter((s) => s !== service)) {
      const { schema } = dbs[other] as ServiceDatabase;
      await expect(
        client.query(`SELECT * FROM ${client.escapeIdentifier(schema)}.pgmigrations`),
        `${service} reading ${other}`,
      ).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('no service role can create tables in schema public', async () => {
    const client = await connectAs('payment');
    await expect(client.query('CREATE TABLE public.sneaky (id int)')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('no service role is superuser or can create roles or databases', async () => {
    const admin = new pg.Client(scratch.adminUrl);
    await admin.connect();
    const { rows } = await admin.query(
      'SELECT rolname FROM pg_roles WHERE rolname = ANY($1) AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls)',
      [Object.values(dbs).map((d) => d.role)],
    );
    await admin.end();
    expect(rows).toEqual([]);
  });

  it('refuses a service name that cannot be a plain schema name, before touching the server', async () => {
    await expect(
      provisionServiceDatabases(scratch.adminUrl, ['ticket"; DROP SCHEMA auth; --']),
    ).rejects.toMatchObject({ code: 'ERR_DB_SERVICE_NAME' });
  });
});
