#!/usr/bin/env bash
# provisioning_bench.sh — provider backends reporting provisioning (issue
# 11): ReportProvisioning in batches of 100 reports, sustained reports/s and
# p50/p95 batch latency from bench/orders_bench.cc, against a throwaway
# PostgreSQL (scripts/pg.sh) and nuage-server; and pgbench running the same
# statements (one transaction per batch of 100) in the same run.
# See bench/README.md.
#
#   bench/provisioning_bench.sh
#   CLIENTS=2 DURATION=10 ORDERS=40000 bench/provisioning_bench.sh
#
# Target (printed with whether it is met): reports/s through the server
# >= 60 % of pgbench sending the server's statements for a batch (reports
# in progress; the run with deliveries, which also moves statuses and
# issues a delivery note per order, is printed beside it, and rendering
# the notes is measured on its own).
set -euo pipefail

CLIENTS="${CLIENTS:-2}"
DURATION="${DURATION:-10}"
ORDERS="${ORDERS:-40000}" # seeded orders of one line each; every line is reported on once per run
BATCH=100
BAZEL="${BAZEL:-bazel}" # e.g. BAZEL="bazel --output_base=DIR"
PGBIN=/usr/lib/postgresql/15/bin
BENCH_NAME=provisioning_bench.sh
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=bench/orders_lib.sh
. "$ROOT/bench/orders_lib.sh"
cd "$ROOT"
command -v bazel >/dev/null 2>&1 || die "bazel not found"
[ -x "$PGBIN/pgbench" ] || die "pgbench not found in $PGBIN (Debian: postgresql-15)"
[ "$ORDERS" -le 999990 ] || die "ORDERS must be at most 999990 (order numbers have 6 digits)"

echo "== building" >&2
$BAZEL build //server:nuage-server //bench:orders_bench >&2
BAZEL_BIN="$($BAZEL info bazel-bin 2>/dev/null)"

bench_make_work
cp "$BAZEL_BIN/server/nuage-server" "$BAZEL_BIN/bench/orders_bench" "$WORK/"
# The key sealing access details.
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret.key"

echo "== starting PostgreSQL" >&2
bench_start_pg
psql_() { "$PGBIN/psql" "$CONNINFO" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "== starting nuage-server (applies the migrations)" >&2
# One seller's backend calls from 127.0.0.1: no per-address limit.
# No document worker while reports are measured: delivery notes are issued
# in the batch and rendered after it, and rendering (~25 ms of CPU a note)
# would share the two cores with the run; it is measured on its own below.
bench_start_server server "$WORK/port" "$WORK/nuage-server" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database-url "$CONNINFO" --secret-key-file "$WORK/secret.key" --rate-limit-per-address=0 \
  --log-level warn --document-poll-ms 0
ADDR="127.0.0.1:$port"

echo "== seeding: 3 orders through CreateOrder, $ORDERS in SQL" >&2
orders_seed_parties
orders_seed_templates 3
first=4
last=$((3 + ORDERS))
orders_insert "$first" "$last" "'$ORDERS_BUYER_A'::uuid"
psql_ -c "VACUUM ANALYZE orders" -c "VACUUM ANALYZE order_lines"
orders_compare

# Line ids, as orders_insert derives them: half for the run in progress
# only, half for the run with deliveries (each line is reported once).
half=$(((first + last) / 2))
line_ids() { awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) printf "be0f1111-0000-4000-8000-%012x\n", i }'; }
line_ids "$first" "$half" >"$WORK/lines_ip"
line_ids $((half + 1)) "$last" >"$WORK/lines_dl"

