-- 0011_idempotency_keyed_digest.sql — idempotency records without secrets.
--
-- request_hash used to be an unkeyed BLAKE2b of the whole packed request:
-- for a SignUp, a digest of the password that a copy of the database could
-- test guesses against at BLAKE2b speed. It is now keyed with a subkey of
-- the server's secret and taken over the request with its secret fields
-- cleared. The old digests cannot be converted; the records are short-
-- lived retry windows, so they are dropped (a retry straddling the upgrade
-- runs again instead of replaying).
--
-- CreateAccessKey now goes through these records like every other create;
-- the request_id its key rows kept (0004) is no longer read.

DELETE FROM idempotency_records;
DROP INDEX access_keys_request_key;
ALTER TABLE access_keys DROP COLUMN request_id;
