-- 0002_identity.sql — organisations, users, roles, credentials, links,
-- eligibility, credits, outbox and audit log (DOMAIN.md §1, §2, §7).
--
-- Conventions of every table here:
--  * ids are uuid (gen_random_uuid, built into PostgreSQL 13+), except access
--    keys whose id is the public half of the key pair;
--  * times are timestamptz written from the server's clock (a parameter, not
--    now()), so that tests can move time;
--  * secrets are never stored: tokens and key secrets as SHA-256 digests,
--    TOTP secrets sealed with the server's key (domain/totp/secret_box);
--  * `version` is the etag source: bumped by every update of the row;
--  * role levels are smallint arrays indexed by section (1 = contract …
--    9 = storefront, the order of nu_section), values 0 none, 1 visitor,
--    2 manager.

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  login text NOT NULL,
  email text NOT NULL,                       -- normalised (lower-case domain)
  civility text NOT NULL DEFAULT '' CHECK (civility IN ('', 'mr', 'ms')),
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  phone_landline text NOT NULL DEFAULT '',   -- E.164
  phone_mobile text NOT NULL DEFAULT '',     -- E.164
  language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
  -- pending: signed up, e-mail not confirmed or terms not accepted yet
  status text NOT NULL CHECK (status IN ('pending', 'invited', 'active', 'locked', 'disabled')),
  account_type text NOT NULL DEFAULT 'company' CHECK (account_type IN ('personal', 'company')),
  password_hash text,                        -- Argon2id string; NULL until set
  platform_operator boolean NOT NULL DEFAULT false,
  email_confirmed_at timestamptz,
  terms_accepted_at timestamptz,
  -- failed password or code attempts since the last success; at 5 the login
  -- is locked until locked_until
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  -- TOTP: the sealed secret; enabled once a first code confirmed it.
  totp_secret bytea,
  totp_enabled boolean NOT NULL DEFAULT false,
  -- the last accepted time step: a code at or before it is a replay
  totp_last_step bigint NOT NULL DEFAULT 0,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_login_key ON users (lower(login));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  is_buyer boolean NOT NULL,
  is_seller boolean NOT NULL,
  siret text UNIQUE,                         -- 14 digits, Luhn-checked; NULL for non-French bodies
  status text NOT NULL DEFAULT 'pending_validation'
    CHECK (status IN ('pending_validation', 'validated', 'suspended')),
  status_reason text NOT NULL DEFAULT '',
  account_level text NOT NULL DEFAULT 'discovery'
    CHECK (account_level IN ('discovery', 'test', 'build')),
  region text NOT NULL DEFAULT '',
  support_level text NOT NULL DEFAULT 'basic'
    CHECK (support_level IN ('basic', 'standard', 'business', 'premium')),
  -- billing details: required from account level test on
  billing_name text NOT NULL DEFAULT '',
  billing_address text NOT NULL DEFAULT '',
  billing_postal_code text NOT NULL DEFAULT '',
  billing_city text NOT NULL DEFAULT '',
  billing_country text NOT NULL DEFAULT '',
  billing_email text NOT NULL DEFAULT '',
  vat_number text NOT NULL DEFAULT '',
  -- identity verification: recorded by the operator, required for build
  identity_verified_at timestamptz,
  identity_verified_by uuid REFERENCES users (id),
  identity_verification_note text NOT NULL DEFAULT '',
  referent_user_id uuid NOT NULL REFERENCES users (id),
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (is_buyer OR is_seller)
);
CREATE INDEX organizations_name_idx ON organizations (lower(name), id);

