# orders_lib.sh — the seed the orders benchmarks share; sourced after
# lib.sh, once the cluster and the server run (psql_, WORK, ADDR set).
#
#   orders_seed_parties      a seller (validated, storefront, one published
#                            product with a 12-month plan), buyers A and B
#                            (validated, account level build, billing
#                            details), FILLERS other buyer organisations,
#                            and access keys of the three referents in
#                            WORK/{seller,buyer_a,buyer_b}.key (not printed)
#   orders_seed_templates N  places N orders of buyer A through CreateOrder
#                            (orders_bench --mode create): the real path,
#                            and the rows the bulk seed copies
#   orders_insert FROM TO ORG_SQL
#                            orders FROM..TO (numbers CC<FROM>..CC<TO>), one
#                            line each, copied from the first template with
#                            generate_series; ORG_SQL is the buyer as an SQL
#                            expression of i (the order's number)
#   orders_compare           prints a template order and a seeded one side
#                            by side (the columns that differ by design are
#                            the ids, number, reference, times and search text)

ORDERS_SELLER=be0d0000-0000-4000-8000-000000000002
ORDERS_BUYER_A=be0d0000-0000-4000-8000-000000000004
ORDERS_BUYER_B=be0d0000-0000-4000-8000-000000000005
ORDERS_PRODUCT=be0d0000-0000-4000-8000-000000000006
ORDERS_PLAN=be0d0000-0000-4000-8000-000000000007
FILLERS="${FILLERS:-1000}"

# An access key of user for org: "<24-character id>:<secret>" into FILE.
orders_access_key() {
  local id=$1 user=$2 org=$3 file=$4 secret
  secret="nusk_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  psql_ -c "INSERT INTO access_keys (id, secret_hash, user_id, organization_id, description, created_at)
            VALUES ('$id', sha256(convert_to('$secret', 'UTF8')), '$user', '$org', 'bench', now())"
  printf '%s:%s\n' "$id" "$secret" >"$file"
  chmod 0600 "$file"
}

