#!/bin/bash
# health_h2load.sh — unary throughput of nuage-server against a bare gRPC
# C-core echo server, with h2load.
#
#   bench/health_h2load.sh
#
# Builds //server:nuage-server and //bench:echo_server, starts a throwaway
# PostgreSQL (scripts/pg.sh) and nuage-server (default settings, so one
# JSON log line per RPC, sent to a file) on a free port, checks one grpc.health.v1.Health/Check call with `nghttp -v`
# (h2load counts any HTTP 200 as a success, even with grpc-status != 0), then
# runs the same h2load load against nuage-server and, after stopping it,
# against echo_server on the same path. Prints req/s and latency for both and
# the ratio ours/echo against the target (>= 80 %).
#
# Environment (defaults in brackets):
#   DURATION [10]        seconds of load per server (h2load -D)
#   CONNECTIONS [8]      h2load -c
#   STREAMS [16]         concurrent streams per connection (h2load -m)
#   ECHO_CQ_THREADS [2]  echo_server's completion-queue threads (nuage-server
#                        uses one per core by default: 2 on the reference box)
#   SERVER_FLAGS []      extra nuage-server flags, e.g. "--cq-threads 2"
#   PERCENTILES [0]      1: also p50/p99 from h2load's per-request log, which
#                        costs h2load some CPU (both runs alike)
#   KEEP [0]             1: keep the work directory (logs, h2load output)
#
# A benchmark, not a test: it fails only when something does not work, never
# because a number is low.
set -euo pipefail

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-8}"
STREAMS="${STREAMS:-16}"
ECHO_CQ_THREADS="${ECHO_CQ_THREADS:-2}"
SERVER_FLAGS="${SERVER_FLAGS:-}"
PERCENTILES="${PERCENTILES:-0}"
TARGET_PERCENT=80
RPC_PATH=/grpc.health.v1.Health/Check
BENCH_NAME=health_h2load.sh
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

for tool in bazel h2load nghttp; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found (h2load and nghttp: apt-get install nghttp2-client)"
done

echo "== building" >&2
bazel build //server:nuage-server //bench:echo_server >&2
BAZEL_BIN="$(bazel info bazel-bin 2>/dev/null)"

bench_make_work

# Private copies: a concurrent bazel build must not swap a binary mid-run.
cp "$BAZEL_BIN/server/nuage-server" "$BAZEL_BIN/bench/echo_server" "$WORK/"

# The gRPC frame of an empty HealthCheckRequest: not compressed, length 0.
PAYLOAD="$WORK/health_check_request.grpc"
printf '\x00\x00\x00\x00\x00' >"$PAYLOAD"

# One call with nghttp: HTTP 200 is not enough, grpc-status must be 0.
check_one_call() {
  local name="$1" out="$WORK/nghttp-$1.txt"
  if ! nghttp -v -H 'content-type: application/grpc' -H 'te: trailers' -d "$PAYLOAD" \
    "http://127.0.0.1:$port$RPC_PATH" >"$out" 2>&1; then
    cat "$out" >&2
    die "nghttp could not call $name"
  fi
  if ! grep -aq 'grpc-status: 0' "$out"; then
    cat "$out" >&2
    die "$name did not answer $RPC_PATH with grpc-status: 0"
  fi
  echo "== $name: one call with nghttp: grpc-status: 0" >&2
}

