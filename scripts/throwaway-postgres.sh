#!/bin/sh
# A private PostgreSQL server for benchmarks and manual trials, with PostgreSQL's default durability
# (fsync on, synchronous_commit=on), on a free loopback port in a temp folder.
#   scripts/throwaway-postgres.sh start   -> prints DIR and a connection string for database "ayaqc"
#   scripts/throwaway-postgres.sh stop DIR
# Needs Debian's postgresql package; as root, the server runs as the postgres user.
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "error: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
start)
  dir=$(mktemp -d /tmp/ayaqc-pg-XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE ayaqc' postgres
  echo "DIR=$dir"
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=ayaqc"
  ;;
stop)
  [ -n "${2:-}" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  rm -rf "$2"
  ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
