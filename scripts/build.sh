#!/usr/bin/env bash
# Builds the web UI (web/dist), then configures and builds Mortar with a CMake preset
# (default: "default", into ./build).
# Usage: scripts/build.sh [preset]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
jobs="$(nproc)"
scripts/build-web.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
