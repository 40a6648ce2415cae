import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './demo-ids.js';
import { migrateServiceDatabase } from './migrate-service-database.js';
import { type PlatformScratch, preparePlatformScratch } from './platform-scratch.test.helper.js';
import { preparePlatformDatabases } from './prepare-platform-databases.js';
import { provisionServiceDatabases, type ServiceDatabase } from './provision-service-databases.js';
import { seedDemoData } from './seed-demo-data.js';
import { DATA_SERVICES, type DataService } from './service-names.js';

const TABLES: Record<DataService, string[]> = {
  auth: ['pgmigrations', 'role_permissions', 'roles', 'tenants', 'user_roles', 'users'],
  event: ['events', 'pgmigrations'],
  order: ['inbox', 'order_items', 'orders', 'outbox', 'pgmigrations'],
  ticket: ['idempotency_keys', 'pgmigrations', 'ticket_types', 'tickets', 'transfers'],
  venue: ['pgmigrations', 'ticket_validations', 'venues'],
};

let platform: PlatformScratch | undefined;
let dbs: Record<DataService, ServiceDatabase>;
/** Roles a test provisions beside the five services'. */
const moreRoles: string[] = [];

async function queryAs<T extends pg.QueryResultRow>(
  db: ServiceDatabase,
  sql: string,
  values: unknown[] = [],
) {
  const client = new pg.Client(db.url);
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  platform = await preparePlatformScratch();
  dbs = platform.databases;
});

afterAll(async () => {
  await platform?.drop(moreRoles);
});

describe('migrations', () => {
  it.each(DATA_SERVICES)(
    '%s: its tables and its pgmigrations history live in its schema, owned by its role',
    async (service) => {
      const db = dbs[service];
      const rows = await queryAs<{ tablename: string; tableowner: string }>(
        db,
        'SELECT tablename, tableowner FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
        [db.schema],
      );
      expect(rows.map((r) => r.tablename)).toEqual(TABLES[service]);
      expect(new Set(rows.map((r) => r.tableowner))).toEqual(new Set([db.role]));
    },
  );

  it('a second run applies nothing and changes nothing', async () => {
    for (const service of DATA_SERVICES) {
      expect(await migrateServiceDatabase(dbs[service]), service).toEqual([]);
    }
    const history = await queryAs<{ name: string }>(
      dbs.ticket,
      'SELECT name FROM pgmigrations ORDER BY name',
    );
    expect(history.map((r) => r.name)).toEqual([
      '1767225600000_initial-ticket',
      '1767312000000_idempotency-keys',
    ]);
  });

  it('provisioning, migrating and seeding again keeps the data', async () => {
    const { scratch } = platform!;
    const again = await preparePlatformDatabases({
      adminUrl: scratch.adminUrl,
      suffix: scratch.suffix,
      demoData: true,
    });
    const tickets = await queryAs<{ n: number }>(again.ticket, 'SELECT count(*)::int AS n FROM tickets');
    expect(tickets[0]?.n).toBe(3);
    dbs = again;
  });

  it('a failing migration is rolled back whole and reported with a stable code', async () => {
    const { scratch } = platform!;
    const [db] = Object.values(
      await provisionServiceDatabases(scratch.adminUrl, ['broken'], { suffix: scratch.suffix }),
    ) as [ServiceDatabase];
    moreRoles.push(db.role);
    const dir = await mkdtemp(join(tmpdir(), 'interlink-migrations-'));
    await writeFile(join(dir, '1_good.sql'), '-- Up Migration\nCREATE TABLE good (id int);\n');
    await writeFile(
      join(dir, '2_bad.sql'),
      '-- Up Migration\nCREATE TABLE bad (id int REFERENCES nowhere (id));\n',
    );
    await expect(migrateServiceDatabase(db, { dir })).rejects.toMatchObject({ code: 'ERR_DB_MIGRATION' });
    const tables = await queryAs(db, 'SELECT tablename FROM pg_tables WHERE schemaname = $1', [db.schema]);
    expect(tables.filter((t) => t.tablename !== 'pgmigrations')).toEqual([]);
  });
});

describe('demo data', () => {
  it('lands in each service as that service sees it, tenant by tenant', async () => {
    const users = await queryAs<{ email: string }>(
      dbs.auth,
      'SELECT email FROM users WHERE tenant_id = $1 ORDER BY email',
      [DEMO.tenants.globex],
    );
    expect(users.map((u) => u.email)).toEqual(['gina@globex.test', 'hank@globex.test']);
    const byToken = await queryAs(dbs.ticket, 'SELECT id, status FROM tickets WHERE nft_token_id = $1', [
      DEMO.tokenIds.acmeMinted,
    ]);
    expect(byToken).toEqual([{ id: DEMO.tickets.acmeMinted, status: 'active' }]);
    const event = await queryAs(dbs.event, 'SELECT event_pda FROM events WHERE id = $1', [
      DEMO.events.acmeRock,
    ]);
    expect(event[0]?.event_pda).toMatch(/^RockNightPda/);
    const venue = await queryAs(dbs.venue, 'SELECT wallet_address FROM venues WHERE id = $1', [
      DEMO.venues.acmeArena,
    ]);
    expect(venue[0]?.wallet_address).toBeTruthy();
    const orphans = await queryAs<{ id: string }>(
      dbs.order,
      `SELECT o.id FROM orders o WHERE o.status = 'paid'
         AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND cardinality(i.ticket_ids) > 0)`,
    );
    expect(orphans.map((o) => o.id)).toEqual([DEMO.orders.acmePaidWithoutTickets]);
  });

  it('seeding twice leaves the same rows', async () => {
    const count = () => queryAs<{ n: number }>(dbs.order, 'SELECT count(*)::int AS n FROM order_items');
    const before = await count();
    await seedDemoData(dbs);
    expect(await count()).toEqual(before);
    expect(before[0]?.n).toBe(3);
  });
});
