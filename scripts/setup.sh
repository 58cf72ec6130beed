#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for MotCua Desk: system packages, then the npm dependencies.
# Usage: bash scripts/setup.sh   (as root, or as a user who may sudo)
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
mapfile -t packages < <(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$')

if command -v apt-get >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
else
  echo "apt-get not found: install these packages with your system's package manager: ${packages[*]}" >&2
fi
npm ci --no-audit --no-fund
