-- Orders, their lines, the provider feed, provisioning reports, admissions,
-- documents and subscriptions (DOMAIN.md §5, order.proto,
-- provisioning.proto, subscription.proto, document.proto).
--
-- Money is integer cents (EUR); VAT rates basis points. Times are written
-- from the server's clock (the test clock in tests).

-- ListOrders' query: substring search on an index, per organisation
-- (btree_gin lets the organisation lead the trigram index).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- "CC" + 6 digits and "BL" + 6 digits: the sequences stop at 999999 rather
-- than print a seventh digit (nextval fails; the order is not placed).
CREATE SEQUENCE order_number_seq MINVALUE 1 MAXVALUE 999999 NO CYCLE;
CREATE SEQUENCE delivery_note_number_seq MINVALUE 1 MAXVALUE 999999 NO CYCLE;
CREATE SEQUENCE incident_number_seq MINVALUE 1 MAXVALUE 99999 NO CYCLE;

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE CHECK (number ~ '^CC[0-9]{6}$'),
  organization_id uuid NOT NULL REFERENCES organizations (id),  -- the buyer
  seller_id uuid NOT NULL REFERENCES organizations (id),
  proposal_number text NOT NULL DEFAULT '',
  purchase_order_reference text NOT NULL DEFAULT '',
  service_code text NOT NULL DEFAULT '',
  contact_name text NOT NULL,
  contact_email text NOT NULL,
  contact_phone text NOT NULL DEFAULT '',
  placed_by uuid NOT NULL REFERENCES users (id),
  status text NOT NULL DEFAULT 'to_deliver' CHECK (status IN
    ('to_deliver', 'partially_delivered', 'delivered', 'admitted', 'disputed', 'cancelled')),
  currency text NOT NULL DEFAULT 'EUR',
  total_excl_vat_cents bigint NOT NULL,
  total_vat_cents bigint NOT NULL,
  total_incl_vat_cents bigint NOT NULL,
  -- what ListOrders' query matches: number, reference, lines' designations
  -- and product codes, accents folded (written by the order store)
  search_text text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- Keyset pages per organisation, newest first, and by total.
CREATE INDEX orders_org_created_idx ON orders (organization_id, created_at DESC, id DESC);
CREATE INDEX orders_org_total_idx ON orders (organization_id, total_excl_vat_cents DESC, id DESC);
CREATE INDEX orders_placed_by_idx ON orders (placed_by, created_at DESC, id DESC);
CREATE INDEX orders_seller_idx ON orders (seller_id, created_at DESC);
CREATE INDEX orders_search_idx ON orders USING gin (organization_id, search_text gin_trgm_ops);

-- The account level's allowance counts what an organisation committed in a
-- calendar month: the orders' totals excluding VAT, cancelled ones aside.
CREATE INDEX orders_org_month_idx ON orders (organization_id, created_at) WHERE status <> 'cancelled';

CREATE TABLE order_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id),
  position integer NOT NULL,
  product_id uuid NOT NULL REFERENCES products (id),
  plan_id uuid NOT NULL REFERENCES pricing_plans (id),
  product_code text NOT NULL,
  product_name text NOT NULL,
  designation text NOT NULL,
  plan_model text NOT NULL,
  region text NOT NULL DEFAULT '',
  instance_template text NOT NULL DEFAULT '',
  quantity bigint NOT NULL CHECK (quantity >= 1),
  quantity_delivered bigint NOT NULL DEFAULT 0 CHECK (quantity_delivered BETWEEN 0 AND quantity),
  quantity_admitted bigint NOT NULL DEFAULT 0
    CHECK (quantity_admitted BETWEEN 0 AND quantity_delivered),
  hours bigint NOT NULL DEFAULT 0,
  duration_months integer NOT NULL DEFAULT 0,
  upfront_cents bigint NOT NULL DEFAULT 0,           -- per unit
  monthly_price_cents bigint NOT NULL DEFAULT 0,     -- per unit
  unit_price_cents bigint NOT NULL,
  amount_excl_vat_cents bigint NOT NULL,
  vat_rate_bp integer NOT NULL,
  vat_cents bigint NOT NULL,
  amount_incl_vat_cents bigint NOT NULL,
  expected_delivery_at timestamptz,
  provisioning text NOT NULL DEFAULT 'pending'
    CHECK (provisioning IN ('pending', 'in_progress', 'delivered', 'failed')),
  failure_reason text NOT NULL DEFAULT '',
  -- the provider's access details, sealed with the server's secret box
  access_details_sealed bytea,
  access_reported_at timestamptz,
  -- the provider's time of the newest report applied: an older report
  -- never overwrites a newer one
  last_report_at timestamptz,
  updated_at timestamptz NOT NULL,
  UNIQUE (order_id, position)
);

-- Renewals and complements.
CREATE TABLE order_links (
  order_id uuid NOT NULL REFERENCES orders (id),
  linked_order_id uuid NOT NULL REFERENCES orders (id),
  PRIMARY KEY (order_id, linked_order_id),
  CHECK (order_id <> linked_order_id)
);

