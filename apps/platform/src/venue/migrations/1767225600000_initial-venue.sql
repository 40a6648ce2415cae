-- Up Migration
-- venue-service's state (seed 004 §5): venues with their wallet and owner, and the ticket
-- validations done at the door. Owner user and ticket ids belong to other services (no foreign keys).
CREATE TABLE venues (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  name text NOT NULL,
  owner_user_id uuid NOT NULL,
  owner_email text,
  wallet_address text,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'suspended')),
  capacity integer CHECK (capacity >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX venues_tenant_idx ON venues (tenant_id);

CREATE TABLE ticket_validations (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  venue_id uuid NOT NULL REFERENCES venues (id),
  ticket_id uuid NOT NULL,
  result text NOT NULL CHECK (result IN ('valid', 'invalid', 'already_used')),
  validated_at timestamptz NOT NULL DEFAULT now()
);
-- GET /internal/venues/:venueId/validate-ticket/:ticketId checks earlier scans of the same ticket.
CREATE INDEX ticket_validations_venue_ticket_idx ON ticket_validations (tenant_id, venue_id, ticket_id);

-- Down Migration
DROP TABLE ticket_validations;
DROP TABLE venues;
