#!/usr/bin/env bash
# Runs the web UI's end-to-end tests: each test file starts its own `mortar serve` on
# 127.0.0.1 with a temporary data directory and drives Debian's headless chromium through
# playwright-core. Screenshots of the main screens go to build/screenshots/ (not committed).
# Usage: scripts/test-web.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export MORTAR_BIN="${MORTAR_BIN:-$PWD/build/src/app/mortar}"
cd web
npm run --silent test:e2e
