#!/usr/bin/env bash
# The project's one test command: formatting, lints, the Rust tests, and the
# browser tests (axe-core accessibility, reflow, sub-path hosting, and the W3C
# Nu Html Checker over every page in html.test.mjs) against the bundled site
# built by the release binary. Exits non-zero on any failure.
#
# Browser-test options (environment): FAIRGUIDE_SITE_DIR, FAIRGUIDE_BIN,
# FAIRGUIDE_KEEP_OUTPUT, FAIRGUIDE_BROWSER_POOL, CHROMIUM_PATH; see
# tests/browser/lib/site.mjs and tests/browser/lib/browser.mjs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() {
    printf '\n==> %s  [%ds]\n' "$*" "$SECONDS"
}

step "install test dependencies"
scripts/install-test-deps.sh

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

# The integration tests build target/release/fairguide, which the browser tests use.
step "cargo test --release"
cargo test --release

step "browser tests (node --test tests/browser/)"
shopt -s nullglob
browser_tests=(tests/browser/*.test.mjs)
if [ "${#browser_tests[@]}" -eq 0 ]; then
    echo "no browser tests found in tests/browser/" >&2
    exit 1
fi
# One test file at a time: each starts its own Chromium, and CI has 2 cores.
node --test --test-concurrency=1 "${browser_tests[@]}"

step "all tests passed"
