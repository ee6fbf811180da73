-- Requests to add a public-body domain missing from the eligible list
-- (RequestEligibleDomain, public; the operator accepts or refuses).
CREATE TABLE eligible_domain_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  domain text NOT NULL,                       -- normalised, as the import's
  email text NOT NULL,                        -- the requester, told of the decision
  note text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'refused')),
  refusal_reason text NOT NULL DEFAULT '',
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  credits_granted integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One undecided request per domain and requester: asking again answers it.
CREATE UNIQUE INDEX eligible_domain_requests_pending_key
  ON eligible_domain_requests (domain, lower(email)) WHERE state = 'pending';
-- Newest first, for the operator's list (keyset pages).
CREATE INDEX eligible_domain_requests_created_idx ON eligible_domain_requests (created_at, id);

-- A listed domain comes from an import (line number, import) or from an
-- accepted request; imports replace their own rows only, so an accepted
-- domain stays through later imports.
ALTER TABLE eligible_domains ALTER COLUMN line_number DROP NOT NULL;
ALTER TABLE eligible_domains ALTER COLUMN import_id DROP NOT NULL;
ALTER TABLE eligible_domains ADD COLUMN request_id uuid REFERENCES eligible_domain_requests (id);
ALTER TABLE eligible_domains ADD CONSTRAINT eligible_domains_one_source
  CHECK ((import_id IS NULL) <> (request_id IS NULL));
