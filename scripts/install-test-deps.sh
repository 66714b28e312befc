#!/usr/bin/env bash
# Install what the test suite needs and a fresh machine lacks. Idempotent:
# on a machine that already has everything it only checks and returns.
#
#   - Debian's Chromium (/usr/bin/chromium) for the browser tests. Test tools'
#     own browser downloads do not work here, so playwright-core drives
#     Debian's build through executablePath.
#   - A Java runtime (Debian's default-jre-headless, Java 17) for the W3C Nu
#     Html Checker (npm vnu-jar), and xmllint (libxml2-utils) for the feed and
#     sitemap; see tests/browser/html.test.mjs.
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

# --- Debian packages ---------------------------------------------------------
# Check each tool the tests run; whatever is missing is installed in one
# apt-get run.
missing=()
if [ -x /usr/bin/chromium ]; then
    log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
else
    missing+=(chromium fonts-liberation)
fi
# The checker needs Java 17 or later.
java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
if command -v java >/dev/null 2>&1 && [ "$(java_major)" -ge 17 ] 2>/dev/null; then
    log "java present: $(java -version 2>&1 | head -n 1)"
else
    missing+=(default-jre-headless)
fi
if command -v xmllint >/dev/null 2>&1; then
    log "xmllint present"
else
    missing+=(libxml2-utils)
fi

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # One retry: a mirror hiccup should not fail a CI run.
    for attempt in 1 2; do
        if as_root apt-get update -q &&
           as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
               "${missing[@]}"; then
            break
        fi
        [ "$attempt" -eq 2 ] && { log "apt-get failed twice"; exit 1; }
        log "apt-get failed; retrying in 10 s"
        sleep 10
    done
    [ -x /usr/bin/chromium ] || { log "apt-get finished but /usr/bin/chromium is still missing"; exit 1; }
    command -v java >/dev/null 2>&1 || { log "apt-get finished but java is still missing"; exit 1; }
    [ "$(java_major)" -ge 17 ] 2>/dev/null || { log "java is older than 17: $(java -version 2>&1 | head -n 1)"; exit 1; }
    command -v xmllint >/dev/null 2>&1 || { log "apt-get finished but xmllint is still missing"; exit 1; }
    log "installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown chromium); $(java -version 2>&1 | head -n 1); $(xmllint --version 2>&1 | head -n 1)"
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
   [ -f "$browser_dir/node_modules/vnu-jar/build/dist/vnu.jar" ] &&
   [ "$want" = "$have" ]; then
    log "tests/browser/node_modules up to date"
else
    log "npm ci in tests/browser"
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing, but
    # make sure no install hook ever tries. --ignore-scripts: vnu-jar's
    # postinstall would download a Java runtime from GitHub when none is on
    # the PATH; the tests use Debian's, installed above. None of the three
    # packages needs an install script.
    (cd "$browser_dir" &&
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" >"$stamp"
fi
