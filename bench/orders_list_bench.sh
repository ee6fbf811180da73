#!/usr/bin/env bash
# orders_list_bench.sh — a buyer's order list at 10^4 and ~10^6 orders
# (issue 11): ListOrders p50/p95 from bench/orders_bench.cc (first page,
# a deep page through page tokens, a query) for one organisation, against a
# throwaway PostgreSQL (scripts/pg.sh) and nuage-server with its defaults.
# See bench/README.md.
#
#   bench/orders_list_bench.sh
#   CLIENTS=2 DURATION=5 LARGE=999999 bench/orders_list_bench.sh
#
# Buyer A holds 10^4 orders in both databases: alone at first, then among
# LARGE orders where buyer B holds half and FILLERS organisations share the
# rest. Target (printed with whether it is met): A's first-page p50 with
# LARGE orders within 1.5x of its p50 with 10^4. B (a large share) is
# printed beside it, with EXPLAIN ANALYZE of its first page.
set -euo pipefail

CLIENTS="${CLIENTS:-2}"
DURATION="${DURATION:-5}"
SMALL=10000
LARGE="${LARGE:-999999}" # order numbers are CC + 6 digits: at most CC999999
DEEP_PAGES="${DEEP_PAGES:-20}"  # the deep page is page DEEP_PAGES + 1 (of 50)
QUERY="${QUERY:-2026-004}"      # purchase-order references EJ-2026-0040..0049: 0.1 % of the orders
BAZEL="${BAZEL:-bazel}"         # e.g. BAZEL="bazel --output_base=DIR"
PGBIN=/usr/lib/postgresql/15/bin
BENCH_NAME=orders_list_bench.sh
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=bench/orders_lib.sh
. "$ROOT/bench/orders_lib.sh"
cd "$ROOT"
command -v bazel >/dev/null 2>&1 || die "bazel not found"
if [ "$LARGE" -le "$SMALL" ] || [ "$LARGE" -gt 999999 ]; then die "LARGE must be in $((SMALL + 1))..999999"; fi

echo "== building" >&2
$BAZEL build //server:nuage-server //bench:orders_bench >&2
BAZEL_BIN="$($BAZEL info bazel-bin 2>/dev/null)"

bench_make_work
cp "$BAZEL_BIN/server/nuage-server" "$BAZEL_BIN/bench/orders_bench" "$WORK/"

echo "== starting PostgreSQL" >&2
bench_start_pg
psql_() { "$PGBIN/psql" "$CONNINFO" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== starting nuage-server (applies the migrations)" >&2
bench_start_server server "$WORK/port" "$WORK/nuage-server" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database-url "$CONNINFO" --rate-limit-per-address=0 --log-level warn
ADDR="127.0.0.1:$port"

echo "== seeding $SMALL orders of buyer A (1 through CreateOrder)" >&2
orders_seed_parties
orders_seed_templates 1
orders_insert 2 "$SMALL" "'$ORDERS_BUYER_A'::uuid"
psql_ -c "VACUUM ANALYZE orders" -c "VACUUM ANALYZE order_lines"
orders_compare | sed -n '/RECORD 1/,$p' | grep -E 'RECORD|^(number|organization_id|status|search_text|designation) ' || true

declare -A P50
status=0
# measure TAG BUYER_KEY: first page, deep page, query; "TAG page key=value…"
measure() {
  local tag=$1 key=$2 page line
  for page in first deep query; do
    echo "== $tag: ListOrders $page, $CLIENTS clients, ${DURATION}s" >&2
    "$WORK/orders_bench" --addr "$ADDR" --bearer-file "$key" --mode list --page "$page" \
      --deep-pages "$DEEP_PAGES" --query "$QUERY" --clients "$CLIENTS" --duration-s 1 >/dev/null || true
    line="$("$WORK/orders_bench" --addr "$ADDR" --bearer-file "$key" --mode list --page "$page" \
      --deep-pages "$DEEP_PAGES" --query "$QUERY" --clients "$CLIENTS" --duration-s "$DURATION")" || status=1
    echo "$tag $line"
    P50[$tag/$page]="$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$line")"
  done
}
measure "A(10^4)@$SMALL" "$WORK/buyer_a.key"

echo "== seeding orders $((SMALL + 1))..$LARGE: even numbers buyer B, odd ones $FILLERS others" >&2
# The secondary indexes of orders are dropped for the bulk insert and built
# again from their own definitions (pg_get_indexdef): the schema ends as the
# migrations left it, in a fraction of the time of updating the trigram
# index row by row.
psql_ -At -c "SELECT pg_get_indexdef(indexrelid) || ';' FROM pg_index
              WHERE indrelid = 'orders'::regclass AND NOT indisunique" >"$WORK/indexes.sql"
