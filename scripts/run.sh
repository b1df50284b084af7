#!/usr/bin/env bash
# Installs what is missing, builds Mortar and serves it on the embedded SQLite store.
# Usage: scripts/run.sh [extra `mortar serve` flags]
# Listens on 127.0.0.1:8080 with data in ./data unless MORTAR_LISTEN / MORTAR_DATA_DIR say otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh default
exec build/src/app/mortar serve "$@"
