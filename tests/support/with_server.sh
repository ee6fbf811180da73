#!/bin/bash
# with_server.sh — runs one command against a fresh nuage-server backed by a
# throwaway PostgreSQL cluster, then tears both down.
#
#   tests/support/with_server.sh [SERVER_FLAGS...] -- COMMAND [ARGS...]
#
# The cluster lives in DIR = $(mktemp -d /tmp/nuage-test-XXXXXX) (short, for
# the Unix socket path), started with `scripts/pg.sh start DIR --throwaway`.
# The server runs as
#   server/nuage-server --listen 127.0.0.1:0 --port-file DIR/port \
#                       --database-url CONNINFO --rate-limit-per-address=1000000 \
#                       SERVER_FLAGS...
# and is ready once it has written DIR/port (at most 30 s). COMMAND then runs
# with
#   NUAGE_ADDR=127.0.0.1:PORT   NUAGE_TEST_DATABASE_URL=CONNINFO
# in its environment. Afterwards the server gets SIGTERM and is waited for,
# the cluster is destroyed (also when anything fails or we are interrupted),
# and the script exits with COMMAND's status. The server's output goes to
# DIR/server.log, which is printed on stderr when COMMAND fails.
#
# Paths are relative to the runfiles root of workspace `nuage`: the working
# directory of a Bazel test. Outside Bazel, run it from a directory that has
# server/nuage-server and scripts/pg.sh, or set NUAGE_SERVER_BIN.
# The functions below run from the EXIT trap, which shellcheck cannot see.
# shellcheck disable=SC2317
set -euo pipefail

# How long the server may take to start serving (it waits for PostgreSQL and
# runs the migrations first), and to stop after SIGTERM.
START_TIMEOUT_S=30
STOP_TIMEOUT_S=30

die() {
  echo "with_server.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: with_server.sh [SERVER_FLAGS...] -- COMMAND [ARGS...]" >&2
  exit 2
}

# A file of the workspace: in the current directory (a Bazel test's runfiles
# root), else in the runfiles tree Bazel points us at.
find_runfile() {
  local rel="$1" base
  for base in "$PWD" "${RUNFILES_DIR:-}/nuage" "${TEST_SRCDIR:-}/nuage" "$0.runfiles/nuage"; do
    if [ -e "$base/$rel" ]; then
      echo "$base/$rel"
      return 0
    fi
  done
  return 1
}

server_flags=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  server_flags+=("$1")
  shift
done
[ $# -ge 2 ] || usage
shift # the --

PG_SH="$(find_runfile scripts/pg.sh)" || die "scripts/pg.sh not found (cwd $PWD)"
if [ -n "${NUAGE_SERVER_BIN:-}" ]; then
  SERVER="$NUAGE_SERVER_BIN"
else
  SERVER="$(find_runfile server/nuage-server)" || die "server/nuage-server not found (cwd $PWD)"
fi
[ -x "$SERVER" ] || die "$SERVER is not executable"

DIR="$(mktemp -d /tmp/nuage-test-XXXXXX)"
server_pid=""
cluster_started=0
show_log=1 # until COMMAND has succeeded, any exit is a failure worth the log

print_log() {
  if [ -s "$DIR/server.log" ]; then
    echo "---- nuage-server log ($DIR/server.log) ----" >&2
    cat "$DIR/server.log" >&2
    echo "---- end of nuage-server log ----" >&2
  fi
}

# Stops the server gracefully; SIGKILL only if it ignores SIGTERM, so a hung
# shutdown shows up in the log instead of hanging the test until its timeout.
stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid="$server_pid" rc=0 i
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "with_server.sh: nuage-server did not stop within ${STOP_TIMEOUT_S}s of SIGTERM; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    show_log=1
  fi
  wait "$pid" 2>/dev/null || rc=$?
  if [ "$rc" -ne 0 ]; then
    # Reported, not turned into a failure: the exit status is COMMAND's.
    echo "with_server.sh: nuage-server exited with status $rc after SIGTERM" >&2
    show_log=1
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_server
  if [ "$rc" -ne 0 ] || [ "$show_log" = 1 ]; then print_log; fi
  if [ "$cluster_started" = 1 ]; then
    "$PG_SH" destroy "$DIR" >/dev/null 2>&1 || echo "with_server.sh: cannot destroy the cluster in $DIR" >&2
  fi
  rm -rf -- "$DIR"
  exit "$rc"
}
trap cleanup EXIT
# Signals go through the EXIT trap, so an interrupted run cleans up too.
trap 'exit 130' INT
trap 'exit 143' TERM

# pg.sh narrates initdb on stderr: keep it out of the test's output unless
# the start fails.
cluster_started=1
if ! CONNINFO="$("$PG_SH" start "$DIR" --throwaway 2>"$DIR/pg.log")"; then
  cat "$DIR/pg.log" >&2
  die "cannot start PostgreSQL in $DIR"
fi
[ -n "$CONNINFO" ] || die "scripts/pg.sh printed no conninfo"

"$SERVER" --listen 127.0.0.1:0 --port-file "$DIR/port" --database-url "$CONNINFO" \
  --rate-limit-per-address=1000000 "${server_flags[@]}" >"$DIR/server.log" 2>&1 &
server_pid=$!

port=""
for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
  if [ -s "$DIR/port" ]; then
    port="$(tr -d '[:space:]' <"$DIR/port")"
    # The server renames the file into place, but be strict anyway.
    [[ "$port" =~ ^[0-9]+$ ]] && break
    port=""
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    rc=0
    wait "$server_pid" || rc=$?
    server_pid=""
    die "nuage-server exited with status $rc before serving"
  fi
  sleep 0.1
done
[ -n "$port" ] || die "nuage-server did not write $DIR/port within ${START_TIMEOUT_S}s"

export NUAGE_ADDR="127.0.0.1:$port"
export NUAGE_TEST_DATABASE_URL="$CONNINFO"

status=0
"$@" || status=$?
if [ "$status" -eq 0 ]; then show_log=0; fi
exit "$status"
