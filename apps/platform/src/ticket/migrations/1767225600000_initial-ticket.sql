-- Up Migration
-- ticket-service's state (seed 004 §1): ticket types, tickets with their status machine and NFT
-- token, and transfers. Event, order and user ids point into other services, so they carry no
-- foreign keys: those services are reached through their APIs, never through this database.
CREATE TABLE ticket_types (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL,
  name text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency char(3) NOT NULL DEFAULT 'USD',
  capacity integer NOT NULL CHECK (capacity >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_types_tenant_event_idx ON ticket_types (tenant_id, event_id);

CREATE TABLE tickets (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_id uuid NOT NULL,
  ticket_type_id uuid NOT NULL REFERENCES ticket_types (id),
  order_id uuid,
  user_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'reserved'
    CHECK (status IN ('reserved', 'active', 'transferred', 'checked_in', 'used', 'cancelled', 'refunded')),
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  nft_token_id text,
  is_minted boolean NOT NULL DEFAULT false,
  mint_transaction_id text,
  -- Refunds fail closed when a ticket left its first buyer (seed 002's checkTicketNotTransferred).
  original_user_id uuid NOT NULL,
  checked_in_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- GET /internal/tickets/by-token/:tokenId
CREATE UNIQUE INDEX tickets_nft_token_key ON tickets (nft_token_id) WHERE nft_token_id IS NOT NULL;
-- GET /internal/orders/:orderId/tickets and cancel-batch by order
CREATE INDEX tickets_tenant_order_idx ON tickets (tenant_id, order_id);
-- GET /internal/users/:userId/events-attended
CREATE INDEX tickets_tenant_user_status_idx ON tickets (tenant_id, user_id, status);
CREATE INDEX tickets_tenant_event_idx ON tickets (tenant_id, event_id);

CREATE TABLE transfers (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  ticket_id uuid NOT NULL REFERENCES tickets (id),
  from_user_id uuid NOT NULL,
  to_user_id uuid NOT NULL,
  reason text,
  status text NOT NULL DEFAULT 'completed' CHECK (status IN ('pending', 'completed', 'failed')),
  transferred_at timestamptz NOT NULL DEFAULT now(),
  CHECK (from_user_id <> to_user_id)
);
CREATE INDEX transfers_tenant_ticket_idx ON transfers (tenant_id, ticket_id);

-- Down Migration
DROP TABLE transfers;
DROP TABLE tickets;
DROP TABLE ticket_types;