psql_ -At -c "SELECT 'DROP INDEX ' || indexrelid::regclass || ';' FROM pg_index
              WHERE indrelid = 'orders'::regclass AND NOT indisunique" | psql_
start=$((SMALL + 1))
t0=$SECONDS
while [ "$start" -le "$LARGE" ]; do
  end=$((start + 99999))
  [ "$end" -gt "$LARGE" ] && end=$LARGE
  orders_insert "$start" "$end" "CASE WHEN i % 2 = 0 THEN '$ORDERS_BUYER_B'::uuid
    ELSE ('be0e0000-0000-4000-8000-' || lpad((1 + i % $FILLERS)::text, 12, '0'))::uuid END"
  start=$((end + 1))
done
psql_ -f "$WORK/indexes.sql"
psql_ -c "VACUUM ANALYZE orders" -c "VACUUM ANALYZE order_lines"
echo "seeded in $((SECONDS - t0)) s: $(psql_ -At -c "SELECT count(*) || ' orders, buyer A ' ||
  count(*) FILTER (WHERE organization_id = '$ORDERS_BUYER_A') || ', buyer B ' ||
  count(*) FILTER (WHERE organization_id = '$ORDERS_BUYER_B') FROM orders")"

measure "A(10^4)@$LARGE" "$WORK/buyer_a.key"
measure "B(half)@$LARGE" "$WORK/buyer_b.key"

# The list query as store/orders/order_store.c sends it (newest first),
# prepared with the same parameters: B's first page, A's query page.
echo "== EXPLAIN ANALYZE of the first page of B at $LARGE orders"
psql_ -P pager=off <<SQL
PREPARE list(uuid, uuid, text, text, bigint, bigint, uuid, bigint, int) AS
SELECT o.id, o.number, o.organization_id, b.name, o.seller_id, COALESCE(sf.name, s.name),
  o.proposal_number, o.purchase_order_reference, o.service_code, o.contact_name, o.contact_email,
  o.contact_phone, o.placed_by, btrim(u.first_name || ' ' || u.last_name), o.status, o.currency,
  o.total_excl_vat_cents, o.total_vat_cents, o.total_incl_vat_cents, o.version,
  nu_us(o.created_at), nu_us(o.updated_at)
FROM orders o JOIN organizations b ON b.id = o.organization_id
JOIN organizations s ON s.id = o.seller_id
LEFT JOIN storefronts sf ON sf.organization_id = o.seller_id JOIN users u ON u.id = o.placed_by
WHERE (\$1::uuid IS NULL OR o.organization_id = \$1::uuid)
AND (\$2::uuid IS NULL OR (EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.organization_id
        AND m.user_id = \$2::uuid) AND (o.placed_by = \$2::uuid OR b.referent_user_id = \$2::uuid)))
AND (\$3::text IS NULL OR o.search_text LIKE '%' || replace(replace(replace(lower(nu_unaccent(\$3)),
        '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
AND (\$4::text IS NULL OR o.status = \$4)
AND (\$5::bigint IS NULL OR o.created_at >= nu_ts(\$5))
AND (\$6::bigint IS NULL OR o.created_at < nu_ts(\$6))
AND (\$7::uuid IS NULL OR (o.created_at, o.id) < (nu_ts(\$8::bigint), \$7::uuid))
ORDER BY o.created_at DESC, o.id DESC LIMIT \$9::int;
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE list('$ORDERS_BUYER_B', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 51);
\echo '== EXPLAIN ANALYZE of the query page of buyer A at $LARGE orders'
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE list('$ORDERS_BUYER_A', NULL, '$QUERY', NULL, NULL, NULL, NULL, NULL, 51);
SQL
echo
echo "== target: A's ListOrders p50 with $LARGE orders within 1.5x of its p50 with $SMALL"
for page in first deep query; do
  awk -v a="${P50[A(10^4)@$SMALL/$page]:-0}" -v b="${P50[A(10^4)@$LARGE/$page]:-0}" \
    -v c="${P50[B(half)@$LARGE/$page]:-0}" -v p="$page" -v s="$SMALL" -v l="$LARGE" 'BEGIN {
    r = (a > 0) ? b / a : 0
    printf "%-5s A: %.2f ms at %d, %.2f ms at %d: ratio %.2f (target <= 1.50): %s; B (half of %d): %.2f ms, %.1fx A at %d\n",
      p, a, s, b, l, r, (a > 0 && r <= 1.5) ? "MET" : "NOT MET", l, c, (a > 0) ? c / a : 0, s }'
done
exit "$status"
