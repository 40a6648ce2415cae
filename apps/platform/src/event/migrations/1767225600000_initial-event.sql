-- Up Migration
-- event-service's state (seed 004 §4): events with the blockchain fields minting needs (event_pda)
-- and their capacity. venue_id belongs to venue-service and carries no foreign key.
CREATE TABLE events (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  venue_id uuid NOT NULL,
  name text NOT NULL,
  description text,
  start_date timestamptz NOT NULL,
  end_date timestamptz,
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published', 'cancelled', 'postponed', 'completed')),
  event_pda text,
  artist_wallet text,
  artist_percentage numeric(5, 2) CHECK (artist_percentage BETWEEN 0 AND 100),
  venue_percentage numeric(5, 2) CHECK (venue_percentage BETWEEN 0 AND 100),
  resaleable boolean NOT NULL DEFAULT true,
  capacity integer NOT NULL CHECK (capacity >= 0),
  seats_reserved integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Reserving seats can never oversell: the row refuses it.
  CHECK (seats_reserved BETWEEN 0 AND capacity)
);
CREATE INDEX events_tenant_venue_idx ON events (tenant_id, venue_id);
CREATE INDEX events_tenant_start_idx ON events (tenant_id, start_date);

-- Down Migration
DROP TABLE events;
