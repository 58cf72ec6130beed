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

# `motcua` on PATH, so IT staff never wait on npx (after a killed run, npx can sit up to 60 s on npm's lock).
# A small launcher pointing at this checkout; MOTCUA_BIN_DIR chooses where (default /usr/local/bin, or
# ~/.local/bin without root rights).
bin_dir=${MOTCUA_BIN_DIR:-}
if [ -z "$bin_dir" ]; then
  if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then bin_dir=/usr/local/bin; else bin_dir="$HOME/.local/bin"; fi
fi
launcher=$(mktemp)
printf '#!/bin/sh\n# MotCua Desk command line (installed by scripts/setup.sh)\nexec node "%s/bin/motcua.mjs" "$@"\n' "$PWD" > "$launcher"
chmod 755 "$launcher"
if [ -w "$bin_dir" ] || { mkdir -p "$bin_dir" 2>/dev/null && [ -w "$bin_dir" ]; }; then
  mv "$launcher" "$bin_dir/motcua"
else
  as_root mv "$launcher" "$bin_dir/motcua"
fi
echo "motcua installed in $bin_dir ($(command -v motcua || echo "add $bin_dir to PATH"))"
