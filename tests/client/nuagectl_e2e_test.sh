#!/bin/bash
# nuagectl_e2e_test.sh — nuagectl against a real nuage-server over a real
# port: health (plain, JSON, watch, Ctrl-C), info, errors (human and JSON,
# exit statuses), usage errors, token hygiene, and a leak check under
# valgrind when it is installed.
#
# Bazel runs it with no argument: it re-runs itself under
# tests/support/with_server.sh, which starts the server and exports
# NUAGE_ADDR, so every check below shares one server.
set -euo pipefail

if [ "${1:-}" != "--with-server" ]; then
  NUAGECTL="$PWD/client/nuagectl"
  export NUAGECTL
  exec tests/support/with_server.sh -- "$PWD/tests/client/nuagectl_e2e_test.sh" --with-server
fi

: "${NUAGE_ADDR:?with_server.sh exports it}"
# Checks count failures and go on, rather than stop at the first.
set +e
PY=/usr/bin/python3
TMP="$(mktemp -d /tmp/nuagectl-e2e-XXXXXX)"
trap 'rm -rf -- "$TMP"' EXIT
failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS ARGS...: runs nuagectl, keeping stdout and
# stderr in $TMP/NAME.out and $TMP/NAME.err, and checks the exit status.
run() {
  local name="$1" want="$2" rc=0
  shift 2
  checks=$((checks + 1))
  "$NUAGECTL" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: nuagectl $* exited $rc, want $want"
    sed 's/^/  stdout: /' "$TMP/$name.out" >&2
    sed 's/^/  stderr: /' "$TMP/$name.err" >&2
    return 1
  fi
}

# json_check NAME PYTHON_EXPR: stdout of NAME parses as JSON (one value per
# line) and EXPR holds of the list `d` of values.
json_check() {
  local name="$1" expr="$2"
  checks=$((checks + 1))
  if ! "$PY" -c '
import json, sys
d = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
assert d, "no JSON output"
assert eval(sys.argv[2]), "failed: " + sys.argv[2] + " on " + repr(d)
' "$TMP/$name.out" "$expr"; then
    fail "$name: JSON check $expr"
  fi
}

# has NAME STREAM REGEX: the output of NAME matches the extended regex.
has() {
  checks=$((checks + 1))
  grep -Eq -- "$3" "$TMP/$1.$2" || {
    fail "$1: $2 does not match /$3/"
    sed "s/^/  $2: /" "$TMP/$1.$2" >&2
  }
}

# --- health -----------------------------------------------------------------
if run health 0 health; then
  checks=$((checks + 1))
  [ "$(cat "$TMP/health.out")" = "SERVING" ] || fail "health: stdout is not exactly SERVING"
fi

# The standard health check the same JSON reaches scripts with.
run health_json 0 --json health &&
  json_check health_json 'd == [{"service": "", "status": "SERVING"}]'

# Global options after the command work too.
run health_json_after 0 health --json &&
  json_check health_json_after 'd[0]["status"] == "SERVING"'

# An unknown service is not SERVING: NOT_FOUND (exit 3) by the standard
# protocol, or SERVICE_UNKNOWN (exit 1) from a lenient server.
checks=$((checks + 1))
rc=0
"$NUAGECTL" health no.such.Service >"$TMP/unknown.out" 2>"$TMP/unknown.err" || rc=$?
if [ "$rc" -ne 3 ] && [ "$rc" -ne 1 ]; then fail "health no.such.Service exited $rc, want 1 or 3"; fi

# A watch prints the current status at once; the deadline then ends it
# normally, with the last status seen.
if run watch 0 --timeout 1500 health --watch; then
  has watch out '^SERVING$'
fi
run watch_json 0 --json --timeout 1000 health --watch &&
  json_check watch_json 'all(x == {"service": "", "status": "SERVING"} for x in d)'

# Ctrl-C ends a watch without a deadline cleanly.
checks=$((checks + 1))
"$NUAGECTL" health --watch >"$TMP/sigint.out" 2>"$TMP/sigint.err" &
pid=$!
for _ in $(seq 50); do
  [ -s "$TMP/sigint.out" ] && break
  sleep 0.1
done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
if [ "$rc" -ne 0 ] || [ "$(head -1 "$TMP/sigint.out")" != "SERVING" ]; then
  fail "health --watch then SIGINT: exit $rc, output: $(cat "$TMP/sigint.out" "$TMP/sigint.err")"
fi