orders_seed_parties() {
  psql_ <<SQL
INSERT INTO users (id, login, email, first_name, last_name, status, email_confirmed_at,
                   terms_accepted_at, created_at, updated_at)
SELECT ('be0d0000-0000-4000-8000-00000000000' || n)::uuid, 'bench.' || who, who || '@bench.invalid',
       'Bench', who, 'active', now(), now(), now(), now()
FROM (VALUES (1, 'seller'), (3, 'buyer')) v(n, who);
INSERT INTO organizations (id, name, is_buyer, is_seller, status, referent_user_id, created_at, updated_at)
  VALUES ('$ORDERS_SELLER', 'Bench Cloud', false, true, 'validated',
          'be0d0000-0000-4000-8000-000000000001', now(), now()),
         ('$ORDERS_BUYER_A', 'Ministère A', true, false, 'validated',
          'be0d0000-0000-4000-8000-000000000003', now(), now()),
         ('$ORDERS_BUYER_B', 'Ministère B', true, false, 'validated',
          'be0d0000-0000-4000-8000-000000000003', now(), now());
INSERT INTO organizations (id, name, is_buyer, is_seller, status, referent_user_id, created_at, updated_at)
SELECT ('be0e0000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Mairie ' || i, true, false,
       'validated', 'be0d0000-0000-4000-8000-000000000003', now(), now()
FROM generate_series(1, $FILLERS) i;
UPDATE organizations SET account_level = 'build', billing_name = 'Direction des achats',
       billing_address = '1 rue de Rivoli', billing_postal_code = '75001', billing_city = 'Paris',
       billing_country = 'FR', billing_email = 'factures@ministere-bench.gouv.fr',
       identity_verified_at = now()
WHERE is_buyer;
INSERT INTO memberships (organization_id, user_id, levels, created_at, updated_at)
  VALUES ('$ORDERS_SELLER', 'be0d0000-0000-4000-8000-000000000001', '{2,2,2,2,2,2,2,2,2}', now(), now()),
         ('$ORDERS_BUYER_A', 'be0d0000-0000-4000-8000-000000000003', '{2,2,2,2,2,2,2,2,2}', now(), now()),
         ('$ORDERS_BUYER_B', 'be0d0000-0000-4000-8000-000000000003', '{2,2,2,2,2,2,2,2,2}', now(), now());
INSERT INTO storefronts (organization_id, name, created_at, updated_at)
  VALUES ('$ORDERS_SELLER', 'Bench Cloud', now(), now());
INSERT INTO products (id, code, seller_id, kind, name, description, category, regions,
                      certifications, capabilities, pricing_models, status, published_at,
                      created_at, updated_at)
  VALUES ('$ORDERS_PRODUCT', 'NUP-BENCH1', '$ORDERS_SELLER', 'machine_image', 'Serveur souverain',
          'Machine virtuelle hébergée en France', 'Infrastructure',
          ARRAY['cloudgouv-eu-west-1'], ARRAY['secnumcloud'], ARRAY['standard_vms'],
          ARRAY['subscription'], 'published', now(), now(), now());
INSERT INTO pricing_plans (id, product_id, name, model, monthly_price_cents, commitment_months,
                           created_at, updated_at)
  VALUES ('$ORDERS_PLAN', '$ORDERS_PRODUCT', 'Engagement 12 mois', 'subscription', 10000, 12,
          now(), now());
SQL
  orders_access_key NUAKBENCHSELLERKEY000001 be0d0000-0000-4000-8000-000000000001 "$ORDERS_SELLER" \
    "$WORK/seller.key"
  orders_access_key NUAKBENCHBUYERAKEY000001 be0d0000-0000-4000-8000-000000000003 "$ORDERS_BUYER_A" \
    "$WORK/buyer_a.key"
  orders_access_key NUAKBENCHBUYERBKEY000001 be0d0000-0000-4000-8000-000000000003 "$ORDERS_BUYER_B" \
    "$WORK/buyer_b.key"
}

orders_seed_templates() {
  "$WORK/orders_bench" --addr "$ADDR" --bearer-file "$WORK/buyer_a.key" --mode create \
    --product "$ORDERS_PRODUCT" --plan "$ORDERS_PLAN" --count "$1" >"$WORK/templates" ||
    die "CreateOrder failed (see above)"
  ORDERS_TEMPLATE="$(head -1 "$WORK/templates")"
}

# Ids derived from the number, so pgbench and the clients can name lines
# without a lookup: order be0f0000-…-<hex i>, line be0f1111-…-<hex i>.
orders_insert() {
  local from=$1 to=$2 org=$3
  psql_ <<SQL
INSERT INTO orders (id, number, organization_id, seller_id, purchase_order_reference, service_code,
                    contact_name, contact_email, contact_phone, placed_by, status, currency,
                    total_excl_vat_cents, total_vat_cents, total_incl_vat_cents, search_text,
                    created_at, updated_at)
SELECT ('be0f0000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, n.number, $org,
       t.seller_id, n.ref, t.service_code, t.contact_name, t.contact_email, t.contact_phone,
       t.placed_by, t.status, t.currency, t.total_excl_vat_cents, t.total_vat_cents,
       t.total_incl_vat_cents,
       lower(nu_unaccent(n.number || ' ' || n.ref || ' ' || t.service_code || ' ' ||
                         l.product_code || ' ' || l.designation)),
       n.at, n.at
FROM generate_series($from, $to) i
CROSS JOIN LATERAL (SELECT 'CC' || lpad(i::text, 6, '0') AS number,
                           'EJ-2026-' || lpad((i % 10000)::text, 4, '0') AS ref,
                           now() - ((i::bigint * 7919) % 999983) * interval '30 seconds' AS at) n
CROSS JOIN (SELECT * FROM orders WHERE id = '$ORDERS_TEMPLATE') t
CROSS JOIN (SELECT * FROM order_lines WHERE order_id = '$ORDERS_TEMPLATE') l;
INSERT INTO order_lines (id, order_id, position, product_id, plan_id, product_code, product_name,
                         designation, plan_model, region, instance_template, quantity, hours,
                         duration_months, upfront_cents, monthly_price_cents, unit_price_cents,
                         amount_excl_vat_cents, vat_rate_bp, vat_cents, amount_incl_vat_cents,
                         updated_at)
SELECT ('be0f1111-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       ('be0f0000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, l.position, l.product_id,
       l.plan_id, l.product_code, l.product_name, l.designation, l.plan_model, l.region,
       l.instance_template, l.quantity, l.hours, l.duration_months, l.upfront_cents,
       l.monthly_price_cents, l.unit_price_cents, l.amount_excl_vat_cents, l.vat_rate_bp,
       l.vat_cents, l.amount_incl_vat_cents, now()
FROM generate_series($from, $to) i
CROSS JOIN (SELECT * FROM order_lines WHERE order_id = '$ORDERS_TEMPLATE') l;
SQL
}

orders_compare() {
  echo "== a CreateOrder order and a seeded one (order, then line)"
  psql_ -P pager=off -x -c "SELECT o.*, l.id AS line_id, l.position, l.product_code, l.designation,
      l.plan_model, l.region, l.quantity, l.duration_months, l.unit_price_cents,
      l.amount_excl_vat_cents, l.vat_rate_bp, l.provisioning
    FROM orders o JOIN order_lines l ON l.order_id = o.id
    WHERE o.id = '$ORDERS_TEMPLATE' OR o.number = (SELECT max(number) FROM orders)
    ORDER BY o.number"
}
