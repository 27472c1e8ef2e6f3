#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL server for the store tests and print its
# SQLAlchemy URL (nothing when PostgreSQL is not installed: those tests then skip).
# Port $PGTEST_PORT (55432); data in $PGTEST_DIR (/tmp/workbench-pgtest-PORT), outside
# the checkout so the postgres user can reach it wherever the clone lives.
set -euo pipefail
PORT=${PGTEST_PORT:-55432}
DIR=${PGTEST_DIR:-/tmp/workbench-pgtest-$PORT}
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ]; then echo "PostgreSQL is not installed: PostgreSQL store tests will skip" >&2; exit 0; fi
if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then echo "$URL"; exit 0; fi   # already running
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then RUNAS=(runuser -u postgres --); fi
if [ ! -f "$DIR/PG_VERSION" ]; then
  rm -rf "$DIR"; mkdir -p "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$DIR"; fi
  "${RUNAS[@]}" "$BIN/initdb" -D "$DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
"${RUNAS[@]}" "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
  -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
echo "$URL"
