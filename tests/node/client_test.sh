#!/bin/bash
# client_test.sh — Bazel entry point of client_test.js: a fresh server, then
# `node --test`. node_modules lives outside the Bazel tree; pass its absolute
# path: npm ci --prefix tests/node && bazel test \
#   --test_env=NUAGE_NODE_MODULES=$PWD/tests/node/node_modules //tests/node:client_test
set -euo pipefail
if [ -z "${NUAGE_NODE_MODULES:-}" ]; then
  echo "client_test.sh: NUAGE_NODE_MODULES is not set (--test_env=NUAGE_NODE_MODULES=<checkout>/tests/node/node_modules, after npm ci there)" >&2
  exit 1
fi
NODE="$(command -v node || true)"
NODE="${NODE:-/usr/bin/node}"
exec tests/support/with_server.sh -- "$NODE" --test --test-reporter=spec tests/node/client_test.js "$@"
