#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Matching-engine benchmark (see bench/README.md).
#
# Usage: bench/match/run.sh [path/to/match_bench]   (default: build/bench/match/match_bench, built if missing)
#
# Prints the quality figures on bench/match/data/patstat_reference.csv beside the plain
# baseline, the same with 20,000 synthetic distractor organizations, the name and MAC speed
# figures (median of MORTAR_BENCH_RUNS runs, default 3) and peak RSS, then one JSON line, also
# written to bench/match/out/results.json (MORTAR_BENCH_OUT for another folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/build/bench/match/match_bench}"
if [ ! -x "$bin" ]; then
  cmake --build "$root/build" -j2 --target match_bench >&2
fi
out="${MORTAR_BENCH_OUT:-$here/out}"
mkdir -p "$out"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"$bin" "$here/data/patstat_reference.csv" | tee "$out/run.txt"
tail -n 1 "$out/run.txt" > "$out/results.json"
