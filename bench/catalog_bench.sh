#!/usr/bin/env bash
# catalog_bench.sh — catalogue browsing at 10^4 and 10^6 products (issue 4):
# ListProducts (a page of 50, one certification filter, by name) and
# GetProduct (by code) throughput and p50/p99 from bench/catalog_bench.cc,
# against a throwaway PostgreSQL (scripts/pg.sh) and nuage-server with its
# default settings; and pgbench running GetProduct's SQL at the same
# concurrency in the same run. See bench/README.md.
#
#   bench/catalog_bench.sh
#   CLIENTS=8 DURATION=10 SIZES="10000 1000000" bench/catalog_bench.sh
#
# Targets (printed with whether they are met): ListProducts p50 at the
# largest size within 1.5x of p50 at the smallest; GetProduct throughput
# >= 50 % of pgbench's at each size.
set -euo pipefail

CLIENTS="${CLIENTS:-8}"
DURATION="${DURATION:-10}"
SIZES="${SIZES:-10000 1000000}"
BAZEL="${BAZEL:-bazel}" # e.g. BAZEL="bazel --output_base=DIR"
PGBIN=/usr/lib/postgresql/15/bin
BENCH_NAME=catalog_bench.sh
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
command -v bazel >/dev/null 2>&1 || die "bazel not found"
[ -x "$PGBIN/pgbench" ] || die "pgbench not found in $PGBIN (Debian: postgresql-15)"

echo "== building" >&2
$BAZEL build //server:nuage-server //bench:catalog_bench >&2
BAZEL_BIN="$($BAZEL info bazel-bin 2>/dev/null)"

bench_make_work

cp "$BAZEL_BIN/server/nuage-server" "$BAZEL_BIN/bench/catalog_bench" "$WORK/"

