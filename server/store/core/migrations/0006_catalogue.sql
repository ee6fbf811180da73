-- 0006_catalogue.sql — storefronts, products, pricing plans, versions
-- (DOMAIN.md §3), and the minimal subscriptions table the unpublish
-- notification reads (the orders issue extends it).
--
-- Money is integer cents with a currency code; VAT rates are basis points
-- (2000 = 20 %). Times as in 0002: written from the server's clock.

-- Text search folds accents both ways ("sécurité" finds "securite"):
-- unaccent is STABLE (it reads a dictionary), so an IMMUTABLE wrapper with
-- the dictionary named lets it feed a generated column and its index.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE FUNCTION nu_unaccent(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, t) $$;

CREATE TABLE storefronts (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  contact_email text NOT NULL DEFAULT '',
  contact_phone text NOT NULL DEFAULT '',
  website text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Product codes: "NUP-" and a number from this sequence, so concurrent
-- creates never collide and a code is never reused.
CREATE SEQUENCE product_code_seq START 1000;

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,                 -- immutable; usage and billing refer to it
  seller_id uuid NOT NULL REFERENCES organizations (id),
  kind text NOT NULL CHECK (kind IN ('machine_image', 'managed_service', 'professional_service')),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  regions text[] NOT NULL DEFAULT '{}',
  certifications text[] NOT NULL DEFAULT '{}' CHECK (certifications <@ ARRAY[
    'hds', 'iso_27001', 'iso_27017', 'iso_27018', 'pci_dss', 'secnumcloud', 'isae_3402',
    'iso_50001']::text[]),
  extra_eu_law boolean NOT NULL DEFAULT false, -- provider subject to extra-European law
  capabilities text[] NOT NULL DEFAULT '{}' CHECK (capabilities <@ ARRAY[
    'standard_vms', 'serverless', 'bare_metal', 'optimized_vms', 'monitoring',
    'resource_optimization', 'log_analysis', 'cmdb', 'vdi', 'training',
    'professional_services', 'marketplace']::text[]),
  -- pricing models of its plans, kept by the plan store for filtering
  pricing_models text[] NOT NULL DEFAULT '{}',
  -- the cheapest plan as a monthly amount in cents (hourly × 730 h), for
  -- sorting by price; NULL when no plan has a price (free, BYOL, quotation)
  min_monthly_cents bigint,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
  published_at timestamptz,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  -- French and English stems of the accent-folded name (weight A) and
  -- description (weight B).
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', nu_unaccent(name)), 'A') ||
    setweight(to_tsvector('english', nu_unaccent(name)), 'A') ||
    setweight(to_tsvector('french', nu_unaccent(description)), 'B') ||
    setweight(to_tsvector('english', nu_unaccent(description)), 'B')) STORED
);
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_certifications_idx ON products USING gin (certifications);
CREATE INDEX products_regions_idx ON products USING gin (regions);
CREATE INDEX products_capabilities_idx ON products USING gin (capabilities);
CREATE INDEX products_pricing_models_idx ON products USING gin (pricing_models);
CREATE INDEX products_seller_idx ON products (seller_id, created_at DESC, id);
CREATE INDEX products_published_name_idx ON products (lower(name), id) WHERE status = 'published';
CREATE INDEX products_published_newest_idx ON products (published_at DESC, id)
  WHERE status = 'published';
CREATE INDEX products_published_price_idx ON products (min_monthly_cents, id)
  WHERE status = 'published';

CREATE TABLE pricing_plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id),
  name text NOT NULL,
  model text NOT NULL CHECK (model IN ('hourly', 'free', 'byol', 'subscription', 'quotation')),
  currency text NOT NULL DEFAULT 'EUR',
  hourly_price_cents bigint CHECK (hourly_price_cents >= 0),    -- hourly: per unit-hour
  monthly_price_cents bigint CHECK (monthly_price_cents >= 0),  -- subscription
  commitment_months integer CHECK (commitment_months IN (12, 24, 36)),
  upfront_cents bigint CHECK (upfront_cents >= 0),              -- subscription, optional
  vat_rate_bp integer NOT NULL DEFAULT 2000 CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  active boolean NOT NULL DEFAULT true,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (model <> 'hourly' OR hourly_price_cents IS NOT NULL),
  CHECK (model <> 'subscription' OR (monthly_price_cents IS NOT NULL AND commitment_months IS NOT NULL))
);
CREATE INDEX pricing_plans_product_idx ON pricing_plans (product_id, created_at, id);

CREATE TABLE product_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id),
  label text NOT NULL,                        -- "2.4.1"
  release_notes text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'unpublished')),
  published_at timestamptz,
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (product_id, label)
);

-- Subscriptions of organisations to products. Only what the catalogue
-- needs now (who is subscribed to what); the orders issue adds the rest.
CREATE TABLE subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  product_id uuid NOT NULL REFERENCES products (id),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('subscribed', 'active', 'ended')),
  created_at timestamptz NOT NULL
);
CREATE INDEX subscriptions_product_idx ON subscriptions (product_id) WHERE status <> 'ended';
