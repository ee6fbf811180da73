#!/bin/bash
# client_test.sh — Bazel entry point of client_test.py: a fresh server, then
# the Python client with Debian's interpreter (the one that has grpcio; the
# first python3 on PATH may be another).
set -euo pipefail
exec tests/support/with_server.sh -- /usr/bin/python3 tests/python/client_test.py "$@"
