#!/usr/bin/env bash
# Installs what is missing, builds Mortar and serves it on the embedded SQLite store.
# Usage: scripts/run.sh [extra `mortar serve` flags]
#        scripts/run.sh --demo [extra `mortar demo` flags]   (the demo: simulated Autotask and
#        UniView with a realistic MSP, synced, with data in ./mortar-demo)
# Listens on 127.0.0.1:8080 with data in ./data unless MORTAR_LISTEN / MORTAR_DATA_DIR say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh default
if [ "${1:-}" = "--demo" ]; then
  shift
  exec build/src/app/mortar demo "$@"
fi
exec build/src/app/mortar serve "$@"
