#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Full and incremental sync benchmark (see bench/README.md).
#
# Usage: bench/sync/run.sh [path/to/sync_engine_bench]   (default: build/bench/sync/sync_engine_bench, built if missing)
#
# Starts the Autotask simulator as its own process (2,000 companies, 4,000 sites, 50,000
# contacts, 200,000 configuration items at MORTAR_BENCH_SCALE=1), then per store a full
# sync, 1 % of every kind changed and an incremental sync, MORTAR_BENCH_RUNS times
# (default 1). SQLite always; PostgreSQL at MORTAR_BENCH_PG_DSN or MORTAR_TEST_PG_DSN, else
# in a throw-away cluster (scripts/with-postgres.sh); MORTAR_BENCH_NO_PG=1 skips it.
# Prints every figure, then one JSON line, also written to bench/sync/out/results.json.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/build/bench/sync/sync_engine_bench}"
if [ ! -x "$bin" ] || [ ! -x "$root/build/src/app/mortar" ]; then
  cmake --build "$root/build" -j2 --target sync_engine_bench mortar >&2
fi
dsn="${MORTAR_BENCH_PG_DSN:-${MORTAR_TEST_PG_DSN:-}}"
if [ -z "${MORTAR_BENCH_NO_PG:-}" ] && [ -z "$dsn" ] && [ -z "${MORTAR_BENCH_IN_PG:-}" ] \
   && [ -x "$root/scripts/with-postgres.sh" ]; then
  MORTAR_BENCH_IN_PG=1 exec "$root/scripts/with-postgres.sh" "$0" "$bin"
fi
out="${MORTAR_BENCH_OUT:-$here/out}"
mkdir -p "$out"
args=(--scale "${MORTAR_BENCH_SCALE:-1}" --runs "${MORTAR_BENCH_RUNS:-1}")
if [ -z "${MORTAR_BENCH_NO_PG:-}" ] && [ -n "$dsn" ]; then
  args+=(--pg "$dsn")
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"$bin" "${args[@]}" | tee "$out/run.txt"
tail -n 1 "$out/run.txt" > "$out/results.json"
