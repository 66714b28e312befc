#!/usr/bin/env bash
# Install what the test suite needs and a fresh machine lacks. Idempotent:
# on a machine that already has everything it only checks and returns.
#
#   - Debian's Chromium (/usr/bin/chromium) for the browser tests. Test tools'
#     own browser downloads do not work here, so playwright-core drives
#     Debian's build through executablePath.
#   - tests/browser/node_modules from package-lock.json via `npm ci`, when it
#     is missing or older than the lock file.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
browser_dir="$root/tests/browser"

log() { printf 'install-test-deps: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root (or sudo) to run: $*"
        return 1
    fi
}

# --- Chromium --------------------------------------------------------------
if [ -x /usr/bin/chromium ]; then
    log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
else
    log "installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    # One retry: a mirror hiccup should not fail a CI run.
    for attempt in 1 2; do
        if as_root apt-get update -q &&
           as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
               chromium fonts-liberation; then
            break
        fi
        [ "$attempt" -eq 2 ] && { log "apt-get failed twice"; exit 1; }
        log "apt-get failed; retrying in 10 s"
        sleep 10
    done
    if [ ! -x /usr/bin/chromium ]; then
        log "apt-get finished but /usr/bin/chromium is still missing"
        exit 1
    fi
    log "installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
fi

# --- npm packages ------------------------------------------------------------
command -v node >/dev/null 2>&1 || { log "node is not installed (need Node 20+)"; exit 1; }
command -v npm >/dev/null 2>&1 || { log "npm is not installed"; exit 1; }

lock="$browser_dir/package-lock.json"
stamp="$browser_dir/node_modules/.fairguide-lock.sha256"
[ -f "$lock" ] || { log "missing $lock"; exit 1; }

want="$(sha256sum "$lock" | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"

if [ -d "$browser_dir/node_modules/playwright-core" ] &&
   [ -d "$browser_dir/node_modules/axe-core" ] &&
   [ "$want" = "$have" ]; then
    log "tests/browser/node_modules up to date"
else
    log "npm ci in tests/browser"
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but
    # make sure no install hook ever tries.
    (cd "$browser_dir" &&
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" >"$stamp"
fi
