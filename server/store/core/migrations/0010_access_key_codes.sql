-- 0010_access_key_codes.sql — the e-mailed second factor of access keys.
--
-- When TOTP is off, CreateAccessKey needs a 6-digit code e-mailed on
-- request (RequestAccessKeyCode, DOMAIN.md §1): valid 10 minutes, single
-- use, killed by the fifth wrong code. One live code per user: a new
-- request replaces the row. Only a keyed hash of the code is kept (BLAKE2b
-- with the server's code subkey, bound to the user), never the code.

CREATE TABLE access_key_codes (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
