#!/usr/bin/env bash
# The whole test suite: Rust (both stores; needs PostgreSQL, see README) and
# the TypeScript client (vitest against a real pt-server).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pt-target}"

cargo test --workspace --locked

cd client-ts
npm ci --no-audit --no-fund
npm run build
npm run typecheck
npm test
