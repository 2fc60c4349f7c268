#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the integration suite and
# prints its URL; `scripts/pg-throwaway.sh stop DIR` stops and removes it.
# Uses the newest server under /usr/lib/postgresql (Debian's `postgresql` package).
# PG_THROWAWAY_OPTIONS adds server settings, e.g. for a bulk load:
#   PG_THROWAWAY_OPTIONS='-c shared_buffers=2GB -c maintenance_work_mem=1GB -c max_wal_size=8GB' scripts/pg-throwaway.sh
set -euo pipefail

if [ "${1:-}" = "stop" ]; then
  dir=$2
  [ -d "$dir" ] || exit 0
  bin=$(cat "$dir/bin")
  run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  run "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "no PostgreSQL server found under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
port=${PGPORT_THROWAWAY:-$(( 20000 + RANDOM % 20000 ))}
dir=$(mktemp -d /tmp/jiekun-pg-XXXXXX)
echo "$bin" > "$dir/bin"
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# initdb refuses to run as root: the cluster belongs to the postgres user.
[ "$(id -u)" = 0 ] && chown postgres "$dir"
run "$bin/initdb" -D "$dir/data" -U jiekun -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
# Durability settings off: this cluster is thrown away after the run.
run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_THROWAWAY_OPTIONS:-}" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "postgres://jiekun@127.0.0.1:$port/postgres $dir"
