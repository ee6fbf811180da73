#!/usr/bin/env bash
# deps.sh — installs what Nuage builds, runs and tests with, from Debian's
# packages (and nothing else). Idempotent: installs only what is missing, so
# a second run costs a dpkg query. Needs root (or sudo) the first time.
set -euo pipefail

packages=(
  # build
  bazel-bootstrap pkg-config gcc g++ python3 clang-format
  # gRPC C core and C++ (tests), protobuf-c, code generators
  libgrpc-dev libgrpc++-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libprotobuf-c-dev protobuf-c-compiler
  # .proto files served or imported: grpc health/reflection, google.rpc
  grpc-proto golang-github-gogo-googleapis-dev
  # storage, second factor, hashing, webhooks
  postgresql libpq-dev liboath-dev oathtool libsodium-dev libcurl4-openssl-dev
  # internationalised e-mail domains (UTS #46); PDF documents and their font
  libidn2-dev libhpdf-dev fonts-dejavu-core
  # tests: googletest, Python and Node clients
  libgtest-dev libgmock-dev python3-grpcio python3-protobuf nodejs npm
  # tests read rendered PDFs back as text
  poppler-utils
  # benchmarks
  nghttp2-client
)

missing=()
for p in "${packages[@]}"; do
  # npm is not needed when a Node.js with npm is already installed (e.g. from
  # another source); the Debian package would conflict with it.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    "install ok installed") ;;
    *) missing+=("$p") ;;
  esac
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# A new cluster is started by scripts/pg.sh, never Debian's default one.
