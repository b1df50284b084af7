#!/usr/bin/env bash
# Installs the Debian packages Mortar needs to build, run and test (only what is missing):
# the C++ toolchain and libraries, Node.js and npm for the web UI, and with --test the
# PostgreSQL server, benchmark tools and Chromium for the browser tests.
# Usage: scripts/deps.sh [--test]
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config git
      libboost1.81-dev libsqlite3-dev libpq-dev libsodium-dev libsimdjson-dev rapidjson-dev
      libspdlog-dev libfmt-dev libcli11-dev libcurl4-openssl-dev libgtest-dev libgmock-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(postgresql postgresql-contrib curl wrk nginx-light chromium)
fi
# Node.js and npm build the web UI. Test for the commands, not the packages: a machine may
# have Node.js from elsewhere, and Debian's packages would conflict with it.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Boost 1.74's -dev packages conflict with 1.81's; remove them first if present.
  if dpkg-query -W -f='${Status}' libboost1.74-dev 2>/dev/null | grep -q "install ok installed"; then
    $SUDO apt-get remove -y libboost1.74-dev >&2
  fi
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
# Vite 7 needs Node.js 20.19 or later.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "deps: Node.js $(node --version 2>/dev/null || echo missing) is too old for the web UI build; install Node.js 20.19 or later" >&2
  exit 1
fi
