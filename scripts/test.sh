#!/usr/bin/env bash
# The whole test suite — the same tests CI runs (.ci/run adds only fmt,
# clippy, the generated-types drift check and the README's run command):
#   1. Rust: every crate's tests, on both stores (needs PostgreSQL; see README)
#   2. the TypeScript client: build, typecheck, unit + integration tests
#      against a real pt-server
#   3. the web board in headless Chromium (Debian's chromium, installed if absent)
#   4. the API contract: schemathesis against a live server
#   5. the load-test smoke (ci-smoke scenario, audited against PostgreSQL)
#   6. the house size limits (files ≤ 600 lines, functions ≤ 120)
# A first run compiles the workspace for several minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pt-target}"
step() { printf '\n==> [%s] %s\n' "$1" "$2"; }

# What the steps below run on, installed from Debian's packages when absent.
command -v node >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv; }

step 1/6 "Rust tests (cargo test --workspace; compiling first if needed)"
cargo test --workspace --locked
export PT_SERVER_BIN="$CARGO_TARGET_DIR/debug/pt-server"

step 2/6 "TypeScript client: build, typecheck, unit and integration tests"
(
  cd client-ts
  npm ci --no-audit --no-fund
  npm run build
  npm run typecheck
  npm test
)

step 3/6 "web board: browser tests in headless Chromium"
bash scripts/test-web.sh

step 4/6 "API contract: schemathesis against a live server"
bash scripts/schemathesis.sh

step 5/6 "load-test smoke: ci-smoke scenario, audited against PostgreSQL"
bash scripts/loadtest-smoke.sh

step 6/6 "size limits"
python3 scripts/check-sizes.py

echo
echo "All tests passed."
