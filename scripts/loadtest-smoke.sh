#!/usr/bin/env bash
# Load-test smoke: builds pt-server and pt-loadtest (debug), creates a
# throw-away PostgreSQL database, runs the `ci-smoke` scenario (~50 schedulers,
# ~10 s) against a server the harness starts itself, and fails unless the run
# completes and its audit passes (no double booking, every durable ack stored,
# every client's view equal to the database). The database is dropped after.
#
#   PT_TEST_DATABASE_URL   a superuser URL on the cluster to use
#                          (default postgres://postgres@127.0.0.1:5432/postgres)
#   CARGO_TARGET_DIR       where cargo builds (default: $HOME/.cache/pt-target)
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pt-target}"
admin="${PT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

cargo build --locked -p pt-server -p pt-loadtest

db="pt_loadsmoke_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
# The same cluster and credentials as the admin URL, another database.
url="${admin%/*}/$db"
psql "$admin" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

report="$(mktemp -t loadsmoke-XXXXXX.json)"
"$CARGO_TARGET_DIR/debug/pt-loadtest" \
  --scenario loadtest/scenarios/ci-smoke.toml \
  --spawn-server "$CARGO_TARGET_DIR/debug/pt-server" \
  --database-url "$url" \
  --report "$report" \
  --no-progress
python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
a, c = r["audit"], r["commands"]
assert a and a["passed"], "audit failed"
assert r["connections"]["connected"] == r["connections"]["requested"], "not every scheduler connected"
assert c["accepted"] > 0 and c["durable"] > 0, "nothing was accepted or made durable"
print(f"loadtest smoke: audit passed; {c['accepted']} accepted, {c['rejected']} rejected, "
      f"{a['clients_compared']} views equal to the database")
PY
rm -f "$report"
