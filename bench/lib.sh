# lib.sh — what the benchmark scripts share; sourced, not run.
#
# Before sourcing, a script sets BENCH_NAME (for messages) and, if it likes,
# KEEP (1: keep the work directory) and START_TIMEOUT_S. Sourcing sets ROOT
# (the checkout) and defines:
#   die MESSAGE                      print "BENCH_NAME: MESSAGE" and exit 1
#   bench_make_work                  the work directory WORK (traversable by
#                                    postgres, which keeps its cluster in
#                                    WORK/pg), and the traps that stop the
#                                    server, destroy the cluster and remove
#                                    WORK on exit
#   bench_start_pg                   throwaway cluster in WORK/pg → CONNINFO
#   bench_start_server NAME PORT_FILE CMD [ARGS]
#                                    runs CMD in the background (log in
#                                    WORK/NAME.log) until it writes PORT_FILE;
#                                    sets server_pid and port
#   bench_stop_server                SIGTERM, then SIGKILL after 30 s

KEEP="${KEEP:-0}"
START_TIMEOUT_S="${START_TIMEOUT_S:-30}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "$BENCH_NAME: $*" >&2
  exit 1
}

server_pid=""
port=""
cluster_started=0

bench_stop_server() {
  [ -n "$server_pid" ] || return 0
  local pid="$server_pid" i
  server_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  bench_stop_server
  if [ "$cluster_started" = 1 ]; then "$ROOT/scripts/pg.sh" destroy "$WORK/pg" >/dev/null 2>&1; fi
  if [ "$KEEP" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "$BENCH_NAME: work directory kept: $WORK" >&2
  else
    rm -rf -- "$WORK"
  fi
  exit "$rc"
}
bench_make_work() {
  WORK="$(mktemp -d "/tmp/nuage-${BENCH_NAME%.sh}-XXXXXX")"
  chmod 0711 "$WORK"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_start_pg() {
  cluster_started=1
  CONNINFO="$("$ROOT/scripts/pg.sh" start "$WORK/pg" --throwaway 2>"$WORK/pg.log")" || {
    cat "$WORK/pg.log" >&2
    die "cannot start PostgreSQL"
  }
}

bench_start_server() {
  local name="$1" port_file="$2" i
  shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  server_pid=$!
  port=""
  for ((i = 0; i < START_TIMEOUT_S * 10; i++)); do
    if [ -s "$port_file" ]; then
      port="$(tr -d '[:space:]' <"$port_file")"
      [[ "$port" =~ ^[0-9]+$ ]] && return 0
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$WORK/$name.log" >&2
      die "$name exited before serving"
    fi
    sleep 0.1
  done
  cat "$WORK/$name.log" >&2
  die "$name did not write $port_file within ${START_TIMEOUT_S}s"
}
