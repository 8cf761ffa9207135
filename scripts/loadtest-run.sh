#!/usr/bin/env bash
# One load-test run as in BENCHMARKS.md: a fresh PostgreSQL database, the
# release pt-server started by the harness, the report in loadtest/results/.
#
#   scripts/loadtest-run.sh <scenario> [pt-loadtest options…]
#   e.g. scripts/loadtest-run.sh fanout-1000 --rate 20 --duration 20
#
# Build first: cargo build --release -p pt-server -p pt-loadtest
#   PT_TEST_DATABASE_URL   superuser URL (default postgres://postgres@127.0.0.1:5432/postgres)
#   CARGO_TARGET_DIR       where the release binaries are (default: target)
#   PT_LOADTEST_REPORT     report path (default loadtest/results/<scenario>.json)
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="$1"
shift
bin="${CARGO_TARGET_DIR:-target}/release"
admin="${PT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="pt_loadrun_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
psql "$admin" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
mkdir -p loadtest/results
"$bin/pt-loadtest" --scenario "loadtest/scenarios/$scenario.toml" \
  --spawn-server "$bin/pt-server" --database-url "${admin%/*}/$db" \
  --report "${PT_LOADTEST_REPORT:-loadtest/results/$scenario.json}" "$@"
