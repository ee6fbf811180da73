-- Account levels (issue 10, point 9): when the operator records an identity
-- verification while the billing details are missing, build is granted
-- provisionally until this time (14 days); NULL when none runs. The level
-- in force is read from it at read time (domain/identity/account_level.h):
-- no job moves it, the next write of the row settles it.
ALTER TABLE organizations ADD COLUMN provisional_build_until timestamptz;
-- A provisional build is a build, and only after a verification.
ALTER TABLE organizations ADD CONSTRAINT organizations_provisional_build
  CHECK (provisional_build_until IS NULL
         OR (account_level = 'build' AND identity_verified_at IS NOT NULL));