# Runs the load; leaves h2load's report in WORK/h2load-NAME.txt and one
# summary line "REQS MIN MAX MEAN SD SUCCEEDED FAILED ERRORED [P50 P99]" in
# WORK/result-NAME.txt.
run_load() {
  local name="$1" out="$WORK/h2load-$1.txt" log="$WORK/h2load-$1.tsv"
  local -a extra=()
  if [ "$PERCENTILES" = 1 ]; then extra+=("--log-file=$log"); fi
  echo "== $name: h2load -D $DURATION -c $CONNECTIONS -m $STREAMS" >&2
  h2load -D "$DURATION" -c "$CONNECTIONS" -m "$STREAMS" \
    -H 'content-type: application/grpc' -H 'te: trailers' -d "$PAYLOAD" "${extra[@]}" \
    "http://127.0.0.1:$port$RPC_PATH" >"$out" 2>&1 || {
    cat "$out" >&2
    die "h2load failed against $name"
  }
  local line
  line="$(awk '
    /^finished in/ { reqs = $4 }
    /^requests:/ { ok = $8; failed = $10; errored = $12 }
    /^time for request:/ { min = $4; max = $5; mean = $6; sd = $7 }
    END { print reqs, min, max, mean, sd, ok, failed, errored }' "$out")"
  if [ "$PERCENTILES" = 1 ]; then
    line="$line $(cut -f3 "$log" | sort -n | awk '
      { v[NR] = $1 }
      END {
        if (NR == 0) { print "- -"; exit }
        p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
        printf "%.2fms %.2fms\n", p50 / 1000, p99 / 1000
      }')"
  fi
  echo "$line" >"$WORK/result-$name.txt"
  read -r _ _ _ _ _ _ failed errored _ <<<"$line"
  if [ "${failed:-0}" != 0 ] || [ "${errored:-0}" != 0 ]; then
    echo "health_h2load.sh: warning: $name had $failed failed and $errored errored requests" >&2
  fi
}

echo "== starting PostgreSQL and nuage-server" >&2
bench_start_pg
# SERVER_FLAGS is split on purpose: it holds several flags.
# shellcheck disable=SC2086
bench_start_server nuage-server "$WORK/nuage-server.port" "$WORK/nuage-server" \
  --listen 127.0.0.1:0 --port-file "$WORK/nuage-server.port" --database-url "$CONNINFO" \
  $SERVER_FLAGS
check_one_call nuage-server
run_load nuage-server
# Stopped before the baseline runs: the two share two cores with h2load.
bench_stop_server

bench_start_server echo_server "$WORK/echo_server.port" "$WORK/echo_server" \
  --listen 127.0.0.1:0 --port-file "$WORK/echo_server.port" --cq-threads "$ECHO_CQ_THREADS"
check_one_call echo_server
run_load echo_server
bench_stop_server

read -r ours_reqs ours_min ours_max ours_mean ours_sd ours_ok _ _ ours_p50 ours_p99 \
  <"$WORK/result-nuage-server.txt"
read -r echo_reqs echo_min echo_max echo_mean echo_sd echo_ok _ _ echo_p50 echo_p99 \
  <"$WORK/result-echo_server.txt"

echo
echo "unary $RPC_PATH, h2load -D $DURATION -c $CONNECTIONS -m $STREAMS, $(nproc) cores shared with h2load"
printf '%-14s %12s %10s %10s %10s %10s %12s' server req/s mean min max sd succeeded
if [ "$PERCENTILES" = 1 ]; then printf ' %10s %10s' p50 p99; fi
echo
printf '%-14s %12s %10s %10s %10s %10s %12s' nuage-server "$ours_reqs" "$ours_mean" "$ours_min" \
  "$ours_max" "$ours_sd" "$ours_ok"
if [ "$PERCENTILES" = 1 ]; then printf ' %10s %10s' "$ours_p50" "$ours_p99"; fi
echo
printf '%-14s %12s %10s %10s %10s %10s %12s' echo_server "$echo_reqs" "$echo_mean" "$echo_min" \
  "$echo_max" "$echo_sd" "$echo_ok"
if [ "$PERCENTILES" = 1 ]; then printf ' %10s %10s' "$echo_p50" "$echo_p99"; fi
echo
if [ "$PERCENTILES" != 1 ]; then echo "(h2load prints no percentiles; PERCENTILES=1 adds p50/p99)"; fi
awk -v ours="$ours_reqs" -v base="$echo_reqs" -v target="$TARGET_PERCENT" 'BEGIN {
  if (base + 0 <= 0) { print "ratio ours/echo: n/a (no baseline throughput)"; exit }
  r = 100 * ours / base
  verdict = (r >= target) ? "met" : "NOT met"
  printf "ratio ours/echo: %.1f %% (target >= %d %%): %s\n", r, target, verdict
}'
