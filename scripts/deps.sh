#!/usr/bin/env bash
# Installs the Debian packages Mortar needs to build, run and test (only what is missing).
# Usage: scripts/deps.sh [--test]
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config git
      libboost1.81-dev libsqlite3-dev libpq-dev libsodium-dev libsimdjson-dev rapidjson-dev
      libspdlog-dev libfmt-dev libcli11-dev libcurl4-openssl-dev libgtest-dev libgmock-dev)
if [ "${1:-}" = "--test" ]; then
  pkgs+=(postgresql postgresql-contrib curl wrk nginx-light)
fi
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