echo "== starting PostgreSQL" >&2
bench_start_pg
psql_() { "$PGBIN/psql" "$CONNINFO" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== starting nuage-server (applies the migrations)" >&2
bench_start_server server "$WORK/port" "$WORK/nuage-server" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database-url "$CONNINFO" --log-level warn
ADDR="127.0.0.1:$port"

# One validated seller with a storefront owns every product.
psql_ <<'SQL'
INSERT INTO users (id, login, email, status, created_at, updated_at)
  VALUES ('be0c0000-0000-4000-8000-000000000001', 'bench.seller', 'bench@seller.invalid',
          'disabled', now(), now());
INSERT INTO organizations (id, name, is_buyer, is_seller, status, referent_user_id, created_at, updated_at)
  VALUES ('be0c0000-0000-4000-8000-000000000002', 'Bench Cloud', false, true, 'validated',
          'be0c0000-0000-4000-8000-000000000001', now(), now());
INSERT INTO storefronts (organization_id, name, created_at, updated_at)
  VALUES ('be0c0000-0000-4000-8000-000000000002', 'Bench Cloud', now(), now());
SQL

# Products from..to: codes NUP-B<i>, names in random order, a quarter of
# them with each certification, published, one hourly plan each.
insert_products() {
  local from=$1 to=$2
  psql_ <<SQL
INSERT INTO products (code, seller_id, kind, name, description, category, regions,
                      certifications, capabilities, pricing_models, min_monthly_cents,
                      status, published_at, created_at, updated_at)
SELECT 'NUP-B' || i, 'be0c0000-0000-4000-8000-000000000002',
       (ARRAY['machine_image','managed_service','professional_service'])[1 + i % 3],
       'Offre ' || substr(md5(i::text), 1, 10),
       'Service de sécurité ' || (i % 97) || ' hébergé en France, sauvegarde et supervision',
       'Infrastructure', ARRAY['cloudgouv-eu-west-1'],
       CASE i % 4 WHEN 0 THEN ARRAY['hds','iso_27001'] WHEN 1 THEN ARRAY['secnumcloud','iso_27001']
                  WHEN 2 THEN ARRAY['iso_27001'] ELSE ARRAY['pci_dss','hds'] END,
       ARRAY['standard_vms'], ARRAY['hourly'], (i % 1000) * 730,
       'published', now() - (i % 10000) * interval '1 minute', now(), now()
FROM generate_series($from, $to) i;
INSERT INTO pricing_plans (product_id, name, model, hourly_price_cents, created_at, updated_at)
SELECT id, 'À l''heure', 'hourly', (substr(code, 6)::int % 1000), now(), now()
FROM products WHERE code LIKE 'NUP-B%' AND substr(code, 6)::int BETWEEN $from AND $to;
SQL
}

# What GetProduct runs per call (server/store/core/tx.c, store/catalog/product_store.c,
# plan_store.c), for pgbench with extended protocol like libpq's
# PQexecParams. The plans are read by the product's code here (the server
# has the id at hand): one more index probe for pgbench.
cat >"$WORK/get_product.sql" <<'SQL'
\set n random(1, :nproducts)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT set_config('statement_timeout', '10000', true);
SELECT p.id, p.code, p.seller_id, COALESCE(s.name, o.name), p.kind, p.name, p.description, p.category, p.regions, p.certifications, p.extra_eu_law, p.capabilities, p.pricing_models, p.min_monthly_cents IS NOT NULL, COALESCE(p.min_monthly_cents, 0), p.status, nu_us(p.published_at), p.version, nu_us(p.created_at), nu_us(p.updated_at) FROM products p JOIN organizations o ON o.id = p.seller_id LEFT JOIN storefronts s ON s.organization_id = p.seller_id WHERE p.code = 'NUP-B' || :n;
SELECT id, product_id, name, model, currency, hourly_price_cents, monthly_price_cents, commitment_months, upfront_cents, vat_rate_bp, active, version, nu_us(created_at), nu_us(updated_at) FROM pricing_plans WHERE product_id = (SELECT id FROM products WHERE code = 'NUP-B' || :n) AND (active OR NOT true) ORDER BY created_at, id;
COMMIT;
SQL

# GetProduct by code, so the ids file holds codes.
bench_get_codes() {
  local n=$1
  awk -v n="$n" 'BEGIN { srand(7); for (i = 0; i < 20000; i++) printf "NUP-B%d\n", 1 + int(rand() * n) }' \
    >"$WORK/codes"
}

declare -A LIST_P50 GET_RATE PGB_TPS
have=0
status=0
for size in $SIZES; do
  if [ "$size" -gt "$have" ]; then
    echo "== inserting products $((have + 1))..$size" >&2
    start=$((have + 1))
    while [ "$start" -le "$size" ]; do
      end=$((start + 99999))
      [ "$end" -gt "$size" ] && end=$size
      insert_products "$start" "$end"
      start=$((end + 1))
    done
    have=$size
    psql_ -c "VACUUM ANALYZE products" -c "VACUUM ANALYZE pricing_plans"
  fi
  bench_get_codes "$size"
  echo "== $size products: ListProducts, $CLIENTS clients, ${DURATION}s" >&2
  # A short warm-up so both runs start with the same cache state.
  "$WORK/catalog_bench" --addr "$ADDR" --mode list --clients "$CLIENTS" --duration-s 2 >/dev/null || true
  line="$("$WORK/catalog_bench" --addr "$ADDR" --mode list --clients "$CLIENTS" --duration-s "$DURATION")" || status=1
  echo "size=$size $line"
  LIST_P50[$size]="$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")"
  echo "== $size products: GetProduct, $CLIENTS clients, ${DURATION}s" >&2
  "$WORK/catalog_bench" --addr "$ADDR" --mode get --codes "$WORK/codes" --clients "$CLIENTS" --duration-s 2 >/dev/null || true
  line="$("$WORK/catalog_bench" --addr "$ADDR" --mode get --codes "$WORK/codes" --clients "$CLIENTS" --duration-s "$DURATION")" || status=1
  echo "size=$size $line"
  GET_RATE[$size]="$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$line")"
  echo "== $size products: pgbench with GetProduct's SQL, $CLIENTS clients, ${DURATION}s" >&2
  pgb="$("$PGBIN/pgbench" "$CONNINFO" -n -M extended -c "$CLIENTS" -j "$(nproc)" -T "$DURATION" \
    -D nproducts="$size" -f "$WORK/get_product.sql" 2>&1)" || { echo "$pgb" >&2; status=1; }
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pgb" | head -1)"
  lat="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$pgb" | head -1)"
  echo "size=$size mode=pgbench clients=$CLIENTS tps=$tps latency_avg_ms=$lat"
  PGB_TPS[$size]="$tps"
done

echo
echo "== targets"
set -- $SIZES
small=$1
large=${!#}
if [ "$small" != "$large" ]; then
  awk -v a="${LIST_P50[$small]}" -v b="${LIST_P50[$large]}" -v s="$small" -v l="$large" 'BEGIN {
    r = (a > 0) ? b / a : 0
    printf "ListProducts p50: %.2f ms at %d, %.2f ms at %d: ratio %.2f (target <= 1.50): %s\n",
      a, s, b, l, r, (a > 0 && r <= 1.5) ? "MET" : "NOT MET" }'
fi
for size in $SIZES; do
  awk -v g="${GET_RATE[$size]}" -v p="${PGB_TPS[$size]}" -v s="$size" 'BEGIN {
    r = (p > 0) ? g / p : 0
    printf "GetProduct at %d: %.1f/s vs pgbench %.1f tps: %.0f %% (target >= 50 %%): %s\n",
      s, g, p, 100 * r, (p > 0 && r >= 0.5) ? "MET" : "NOT MET" }'
done
exit "$status"