# What the server writes per report (store/orders/report_store.c,
# order_store.c nu_order_line_write, order_event_store.c), 100 reports in
# one transaction, lines at random. The server also reads per report (the
# line's order and its lines FOR UPDATE, the event id): with_reads 1 adds
# those as it sends them (the line's id as a uuid, on its index), for the
# second pgbench figure.
# The server's reads of an order and of its lines (store/orders/order_store.c
# ORDER_COLUMNS ORDER_FROM, LINE_COLUMNS), for the scripts below.
ORDER_SELECT="o.id, o.number, o.organization_id, b.name, o.seller_id, COALESCE(sf.name, s.name), o.proposal_number, o.purchase_order_reference, o.service_code, o.contact_name, o.contact_email, o.contact_phone, o.placed_by, btrim(u.first_name || ' ' || u.last_name), o.status, o.currency, o.total_excl_vat_cents, o.total_vat_cents, o.total_incl_vat_cents, o.version, nu_us(o.created_at), nu_us(o.updated_at) FROM orders o JOIN organizations b ON b.id = o.organization_id JOIN organizations s ON s.id = o.seller_id LEFT JOIN storefronts sf ON sf.organization_id = o.seller_id JOIN users u ON u.id = o.placed_by"
LINES_SELECT="l.id, l.order_id, l.position, l.product_id, l.plan_id, l.product_code, l.product_name, l.designation, l.plan_model, l.region, l.instance_template, l.quantity, l.quantity_delivered, l.quantity_admitted, l.hours, l.duration_months, l.upfront_cents, l.monthly_price_cents, l.unit_price_cents, l.amount_excl_vat_cents, l.vat_rate_bp, l.vat_cents, l.amount_incl_vat_cents, COALESCE(nu_us(l.expected_delivery_at), 0), l.provisioning, l.failure_reason, l.access_details_sealed IS NOT NULL, COALESCE(nu_us(l.last_report_at), 0), nu_us(l.updated_at) FROM order_lines l"
pgbench_script() {
  local with_reads=$1 k
  echo "BEGIN ISOLATION LEVEL READ COMMITTED;"
  echo "SELECT set_config('statement_timeout', '10000', true);"
  for ((k = 0; k < BATCH; k++)); do
    echo "\\set i random($first, $last)"
    local line="('be0f1111-0000-4000-8000-' || lpad(to_hex(:i::bigint), 12, '0'))::uuid"
    local by_line="id = $line"
    if [ "$with_reads" != 0 ]; then
      echo "SELECT $ORDER_SELECT WHERE o.id = (SELECT order_id FROM order_lines WHERE $by_line) FOR UPDATE OF o;"
      echo "SELECT $LINES_SELECT WHERE l.order_id = ANY(ARRAY[(SELECT order_id FROM order_lines WHERE id = $line)]) ORDER BY l.order_id, l.position FOR UPDATE;"
      echo "SELECT 1 FROM provisioning_reports WHERE seller_id = '$ORDERS_SELLER'::uuid AND event_id = 'pgb-' || :client_id || '-' || :i;"
    fi
    echo "INSERT INTO provisioning_reports (seller_id, event_id, line_id, outcome, reported_at, received_at) VALUES ('$ORDERS_SELLER'::uuid, 'pgb-' || nextval('bench_event_seq'), $line, 'applied', now(), now()) ON CONFLICT (seller_id, event_id) DO NOTHING RETURNING 1;"
    echo "UPDATE order_lines SET provisioning = 'in_progress', failure_reason = '', quantity_delivered = 0, quantity_admitted = 0, expected_delivery_at = now() + interval '1 hour', last_report_at = now(), access_details_sealed = COALESCE(NULL::bytea, access_details_sealed), access_reported_at = CASE WHEN NULL::bytea IS NULL THEN access_reported_at ELSE now() END, updated_at = now() WHERE id = $line RETURNING id;"
    echo "WITH n AS (INSERT INTO order_feeds AS f (seller_id, last_seq) VALUES ('$ORDERS_SELLER'::uuid, 1) ON CONFLICT (seller_id) DO UPDATE SET last_seq = f.last_seq + 1 RETURNING last_seq) INSERT INTO order_events (seller_id, seq, order_id, line_id, kind, created_at) SELECT '$ORDERS_SELLER'::uuid, n.last_seq, (SELECT order_id FROM order_lines WHERE id = $line), $line, 'line_changed', now() FROM n RETURNING seq;"
  done
  echo "COMMIT;"
}
# What the server sends for a batch of 100 in-progress reports, statement
# for statement (store/orders/: nu_order_lock_by_lines, its lines
# FOR UPDATE, nu_report_seen_many, nu_report_record_many,
# nu_order_line_write_many, nu_order_event_append_many): three reads and
# three writes, each over the whole batch as arrays.
pgbench_batch_script() {
  local k arr="" ev=""
  for ((k = 0; k < BATCH; k++)); do
    echo "\\set i$k random($first, $last)"
    arr+="${arr:+,}('be0f1111-0000-4000-8000-' || lpad(to_hex(:i$k::bigint), 12, '0'))::uuid"
  done
  local lines="ARRAY[$arr]"
  local events="ARRAY(SELECT 'pgbb-' || :client_id || '-' || nextval('bench_event_seq') FROM generate_series(1, $BATCH))"
  echo "BEGIN ISOLATION LEVEL READ COMMITTED;"
  echo "SELECT set_config('statement_timeout', '10000', true);"
  echo "SELECT $ORDER_SELECT WHERE o.id IN (SELECT order_id FROM order_lines WHERE id = ANY($lines)) AND o.seller_id = '$ORDERS_SELLER'::uuid ORDER BY o.id FOR UPDATE OF o;"
  echo "SELECT $LINES_SELECT WHERE l.order_id = ANY(ARRAY(SELECT order_id FROM order_lines WHERE id = ANY($lines))) ORDER BY l.order_id, l.position FOR UPDATE;"
  echo "SELECT e.k FROM unnest(ARRAY(SELECT 'pgbs-' || :client_id || '-' || g FROM generate_series(1, $BATCH) g)) WITH ORDINALITY AS e(event_id, k) JOIN provisioning_reports p ON p.seller_id = '$ORDERS_SELLER'::uuid AND p.event_id = e.event_id;"
  echo "INSERT INTO provisioning_reports (seller_id, event_id, line_id, outcome, reported_at, received_at) SELECT '$ORDERS_SELLER'::uuid, r.event_id, r.line_id, 'applied', now(), now() FROM unnest($events, $lines) AS r(event_id, line_id) ON CONFLICT (seller_id, event_id) DO NOTHING RETURNING 1;"
  echo "UPDATE order_lines l SET provisioning = 'in_progress', failure_reason = '', quantity_delivered = 0, quantity_admitted = 0, expected_delivery_at = now() + interval '1 hour', last_report_at = now(), access_details_sealed = COALESCE(NULL::bytea, l.access_details_sealed), access_reported_at = CASE WHEN NULL::bytea IS NULL THEN l.access_reported_at ELSE now() END, updated_at = now() FROM (SELECT DISTINCT id FROM unnest($lines) AS v(id)) v WHERE l.id = v.id RETURNING l.id;"
  echo "WITH n AS (INSERT INTO order_feeds AS f (seller_id, last_seq) VALUES ('$ORDERS_SELLER'::uuid, $BATCH) ON CONFLICT (seller_id) DO UPDATE SET last_seq = f.last_seq + $BATCH RETURNING last_seq) INSERT INTO order_events (seller_id, seq, order_id, line_id, kind, created_at) SELECT '$ORDERS_SELLER'::uuid, n.last_seq - $BATCH + e.k, (SELECT order_id FROM order_lines WHERE id = e.line_id), e.line_id, 'line_changed', now() FROM n, unnest($lines) WITH ORDINALITY AS e(line_id, k) RETURNING seq;"
  echo "COMMIT;"
}
pgbench_script 0 >"$WORK/report_writes.sql"
pgbench_batch_script >"$WORK/report_batch_statements.sql"
pgbench_script 1 >"$WORK/report_reads_writes.sql"
psql_ -c "CREATE SEQUENCE bench_event_seq"

