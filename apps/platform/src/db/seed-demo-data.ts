import pg from 'pg';
import { DEMO } from './demo-ids.js';
import type { ServiceDatabase } from './provision-service-databases.js';
import type { DataService } from './service-names.js';

type Row = Record<string, unknown>;
const { tenants: T, users: U, roles: R, venues: V, events: E, ticketTypes: TT, orders: O, tickets: K } = DEMO;
const HOUR = 3600_000;

// Each service's rows, in insertion order (parents first). Times are relative to `now` so the demo
// stays current: the rock night is always a week ahead, the paid order always an hour old.
function demoRows(now: number): Record<DataService, [table: string, rows: Row[]][]> {
  const at = (ms: number) => new Date(now + ms).toISOString();
  return {
    auth: [
      [
        'tenants',
        [
          { id: T.acme, name: 'Acme Events', slug: 'acme' },
          { id: T.globex, name: 'Globex Live', slug: 'globex' },
        ],
      ],
      [
        'users',
        [
          {
            id: U.acmeAdmin,
            tenant_id: T.acme,
            email: 'alice@acme.test',
            name: 'Alice Admin',
            email_verified: true,
          },
          {
            id: U.acmeCompliance,
            tenant_id: T.acme,
            email: 'carol@acme.test',
            name: 'Carol Compliance',
            email_verified: true,
          },
          {
            id: U.acmeBuyer,
            tenant_id: T.acme,
            email: 'bob@acme.test',
            name: 'Bob Buyer',
            email_verified: true,
            billing_address: JSON.stringify({ line1: '1 Main St', city: 'Springfield', country: 'US' }),
          },
          {
            id: U.acmeFriend,
            tenant_id: T.acme,
            email: 'dave@acme.test',
            name: 'Dave Friend',
            email_verified: false,
          },
          {
            id: U.globexAdmin,
            tenant_id: T.globex,
            email: 'gina@globex.test',
            name: 'Gina Admin',
            email_verified: true,
          },
          {
            id: U.globexBuyer,
            tenant_id: T.globex,
            email: 'hank@globex.test',
            name: 'Hank Buyer',
            email_verified: true,
          },
        ],
      ],
      [
        'roles',
        [
          { id: R.acmeAdmin, tenant_id: T.acme, name: 'admin' },
          { id: R.acmeComplianceAdmin, tenant_id: T.acme, name: 'compliance_admin' },
          { id: R.acmeCustomer, tenant_id: T.acme, name: 'customer' },
          { id: R.globexAdmin, tenant_id: T.globex, name: 'admin' },
          { id: R.globexCustomer, tenant_id: T.globex, name: 'customer' },
        ],
      ],
      [
        'role_permissions',
        [
          ...['events:write', 'tickets:refund', 'users:read', 'venues:write'].map((permission) => ({
            tenant_id: T.acme,
            role_id: R.acmeAdmin,
            permission,
          })),
          { tenant_id: T.acme, role_id: R.acmeComplianceAdmin, permission: 'compliance:review' },
          { tenant_id: T.acme, role_id: R.acmeCustomer, permission: 'tickets:transfer' },
          ...['events:write', 'users:read'].map((permission) => ({
            tenant_id: T.globex,
            role_id: R.globexAdmin,
            permission,
          })),
          { tenant_id: T.globex, role_id: R.globexCustomer, permission: 'tickets:transfer' },
        ],
      ],
      [
        'user_roles',
        [
          { tenant_id: T.acme, user_id: U.acmeAdmin, role_id: R.acmeAdmin },
          { tenant_id: T.acme, user_id: U.acmeCompliance, role_id: R.acmeComplianceAdmin },
          { tenant_id: T.acme, user_id: U.acmeBuyer, role_id: R.acmeCustomer },
          { tenant_id: T.acme, user_id: U.acmeFriend, role_id: R.acmeCustomer },
          { tenant_id: T.globex, user_id: U.globexAdmin, role_id: R.globexAdmin },
          { tenant_id: T.globex, user_id: U.globexBuyer, role_id: R.globexCustomer },
        ],
      ],
    ],
    venue: [
      [
        'venues',
        [
          {
            id: V.acmeArena,
            tenant_id: T.acme,
            name: 'Acme Arena',
            owner_user_id: U.acmeAdmin,
            owner_email: 'alice@acme.test',
            wallet_address: '7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU',
            capacity: 500,
          },
          {
            id: V.globexHall,
            tenant_id: T.globex,
            name: 'Globex Hall',
            owner_user_id: U.globexAdmin,
            owner_email: 'gina@globex.test',
            wallet_address: null,
            capacity: 200,
          },
        ],
      ],
    ],
    event: [
      [
        'events',
        [
          {
            id: E.acmeRock,
            tenant_id: T.acme,
            venue_id: V.acmeArena,
            name: 'Acme Rock Night',
            start_date: at(7 * 24 * HOUR),
            status: 'published',
            event_pda: 'RockNightPda1111111111111111111111111111111',
            artist_wallet: 'ArtistWa11et111111111111111111111111111111',
            artist_percentage: 10,
            venue_percentage: 5,
            capacity: 500,
            seats_reserved: 4,
          },
          {
            id: E.acmeJazz,
            tenant_id: T.acme,
            venue_id: V.acmeArena,
            name: 'Acme Jazz Brunch',
            start_date: at(-2 * 24 * HOUR),
            status: 'completed',
            capacity: 120,
            seats_reserved: 0,
          },
          {
            id: E.globexComedy,
            tenant_id: T.globex,
            venue_id: V.globexHall,
            name: 'Globex Comedy Hour',
            start_date: at(14 * 24 * HOUR),
            status: 'published',
            capacity: 200,
            seats_reserved: 1,
          },
        ],
      ],
    ],
    ticket: [
      [
        'ticket_types',
        [
          {
            id: TT.acmeRockGa,
            tenant_id: T.acme,
            event_id: E.acmeRock,
            name: 'General Admission',
            price_cents: 5000,
            capacity: 450,
          },
          {
            id: TT.acmeRockVip,
            tenant_id: T.acme,
            event_id: E.acmeRock,
            name: 'VIP',
            price_cents: 15000,
            capacity: 50,
          },
          {
            id: TT.acmeJazzGa,
            tenant_id: T.acme,
            event_id: E.acmeJazz,
            name: 'General Admission',
            price_cents: 3000,
            capacity: 120,
          },
          {
            id: TT.globexComedyGa,
            tenant_id: T.globex,
            event_id: E.globexComedy,
            name: 'General Admission',
            price_cents: 4000,
            capacity: 200,
          },
        ],
      ],
      [
        'tickets',
        [
          {
            id: K.acmeMinted,
            tenant_id: T.acme,
            event_id: E.acmeRock,
            ticket_type_id: TT.acmeRockGa,
            order_id: O.acmeConfirmed,
            user_id: U.acmeBuyer,
            original_user_id: U.acmeBuyer,
            status: 'active',
            price_cents: 5000,
            nft_token_id: DEMO.tokenIds.acmeMinted,
            is_minted: true,
            mint_transaction_id: 'demo-mint-tx-0001',
          },
          {
            id: K.acmeUsed,
            tenant_id: T.acme,
            event_id: E.acmeJazz,
            ticket_type_id: TT.acmeJazzGa,
            order_id: O.acmeConfirmed,
            user_id: U.acmeBuyer,
            original_user_id: U.acmeBuyer,
            status: 'used',
            price_cents: 3000,
            checked_in_at: at(-2 * 24 * HOUR),
          },
          {
            id: K.globexActive,
            tenant_id: T.globex,
            event_id: E.globexComedy,
            ticket_type_id: TT.globexComedyGa,
            order_id: O.globexConfirmed,
            user_id: U.globexBuyer,
            original_user_id: U.globexBuyer,
            status: 'active',
            price_cents: 4000,
          },
        ],
      ],
    ],
    order: [
      [
        'orders',
        [
          {
            id: O.acmeConfirmed,
            tenant_id: T.acme,
            order_number: 'ACME-0001',
            user_id: U.acmeBuyer,
            event_id: E.acmeRock,
            status: 'confirmed',
            total_cents: 8000,
            payment_intent_id: 'pi_demo_0001',
            created_at: at(-3 * 24 * HOUR),
          },
          {
            id: O.acmePaidWithoutTickets,
            tenant_id: T.acme,
            order_number: 'ACME-0002',
            user_id: U.acmeFriend,
            event_id: E.acmeRock,
            status: 'paid',
            total_cents: 10000,
            payment_intent_id: 'pi_demo_0002',
            created_at: at(-HOUR),
          },
          {
            id: O.globexConfirmed,
            tenant_id: T.globex,
            order_number: 'GLOBEX-0001',
            user_id: U.globexBuyer,
            event_id: E.globexComedy,
            status: 'confirmed',
            total_cents: 4000,
            payment_intent_id: 'pi_demo_0003',
            created_at: at(-24 * HOUR),
          },
        ],
      ],
      [
        'order_items',
        [
          {
            id: DEMO.orderItems.acmeConfirmed,
            tenant_id: T.acme,
            order_id: O.acmeConfirmed,
            ticket_type_id: TT.acmeRockGa,
            quantity: 2,
            unit_price_cents: 4000,
            ticket_ids: [K.acmeMinted, K.acmeUsed],
          },
          {
            id: DEMO.orderItems.acmePaid,
            tenant_id: T.acme,
            order_id: O.acmePaidWithoutTickets,
            ticket_type_id: TT.acmeRockGa,
            quantity: 2,
            unit_price_cents: 5000,
            ticket_ids: [],
          },
          {
            id: DEMO.orderItems.globexConfirmed,
            tenant_id: T.globex,
            order_id: O.globexConfirmed,
            ticket_type_id: TT.globexComedyGa,
            quantity: 1,
            unit_price_cents: 4000,
            ticket_ids: [K.globexActive],
          },
        ],
      ],
    ],
  };
}

/**
 * Writes the demo rows ({@link DEMO}) into each given service's schema, connected as that service's
 * role. Rows already there are left as they are, so running it twice changes nothing.
 */
export async function seedDemoData(
  databases: Partial<Record<DataService, ServiceDatabase>>,
  now: number = Date.now(),
): Promise<void> {
  const rows = demoRows(now);
  for (const [service, db] of Object.entries(databases) as [DataService, ServiceDatabase][]) {
    const client = new pg.Client(db.url);
    await client.connect();
    try {
      await client.query('BEGIN');
      for (const [table, list] of rows[service]) {
        for (const row of list) {
          const columns = Object.keys(row);
          const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
          await client.query(
            `INSERT INTO ${client.escapeIdentifier(table)} (${columns.map((c) => client.escapeIdentifier(c)).join(', ')})
             VALUES (${placeholders}) ON CONFLICT DO NOTHING`,
            Object.values(row),
          );
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }
}
