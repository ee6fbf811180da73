#!/bin/bash
# pg.sh — a private PostgreSQL cluster in a directory, for the run script,
# the tests and the benchmarks.
#
#   scripts/pg.sh start DIR [--throwaway]   init if needed, start, print conninfo
#   scripts/pg.sh stop DIR                  fast shutdown (ok if not running)
#   scripts/pg.sh conninfo DIR              print the libpq conninfo
#   scripts/pg.sh destroy DIR               stop, then remove DIR
#
# The cluster listens on a Unix socket only (DIR/run/.s.PGSQL.5432); the port
# number only names the socket file, so clusters in different directories
# never clash. `start` prints exactly one line on stdout, the conninfo
# `host=DIR/run port=5432 dbname=nuage user=postgres`; everything else goes to
# stderr, so callers can capture it with $(...).
#
# --throwaway turns durability off (fsync, synchronous_commit,
# full_page_writes): for tests and benchmarks whose data may be lost. Without
# it the durable defaults apply.
#
# initdb and pg_ctl refuse to run as root: as root they run as `postgres`,
# which then owns DIR.
set -euo pipefail

# Keep stdout for the conninfo alone; everything else goes to stderr.
exec 3>&1 1>&2

PORT=5432
DBNAME=nuage
SUPERUSER=postgres

die() {
  echo "pg.sh: $*" >&2
  exit 1
}

usage() {
  die "usage: pg.sh {start DIR [--throwaway] | stop DIR | conninfo DIR | destroy DIR}"
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a server program as the postgres user when we are root.
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The server binaries: pg_config's if it has an initdb, else the highest
# installed version. PATH is not trusted (/usr/local/bin/pg_ctl may be
# something else).
find_bindir() {
  local d=""
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  fi
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
    return 0
  fi
  die "no PostgreSQL server binaries found (pg_config --bindir, /usr/lib/postgresql/*/bin)"
}

conninfo() {
  echo "host=$1/run port=$PORT dbname=$DBNAME user=$SUPERUSER"
}

# DIR as an absolute path without creating it.
abs_dir() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}

# As root, every ancestor of DIR must be traversable by postgres, or the
# server cannot reach its data directory and socket (DIR itself becomes
# postgres's).
check_reachable() {
  local dir="$1" path="" part
  is_root || return 0
  local IFS=/
  for part in ${dir%/*}; do
    [ -z "$part" ] && continue
    path="$path/$part"
    if ! runuser -u postgres -- test -x "$path"; then
      die "directory $path is not traversable by the postgres user (needed for $dir)"
    fi
  done
}

is_running() {
  [ -f "$1/data/PG_VERSION" ] || return 1
  as_pg "$BINDIR/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

locale_arg() {
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    echo "--locale=C.UTF-8"
  else
    echo "--locale=C"
  fi
}

write_config() {
  local dir="$1" throwaway="$2" conf="$1/data/nuage.conf"
  # Rewritten at every start, so a cluster started without --throwaway is
  # durable even if it was created as a throwaway one.
  {
    echo "# Written by scripts/pg.sh at every start; do not edit."
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$dir/run'"
    # Trust authentication: only the owner (and root) may use the socket of a
    # durable cluster; throwaway test clusters stay open to any local user.
    if [ "$throwaway" = 1 ]; then
      echo "unix_socket_permissions = 0777"
    else
      echo "unix_socket_permissions = 0700"
    fi
    echo "port = $PORT"
    echo "max_connections = 200"
    if [ "$throwaway" = 1 ]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$conf.tmp"
  mv "$conf.tmp" "$conf"
  if is_root; then chown postgres: "$conf"; fi
}

init_cluster() {
  local dir="$1" throwaway="$2"
  local -a extra=()
  # Syncing a throwaway cluster's files to disk only costs time.
  if [ "$throwaway" = 1 ]; then extra+=(--no-sync); fi
  echo "pg.sh: initializing cluster in $dir/data" >&2
  as_pg "$BINDIR/initdb" -D "$dir/data" -U "$SUPERUSER" --auth=trust -E UTF8 \
    "$(locale_arg)" "${extra[@]}" >&2
  echo "include 'nuage.conf'" >>"$dir/data/postgresql.conf"
}

cmd_start() {
  local dir="$1" throwaway="$2"
  if [ ${#dir} -gt 80 ]; then
    # The socket path (DIR/run/.s.PGSQL.5432) must fit in sun_path (107 bytes).
    die "directory $dir is too long for a Unix socket path (at most 80 characters)"
  fi
  mkdir -p "$dir"
  check_reachable "$dir"
  if is_root; then chown postgres: "$dir"; fi
  if is_running "$dir"; then
    conninfo "$dir" >&3
    return 0
  fi
  mkdir -p "$dir/run"
  chmod 0711 "$dir/run"
  if is_root; then
    chown postgres: "$dir/run"
    if [ -e "$dir/postgres.log" ]; then chown postgres: "$dir/postgres.log"; fi
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    if [ -e "$dir/data" ] && [ -n "$(ls -A "$dir/data" 2>/dev/null)" ]; then
      die "directory $dir/data exists but holds no cluster"
    fi
    init_cluster "$dir" "$throwaway"
  fi
  write_config "$dir" "$throwaway"
  # 3>&-: the server must not inherit our stdout, or whoever reads the
  # conninfo from a pipe would wait for the server to exit.
  as_pg "$BINDIR/pg_ctl" -D "$dir/data" -w -t 30 -l "$dir/postgres.log" start >&2 3>&- ||
    die "postgres did not start; see $dir/postgres.log"
  local psql=("$BINDIR/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$dir/run" -p "$PORT" -U "$SUPERUSER")
  local exists
  exists="$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" ||
    die "cannot query the cluster in $dir"
  if [ "$exists" != 1 ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DBNAME" >&2 ||
      die "cannot create database $DBNAME in $dir"
  fi
  conninfo "$dir" >&3
}

cmd_stop() {
  local dir="$1"
  if is_running "$dir"; then
    as_pg "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >&2
  fi
}

main() {
  [ $# -ge 2 ] || usage
  local cmd="$1" dir
  dir="$(abs_dir "$2")"
  dir="${dir%/}"
  shift 2
  local throwaway=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --throwaway) throwaway=1 ;;
      *) usage ;;
    esac
    shift
  done
  [ "$cmd" = start ] || [ "$throwaway" = 0 ] || usage
  # Server programs run as postgres, who may not be able to enter our
  # working directory.
  cd /
  case "$cmd" in
    start)
      BINDIR="$(find_bindir)"
      cmd_start "$dir" "$throwaway"
      ;;
    stop)
      BINDIR="$(find_bindir)"
      cmd_stop "$dir"
      ;;
    conninfo)
      conninfo "$dir" >&3
      ;;
    destroy)
      BINDIR="$(find_bindir)"
      cmd_stop "$dir"
      rm -rf -- "$dir"
      ;;
    *) usage ;;
  esac
}

main "$@"
