#!/usr/bin/env bash
# Installs what is missing, builds Mortar and runs the demo: simulated Autotask and UniView with a
# realistic MSP, synced into a Mortar on http://127.0.0.1:8080 with data in ./mortar-demo.
# Usage: scripts/demo.sh [extra `mortar demo` flags, e.g. --fresh or --listen 127.0.0.1:9090]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh default
exec build/src/app/mortar demo "$@"
