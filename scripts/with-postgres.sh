#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs CMD against a throw-away PostgreSQL 15 cluster, then stops and deletes the cluster.
#
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#   e.g. scripts/with-postgres.sh ctest --test-dir build -L pg --output-on-failure
#
# The cluster lives in a fresh directory under ${TMPDIR:-/tmp}, listens only on a Unix socket
# in that directory (no TCP), runs with fsync off and trusts local connections. As root it
# runs as the postgres user; otherwise as the current user. CMD runs as the caller with
#   MORTAR_TEST_PG_DSN="host=<dir> dbname=mortar_test user=<superuser>"
# and PGHOST, PGDATABASE and PGUSER set the same way (for psql). The exit status is CMD's.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

pg_bin=${MORTAR_PG_BIN:-/usr/lib/postgresql/15/bin}
for tool in initdb pg_ctl createdb; do
  if [ ! -x "$pg_bin/$tool" ]; then
    echo "with-postgres: $pg_bin/$tool not found (apt-get install postgresql-15)" >&2
    exit 2
  fi
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/mortar-pg.XXXXXX")
chmod 755 "$dir"  # the socket must be reachable by the caller and by the server's user
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  chown postgres: "$dir"
  # cd: the caller's working directory may be closed to the postgres user.
  as_server() { (cd "$dir" && runuser -u postgres -- "$@"); }
else
  pg_user=$(id -un)
  as_server() { (cd "$dir" && "$@"); }
fi

started=0
cleanup() {
  if [ "$started" -eq 1 ]; then
    as_server "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "with-postgres: $1; log follows" >&2
  tail -n 30 "$2" >&2 || true
  exit 1
}

as_server "$pg_bin/initdb" -D "$dir/data" -U "$pg_user" --auth=trust --encoding=UTF8 --no-locale \
  >"$dir/initdb.log" 2>&1 || fail "initdb failed" "$dir/initdb.log"
started=1
as_server "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null 2>&1 || fail "the server did not start" "$dir/server.log"
as_server "$pg_bin/createdb" -h "$dir" -U "$pg_user" mortar_test >"$dir/createdb.log" 2>&1 \
  || fail "createdb failed" "$dir/createdb.log"

export MORTAR_TEST_PG_DSN="host=$dir dbname=mortar_test user=$pg_user"
export PGHOST="$dir" PGDATABASE=mortar_test PGUSER="$pg_user"
echo "with-postgres: PostgreSQL 15 running at $dir (database mortar_test, user $pg_user)" >&2

status=0
"$@" || status=$?
exit "$status"
