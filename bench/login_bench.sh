#!/usr/bin/env bash
# login_bench.sh — login latency (p50/p95) at 50 concurrent clients, password
# only and password + TOTP, against a throwaway PostgreSQL (scripts/pg.sh)
# and nuage-server with its default settings (issue 3: target p95 <= 250 ms
# with the memory of concurrent hashes bounded). See bench/README.md.
#
#   bench/login_bench.sh
#   CLIENTS=50 DURATION=10 MODES="password totp" SERVER_FLAGS="--hash-concurrency 2" bench/login_bench.sh
#
# Prints, per mode, the figures of bench/login_bench.cc, then the most
# Argon2id computations the server ran at once (its log line "password
# hasher peak concurrency") against its bound (--hash-concurrency, default
# the number of cores; each computation holds 64 MiB).
set -euo pipefail

CLIENTS="${CLIENTS:-50}"
DURATION="${DURATION:-10}"
MODES="${MODES:-password totp}"
SERVER_FLAGS="${SERVER_FLAGS:-}"
BENCH_NAME=login_bench.sh
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
command -v bazel >/dev/null 2>&1 || die "bazel not found"

echo "== building" >&2
bazel build //server:nuage-server //bench:login_bench >&2
BAZEL_BIN="$(bazel info bazel-bin 2>/dev/null)"

bench_make_work

# Copies, so a concurrent build cannot swap the binaries mid-run.
cp "$BAZEL_BIN/server/nuage-server" "$BAZEL_BIN/bench/login_bench" "$WORK/"
# The key sealing TOTP secrets: the bench seals its users' secrets with it.
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret.key"

echo "== starting PostgreSQL" >&2
bench_start_pg

echo "== starting nuage-server" >&2
# Every client calls from 127.0.0.1: no per-address limit (it would measure
# RESOURCE_EXHAUSTED, not hashing).
# shellcheck disable=SC2086
bench_start_server server "$WORK/port" "$WORK/nuage-server" --listen 127.0.0.1:0 --port-file "$WORK/port" \
  --database-url "$CONNINFO" --secret-key-file "$WORK/secret.key" --rate-limit-per-address=0 \
  $SERVER_FLAGS
ADDR="127.0.0.1:$port"

status=0
for mode in $MODES; do
  echo "== $mode: $CLIENTS clients, ${DURATION}s" >&2
  "$WORK/login_bench" --addr "$ADDR" --conninfo "$CONNINFO" --secret-key-file "$WORK/secret.key" \
    --clients "$CLIENTS" --duration-s "$DURATION" --mode "$mode" || status=1
done

peak="$(grep '"password hasher peak concurrency"' "$WORK/server.log" | tail -1 |
  sed -n 's/.*"peak":"\{0,1\}\([0-9]*\).*/\1/p')"
bound="$(echo "$SERVER_FLAGS" | sed -n 's/.*--hash-concurrency[ =]\([0-9]*\).*/\1/p')"
echo "peak concurrent Argon2id computations: ${peak:-unknown} (bound: ${bound:-$(nproc) (cores)}, 64 MiB each)"
exit "$status"
