#!/usr/bin/env bash
# Installs the tools the tests and `csm demo --node anvil` run as separate processes, into a cache
# outside the clone (CSM_TOOLS, default ~/.cache/csm/tools) so warm CI runs skip them:
#   anvil (Foundry's EVM node) from npm, pinned.
# Idempotent: a tool already at the pinned version is left alone.
set -euo pipefail

TOOLS="${CSM_TOOLS:-$HOME/.cache/csm/tools}"
ANVIL_PACKAGE="@foundry-rs/anvil-linux-amd64"
ANVIL_VERSION="1.7.1"   # keep in step with carbon_smart_meter/chains/evm/anvil.py

anvil_dir="$TOOLS/anvil"
installed=""
if [[ -f "$anvil_dir/node_modules/$ANVIL_PACKAGE/package.json" ]]; then
  installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$anvil_dir/node_modules/$ANVIL_PACKAGE/package.json" | head -1)
fi
if [[ "$installed" != "$ANVIL_VERSION" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed to install anvil: installing Debian's nodejs and npm"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "installing $ANVIL_PACKAGE@$ANVIL_VERSION into $anvil_dir"
  mkdir -p "$anvil_dir"
  (cd "$anvil_dir" && npm install --no-audit --no-fund --silent "$ANVIL_PACKAGE@$ANVIL_VERSION")
fi
"$anvil_dir/node_modules/.bin/anvil" --version >/dev/null