declare -A RATE
status=0
for mode in in_progress deliver; do
  deliver=0 lines="$WORK/lines_ip"
  [ "$mode" = deliver ] && deliver=1 lines="$WORK/lines_dl"
  echo "== ReportProvisioning, $mode, batches of $BATCH, $CLIENTS clients, ${DURATION}s" >&2
  line="$("$WORK/orders_bench" --addr "$ADDR" --bearer-file "$WORK/seller.key" --mode report \
    --lines "$lines" --deliver "$deliver" --batch "$BATCH" --clients "$CLIENTS" \
    --duration-s "$DURATION")" || status=1
  echo "$line"
  RATE[$mode]="$(sed -n 's/.*reports_per_s=\([0-9.]*\).*/\1/p' <<<"$line")"
done
# The batch's first query (store/orders/order_store.c
# nu_order_lock_by_lines): the orders of 100 lines, locked in id order.
echo "== EXPLAIN ANALYZE of the batch's lookup of its orders (100 lines)"
ids="$(head -100 "$WORK/lines_ip" | sed "s/.*/'&'/" | paste -sd, -)"
psql_ -P pager=off -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT o.id FROM orders o WHERE o.id IN (SELECT order_id FROM order_lines WHERE id = ANY(ARRAY[$ids]::uuid[])) AND o.seller_id = '$ORDERS_SELLER'::uuid ORDER BY o.id FOR UPDATE OF o"
notes="$(psql_ -At -c "SELECT count(*) FROM documents WHERE kind = 'delivery_note'")"
echo "delivery notes issued in the run with deliveries: $notes (rendered after the batch)"

