-- 0004_access_key_requests.sql — idempotent access-key creation.
--
-- CreateAccessKey takes a request_id (AIP-155) but cannot go through the
-- generic idempotency_records: the recorded reply would hold the key's
-- secret in clear. The key row itself remembers the request_id instead, and
-- a retry gets the key back without its secret.

ALTER TABLE access_keys ADD COLUMN request_id text;
CREATE UNIQUE INDEX access_keys_request_key ON access_keys (user_id, request_id)
  WHERE request_id IS NOT NULL;
