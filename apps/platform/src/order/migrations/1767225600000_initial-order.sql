-- Up Migration
-- order-service's state (seed 002): orders and their items, plus the outbox it publishes from and
-- the inbox that makes consumed events idempotent. User, event, ticket type and ticket ids belong
-- to other services and carry no foreign keys.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  order_number text NOT NULL,
  user_id uuid NOT NULL,
  event_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'reserved', 'paid', 'confirmed', 'cancelled', 'expired', 'refunded', 'failed')),
  total_cents bigint NOT NULL CHECK (total_cents >= 0),
  currency char(3) NOT NULL DEFAULT 'USD',
  payment_intent_id text,
  expires_at timestamptz,
  -- A dispute locks refunds until it is closed (dispute.created / dispute.closed).
  refund_locked boolean NOT NULL DEFAULT false,
  -- Optimistic locking for /for-payment callers.
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, order_number)
);
CREATE INDEX orders_tenant_user_idx ON orders (tenant_id, user_id, created_at DESC);
-- GET /internal/orders/without-tickets scans paid orders by age.
CREATE INDEX orders_status_created_idx ON orders (status, created_at);

CREATE TABLE order_items (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  ticket_type_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
  -- Filled when ticket-service reports the tickets it issued for this item; empty means none yet.
  ticket_ids uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX order_items_tenant_order_idx ON order_items (tenant_id, order_id);

CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  aggregate_id uuid NOT NULL,
  event_type text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  idempotency_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
-- The relay reads what is still unpublished, oldest first.
CREATE INDEX outbox_unpublished_idx ON outbox (created_at) WHERE published_at IS NULL;

CREATE TABLE inbox (
  message_id text PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);

-- Down Migration
DROP TABLE inbox;
DROP TABLE outbox;
DROP TABLE order_items;
DROP TABLE orders;