CREATE TABLE memberships (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  levels smallint[] NOT NULL CHECK (cardinality(levels) = 9),
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id uuid NOT NULL REFERENCES users (id), -- the invited user (new or existing login)
  email text NOT NULL,
  levels smallint[] NOT NULL CHECK (cardinality(levels) = 9),
  invited_by uuid REFERENCES users (id),
  -- expired is derived from expires_at when reading a pending row
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
  sent_count integer NOT NULL DEFAULT 1,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (organization_id, created_at DESC, id);
CREATE UNIQUE INDEX invitations_one_pending ON invitations (organization_id, user_id)
  WHERE status = 'pending';

-- Single-use links sent by e-mail: set password (invitation, 24 h), reset
-- password (5 min), confirm e-mail (sign-up).
CREATE TABLE user_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL CHECK (purpose IN ('set_password', 'reset_password', 'confirm_email')),
  invitation_id uuid REFERENCES invitations (id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX user_links_user_idx ON user_links (user_id, purpose);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  organization_id uuid REFERENCES organizations (id), -- the organisation acted for
  peer text NOT NULL DEFAULT '',
  user_agent text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  last_used_at timestamptz NOT NULL,         -- expires 24 h after this
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id, created_at DESC);

-- The first step of a two-step login: password accepted, code awaited.
CREATE TABLE login_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL DEFAULT 'login' CHECK (purpose IN ('login', 'reset_password')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash bytea NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE access_keys (
  id text PRIMARY KEY,                       -- the access key (public half)
  secret_hash bytea NOT NULL,                -- SHA-256 of the secret key
  user_id uuid NOT NULL REFERENCES users (id),
  organization_id uuid REFERENCES organizations (id),
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX access_keys_user_idx ON access_keys (user_id, created_at DESC);

CREATE TABLE eligible_domains (
  domain text PRIMARY KEY,                   -- lower-case, no trailing dot
  line_number integer NOT NULL,              -- in the imported file
  import_id uuid NOT NULL
);

CREATE TABLE eligible_domain_imports (
  id uuid PRIMARY KEY,
  imported_by uuid REFERENCES users (id),
  source text NOT NULL,                      -- file path or "stream"
  lines integer NOT NULL,
  accepted integer NOT NULL,
  normalised integer NOT NULL,
  duplicates integer NOT NULL,
  invalid integer NOT NULL,
  created_at timestamptz NOT NULL
);

-- Cloud credits (vouchers) billing consumes before anything is due.
CREATE TABLE credits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  nature text NOT NULL CHECK (nature IN ('eligibility_voucher')),
  email text,                                -- the confirmed e-mail that earned it
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  remaining_cents bigint NOT NULL CHECK (remaining_cents >= 0 AND remaining_cents <= amount_cents),
  currency text NOT NULL DEFAULT 'EUR',
  activation_date date NOT NULL,
  created_at timestamptz NOT NULL
);
-- once per e-mail
CREATE UNIQUE INDEX credits_voucher_email_key ON credits (lower(email))
  WHERE nature = 'eligibility_voucher';
CREATE INDEX credits_org_idx ON credits (organization_id, activation_date);

-- Messages to deliver, written in the transaction of the change that causes
-- them; a worker claims rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'webhook')),
  recipient text NOT NULL,
  template text NOT NULL,                    -- e.g. "invitation", "reset_password"
  payload jsonb NOT NULL,                    -- template variables, links included
  organization_id uuid,
  request_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  delivered_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- Every change: who, what, on what, before/after of the changed fields.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('anonymous', 'user', 'access_key', 'system')),
  actor_user_id uuid,
  actor_access_key_id text,
  organization_id uuid,                      -- the organisation concerned, if any
  action text NOT NULL,                      -- "organization.create", "user.login", …
  target_type text NOT NULL,
  target_id text NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}',       -- {"field": {"before": …, "after": …}}
  request_id text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_org_idx ON audit_log (organization_id, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id DESC);

-- Times cross the wire as Unix microseconds (bigint), exactly, whatever the
-- session's TimeZone or DateStyle: nu_ts(us) in parameters, nu_us(t) in
-- select lists.
CREATE FUNCTION nu_ts(us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_timestamp(0) + us * interval '1 microsecond' $$;
CREATE FUNCTION nu_us(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (extract(epoch FROM t) * 1000000)::bigint $$;
