#!/usr/bin/env bash
# The web board's browser tests: installs what they need (npm packages,
# Debian's Chromium), builds the web app and pt-server, and runs the
# Playwright tests against a real server (client-ts/test/e2e). Screenshots
# land in client-ts/test-artifacts/. About 30 s on a warm build cache, plus a
# minute to install Chromium the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pt-target}"

command -v node >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
if [ ! -x /usr/bin/chromium ] && [ -z "${PT_CHROMIUM:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

# PT_SERVER_BIN: use that binary (CI passes the one `cargo test` just built).
if [ -z "${PT_SERVER_BIN:-}" ]; then
  cargo build -p pt-server --locked
  export PT_SERVER_BIN="$CARGO_TARGET_DIR/debug/pt-server"
fi

cd client-ts
npm ci --no-audit --no-fund
npm run build:web
PT_WEB_DIR="$PWD/dist-web" npm run test:e2e
