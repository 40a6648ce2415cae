-- Up Migration
-- The answers of cancel-batch and transfer by Idempotency-Key (the typed client retries these writes
-- with the same key): a retry after a lost answer gets the first answer instead of a 409.
CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL,
  key text NOT NULL,
  operation text NOT NULL,
  -- sha-256 of the operation, its path parameters and body: a key reused for another request is refused.
  fingerprint text NOT NULL,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
