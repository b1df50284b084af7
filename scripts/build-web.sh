#!/usr/bin/env bash
# Builds the web UI into web/dist (served by `mortar serve` at /). Installs the locked npm
# packages with `npm ci` only when web/node_modules is missing or package-lock.json changed.
# Usage: scripts/build-web.sh
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.mortar-lock.sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
  echo "== npm ci (web)"
  npm ci --no-audit --no-fund
  echo "$lock_sum" > "$stamp"
fi
npm run --silent build
