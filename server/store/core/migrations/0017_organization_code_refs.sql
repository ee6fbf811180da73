-- 0017_organization_code_refs.sql — organisation codes, invoice references
-- and the invoice recipient (DOMAIN.md §1, issue 10 points 1 to 3).

-- Codes: "ORG-" and six digits, unique and immutable. The number comes from
-- a sequence, so concurrent creates never collide and a code is never
-- reused; it is spread over the six digits by a multiplication modulo 10^6
-- (387161 is prime to 10^6, so the map is a bijection) so that codes do not
-- show how many organisations came before. The sequence stops at 999999
-- instead of cycling: it errors rather than repeating a code.
CREATE SEQUENCE organization_code_seq MINVALUE 0 START 0 MAXVALUE 999999 NO CYCLE;
CREATE FUNCTION nu_org_code_of(n bigint) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT 'ORG-' || lpad(((n * 387161) % 1000000)::text, 6, '0') $$;
CREATE FUNCTION nu_org_next_code() RETURNS text
  LANGUAGE sql VOLATILE
  AS $$ SELECT public.nu_org_code_of(nextval('public.organization_code_seq')) $$;

ALTER TABLE organizations ADD COLUMN code text;
-- Rows that existed before: numbers 0, 1, … in creation order; the
-- sequence goes on after them.
WITH numbered AS (
  SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM organizations
)
UPDATE organizations o SET code = nu_org_code_of(numbered.n)
  FROM numbered WHERE o.id = numbered.id;
SELECT setval('organization_code_seq', (SELECT count(*) FROM organizations), false);
ALTER TABLE organizations ALTER COLUMN code SET DEFAULT nu_org_next_code();
ALTER TABLE organizations ALTER COLUMN code SET NOT NULL;
ALTER TABLE organizations ADD CONSTRAINT organizations_code_key UNIQUE (code);
ALTER TABLE organizations ADD CONSTRAINT organizations_code_format
  CHECK (code ~ '^ORG-[0-9]{6}$');

-- A code never changes once given, whoever writes the row.
CREATE FUNCTION nu_org_code_immutable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF NEW.code IS DISTINCT FROM OLD.code THEN
    RAISE EXCEPTION 'organization code is immutable' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER organizations_code_immutable BEFORE UPDATE OF code ON organizations
  FOR EACH ROW EXECUTE FUNCTION nu_org_code_immutable();

-- REF1, REF2, REF3: free references the referent prints on invoices.
ALTER TABLE organizations
  ADD COLUMN invoice_reference_1 text NOT NULL DEFAULT '',
  ADD COLUMN invoice_reference_2 text NOT NULL DEFAULT '',
  ADD COLUMN invoice_reference_3 text NOT NULL DEFAULT '',
  -- Who receives the invoices (optional: billing_email is where they go).
  ADD COLUMN invoice_recipient_first_name text NOT NULL DEFAULT '',
  ADD COLUMN invoice_recipient_last_name text NOT NULL DEFAULT '',
  ADD COLUMN invoice_recipient_email text NOT NULL DEFAULT '';