-- The provider feed: per seller, events numbered 1, 2, 3… without gaps.
-- Writers take the seller's row in order_feeds FOR UPDATE (UPDATE …
-- RETURNING) in the transaction that writes the event, so one seller's
-- events commit in the order of their numbers and a reader that saw n
-- has seen every event before n.
CREATE TABLE order_feeds (
  seller_id uuid PRIMARY KEY REFERENCES organizations (id),
  last_seq bigint NOT NULL DEFAULT 0
);
CREATE TABLE order_events (
  seller_id uuid NOT NULL REFERENCES organizations (id),
  seq bigint NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  line_id uuid REFERENCES order_lines (id),
  kind text NOT NULL CHECK (kind IN
    ('order_created', 'order_changed', 'order_admitted', 'order_contested', 'order_cancelled',
     'line_changed')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (seller_id, seq)
);

-- Reports already applied, by the provider's event id: a duplicate is
-- answered from here and changes nothing.
CREATE TABLE provisioning_reports (
  seller_id uuid NOT NULL REFERENCES organizations (id),
  event_id text NOT NULL,
  line_id uuid NOT NULL REFERENCES order_lines (id),
  outcome text NOT NULL CHECK (outcome IN ('applied', 'stale')),
  reported_at timestamptz NOT NULL,  -- the provider's event time
  received_at timestamptz NOT NULL,
  PRIMARY KEY (seller_id, event_id)
);

-- "Service fait": who certified which delivered quantities, and when.
CREATE TABLE admissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id),
  user_id uuid NOT NULL REFERENCES users (id),
  admitted_at timestamptz NOT NULL
);
CREATE INDEX admissions_order_idx ON admissions (order_id, admitted_at);
CREATE TABLE admission_lines (
  admission_id uuid NOT NULL REFERENCES admissions (id),
  line_id uuid NOT NULL REFERENCES order_lines (id),
  quantity bigint NOT NULL CHECK (quantity >= 1),
  PRIMARY KEY (admission_id, line_id)
);

-- Incidents opened by ContestDelivery; the after-sales issue completes
-- them (messages, attachments, status changes).
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE CHECK (number ~ '^SAV-[0-9]{5}$'),
  order_id uuid NOT NULL REFERENCES orders (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  kind text NOT NULL CHECK (kind IN ('modification_cancellation', 'incomplete_order', 'credentials')),
  description text NOT NULL,
  status text NOT NULL DEFAULT 'declared' CHECK (status IN ('declared', 'in_progress', 'resolved', 'closed')),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX incidents_order_idx ON incidents (order_id);

-- Rendered documents (PDF): delivery notes now; subscription forms,
-- decision-aid reports and invoices later. Readable by whoever may read the
-- order (buyer per its orders level, the seller's backend).
CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('delivery_note')),
  number text NOT NULL UNIQUE,
  order_id uuid REFERENCES orders (id),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  seller_id uuid REFERENCES organizations (id),
  content_type text NOT NULL DEFAULT 'application/pdf',
  content bytea NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX documents_order_idx ON documents (order_id, created_at);

-- Subscriptions: the catalogue's minimal table grows into the real one.
-- A subscription is created when an order line is admitted; its status is
-- derived from its dates at read time (subscribed, active, ended) unless it
-- is terminated. The stored status column is gone: the catalogue's
-- notification reads the dates.
ALTER TABLE subscriptions
  ADD COLUMN order_id uuid REFERENCES orders (id),
  ADD COLUMN order_line_id uuid REFERENCES order_lines (id),
  ADD COLUMN parent_id uuid REFERENCES subscriptions (id),   -- split from
  ADD COLUMN name text NOT NULL DEFAULT '',
  ADD COLUMN type text NOT NULL DEFAULT 'subscription' CHECK (type IN ('subscription', 'reservation', 'hourly', 'free', 'byol')),
  ADD COLUMN region text NOT NULL DEFAULT '',
  ADD COLUMN quantity bigint NOT NULL DEFAULT 1 CHECK (quantity >= 1),
  ADD COLUMN duration_months integer NOT NULL DEFAULT 0,
  ADD COLUMN upfront_cents bigint NOT NULL DEFAULT 0,
  ADD COLUMN monthly_price_cents bigint NOT NULL DEFAULT 0,
  ADD COLUMN starts_at timestamptz,
  ADD COLUMN ends_at timestamptz,
  ADD COLUMN terminated_at timestamptz,         -- when the termination takes effect
  ADD COLUMN termination_requested_at timestamptz,
  ADD COLUMN termination_requested_by uuid REFERENCES users (id),
  ADD COLUMN version bigint NOT NULL DEFAULT 1,
  ADD COLUMN updated_at timestamptz;
UPDATE subscriptions SET starts_at = created_at, updated_at = created_at,
  ends_at = CASE WHEN status = 'ended' THEN created_at END;
ALTER TABLE subscriptions ALTER COLUMN starts_at SET NOT NULL;
ALTER TABLE subscriptions ALTER COLUMN updated_at SET NOT NULL;
DROP INDEX subscriptions_product_idx;
ALTER TABLE subscriptions DROP COLUMN status;
CREATE INDEX subscriptions_product_idx ON subscriptions (product_id, ends_at);
CREATE INDEX subscriptions_org_idx ON subscriptions (organization_id, created_at DESC, id DESC);
CREATE INDEX subscriptions_line_idx ON subscriptions (order_line_id);