# Rendering on its own: a server with the document worker (the default
# poll) and nothing else, for DURATION seconds; then it stops, so that
# pgbench runs alone.
echo "== rendering the pending delivery notes: one server's document worker, ${DURATION}s" >&2
bench_stop_server
rm -f "$WORK/port"
bench_start_server render "$WORK/port" "$WORK/nuage-server" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database-url "$CONNINFO" --secret-key-file "$WORK/secret.key" --log-level warn
before="$(psql_ -At -c "SELECT count(rendered_at) FROM documents WHERE kind = 'delivery_note'")"
sleep "$DURATION"
after="$(psql_ -At -c "SELECT count(rendered_at) FROM documents WHERE kind = 'delivery_note'")"
bench_stop_server
psql_ -At -c "SELECT round(avg(octet_length(content))) FROM documents WHERE rendered_at IS NOT NULL AND kind = 'delivery_note'" |
  awk -v n="$((after - before))" -v d="$DURATION" '{ printf "mode=render notes=%d notes_per_s=%.1f avg_bytes=%s\n", n, n / d, $1 }'
RENDER_RATE="$(awk -v n="$((after - before))" -v d="$DURATION" 'BEGIN { print n / d }')"

for script in report_batch_statements report_writes report_reads_writes; do
  echo "== pgbench $script, $BATCH reports a transaction, $CLIENTS clients, ${DURATION}s" >&2
  pgb="$("$PGBIN/pgbench" "$CONNINFO" -n -M extended -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" \
    -f "$WORK/$script.sql" 2>&1)" || { echo "$pgb" >&2; status=1; }
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$pgb" | head -1)"
  lat="$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' <<<"$pgb" | head -1)"
  awk -v s="$script" -v t="$tps" -v l="$lat" -v c="$CLIENTS" -v b="$BATCH" 'BEGIN {
    printf "mode=pgbench/%s clients=%d tps=%.1f reports_per_s=%.1f latency_avg_ms=%s\n", s, c, t, t * b, l }'
  RATE[$script]="$(awk -v t="$tps" -v b="$BATCH" 'BEGIN { print t * b }')"
done

echo
echo "== target: ReportProvisioning reports/s >= 60 % of pgbench's doing the same inserts and updates"
echo "   (read against report_batch_statements: the statements the server sends; report_writes, the"
echo "   same rows written one statement per row, and report_reads_writes, with the per-row reads, beside)"
for mode in in_progress deliver; do
  awk -v g="${RATE[$mode]:-0}" -v b="${RATE[report_batch_statements]:-0}" -v p="${RATE[report_writes]:-0}" \
    -v q="${RATE[report_reads_writes]:-0}" -v m="$mode" 'BEGIN {
    r = (b > 0) ? g / b : 0
    printf "%-11s %.0f reports/s vs pgbench %.0f: %.0f %% (target >= 60 %%): %s; vs one statement per row %.0f: %.0f %%, with its reads %.0f: %.0f %%\n",
      m, g, b, 100 * r, (b > 0 && r >= 0.6) ? "MET" : "NOT MET", p, (p > 0) ? 100 * g / p : 0, q, (q > 0) ? 100 * g / q : 0 }'
done
echo "(deliver: half the reports deliver a one-line order, which also moves its status, audits it"
echo " and issues its delivery note; pgbench does neither: the target is read on in_progress)"
awk -v r="${RATE[deliver]:-0}" -v n="${RENDER_RATE:-0}" 'BEGIN {
  printf "rendering: %.1f notes/s by one worker; the deliver run issued %.0f notes/s (one per two reports):", n, r / 2
  if (n > 0 && r / 2 > n) printf " sustained, that many deliveries leave a backlog that drains at %.1f/s when they stop\n", n
  else printf " the worker keeps up\n" }'
exit "$status"
