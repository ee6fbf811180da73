-- 0001_idempotency.sql — the record of each idempotent create (AIP-155).
--
-- A create carrying a request_id stores its outcome here, keyed by who
-- called, which method and the request_id; a retry with the same key gets
-- the stored response instead of creating twice, and the same key with a
-- different request (request_hash) is refused. Rows expire by created_at.
--
-- Migrations run inside a transaction opened by the migrator: no BEGIN or
-- COMMIT here.

CREATE TABLE idempotency_records (
  principal text NOT NULL,
  method text NOT NULL,
  request_id text NOT NULL,
  request_hash bytea NOT NULL,
  response bytea,
  status_code integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, method, request_id)
);

CREATE INDEX idempotency_records_created_at_idx ON idempotency_records (created_at);