# --- info -------------------------------------------------------------------
if run info 0 info; then
  has info out '^server_version: .+'
  has info out '^schema_version: [0-9]+$'
  has info out '^known_migrations: [0-9]+$'
  has info out '^database_version: .+'
  has info out '^database_time: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$'
fi
run info_json 0 --json info &&
  json_check info_json 'isinstance(d[0]["schema_version"], int) and d[0]["schema_version"] >= 1 and d[0]["server_version"]'

# --- errors -----------------------------------------------------------------
if run unreachable 3 --addr 127.0.0.1:1 --timeout 500 health; then
  has unreachable err '^error: (UNAVAILABLE|DEADLINE_EXCEEDED): '
fi
run unreachable_json 3 --json --addr 127.0.0.1:1 --timeout 500 info &&
  json_check unreachable_json 'd[0]["error"]["code"] in ("UNAVAILABLE", "DEADLINE_EXCEEDED") and d[0]["error"]["field_violations"] == []'
run unreachable_watch 3 --addr 127.0.0.1:1 health --watch &&
  has unreachable_watch err '^error: UNAVAILABLE: '

# The token goes to the server, never to the terminal, whatever happens.
TOKEN="tok-$$-not-for-printing"
checks=$((checks + 1))
NUAGE_TOKEN="$TOKEN" "$NUAGECTL" info >"$TMP/tok1.out" 2>&1 || true
NUAGE_TOKEN="$TOKEN" "$NUAGECTL" --addr 127.0.0.1:1 --timeout 300 info >"$TMP/tok2.out" 2>&1 || true
"$NUAGECTL" --token "$TOKEN" --json --addr 127.0.0.1:1 info >"$TMP/tok3.out" 2>&1 || true
NUAGE_TOKEN="$TOKEN"$'\n'"x: y" "$NUAGECTL" info >"$TMP/tok4.out" 2>&1 || true
if grep -q -- "$TOKEN" "$TMP"/tok*.out; then fail "the token was printed"; fi
has tok4 out '^error: INVALID_ARGUMENT: invalid request metadata authorization'

# --- usage ------------------------------------------------------------------
run usage_none 2
run usage_unknown 2 frobnicate && has usage_unknown err "unknown command 'frobnicate'"
run usage_option 2 --frobnicate health
run usage_arity 2 health a b
run usage_timeout 2 --timeout 0 health
run usage_timeout_text 2 --timeout soon health
run help 0 --help && has help out '^usage: nuagectl' && has help out 'health' && has help out 'info'
run help_cmd 0 help && has help_cmd out '^Exit status:'
run help_health 0 help health && has help_health out '--watch'
run help_info 0 info --help && has help_info out 'GetServerInfo'

# --- leaks ------------------------------------------------------------------
# gRPC keeps process-wide threads and caches past grpc_shutdown ("possibly
# lost"); what nuagectl allocates must all be freed (definite, indirect).
# Under --config=asan nuagectl is instrumented: valgrind cannot run it, and
# LeakSanitizer reports the same leaks at exit, so the commands run bare.
if grep -q __asan_init "$NUAGECTL"; then
  for args in "info" "--json health" "--timeout 1000 health --watch" \
    "--addr 127.0.0.1:1 --timeout 500 --token secret info"; do
    checks=$((checks + 1))
    # shellcheck disable=SC2086 # args is a word list on purpose
    "$NUAGECTL" $args >"$TMP/vg.out" 2>"$TMP/vg.err" || true
    if grep -qE 'LeakSanitizer|AddressSanitizer|runtime error' "$TMP/vg.err"; then
      fail "sanitizer: nuagectl $args"
      cat "$TMP/vg.err" >&2
    fi
  done
elif [ -x /usr/bin/valgrind ]; then
  VG=(/usr/bin/valgrind -q --leak-check=full --show-possibly-lost=no
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
  for args in "info" "--json health" "--timeout 1000 health --watch" \
    "--addr 127.0.0.1:1 --timeout 500 --token secret info"; do
    checks=$((checks + 1))
    rc=0
    # shellcheck disable=SC2086 # args is a word list on purpose
    "${VG[@]}" "$NUAGECTL" $args >"$TMP/vg.out" 2>"$TMP/vg.err" || rc=$?
    if [ "$rc" -eq 99 ] || grep -q '==[0-9]*==' "$TMP/vg.err"; then
      fail "valgrind: nuagectl $args"
      cat "$TMP/vg.err" >&2
    fi
  done
else
  echo "valgrind not installed: leak checks skipped" >&2
fi

echo "nuagectl e2e: $((checks - failures))/$checks checks passed"
[ "$failures" -eq 0 ]
