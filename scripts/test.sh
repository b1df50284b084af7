#!/usr/bin/env bash
# Installs what is missing, builds Mortar and runs every test: unit tests, store tests on
# SQLite and on a throw-away PostgreSQL 15 cluster, and the HTTP functional tests against
# the real binary on both stores, and the web UI's end-to-end tests in headless Chromium;
# then the C++ tests again under AddressSanitizer/UBSan.
# Usage: scripts/test.sh [--no-asan]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --test
start=$(date +%s)
scripts/build.sh default
echo "== tests (SQLite and PostgreSQL)"
scripts/with-postgres.sh ctest --preset default -j 2
echo "== web UI end-to-end tests (headless Chromium)"
scripts/test-web.sh
if [ "${1:-}" != "--no-asan" ]; then
  echo "== tests under AddressSanitizer and UndefinedBehaviorSanitizer"
  scripts/build.sh asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    scripts/with-postgres.sh ctest --preset asan -j 2
fi
echo "== all tests passed in $(( $(date +%s) - start )) s"
