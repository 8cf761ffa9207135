#!/usr/bin/env bash
# The API description is the contract: fuzz a live pt-server with schemathesis
# (every check: no server error, status codes, content types, response headers
# and bodies as documented, invalid input refused, valid input accepted …)
# and fail on any finding.
#
#   scripts/schemathesis.sh                 # uses $CARGO_TARGET_DIR/debug/pt-server
#   PT_SERVER_BIN=… ST_MAX_EXAMPLES=20 scripts/schemathesis.sh
#
# The server runs on the embedded store in a scratch --data-dir, with --demo
# (a studio with artists and bookings) and the rate limits off (the fuzzer
# sends hundreds of requests a second from one address). First it reads the
# demo studio's calendar feeds back with PyPI's icalendar (scripts/ical_check.py).
# It signs in as the
# demo owner, mints an owner API token for the fuzzer (so that fuzzing
# `POST /auth/logout` cannot end the fuzzer's own credential), runs
# `st run … --checks all`, and stops the server gracefully.
# The few relaxations (scripts/schemathesis.toml) are listed with their reasons
# in the README ("API contract").
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pt-target}"
bin="${PT_SERVER_BIN:-$CARGO_TARGET_DIR/debug/pt-server}"
# The interpreter: the newest Python >= 3.12 there is. Under CPython 3.11
# (seen with 3.11.7) hypothesis's lambda inspection can crash inside the ast
# module ("AST constructor recursion depth mismatch") in the coverage phase: a
# crash of the tool, reported as a runtime error, not a finding.
py=python3
if command -v pyenv >/dev/null; then
  # Every pyenv interpreter on PATH at once, newest first.
  PYENV_VERSION="$(pyenv versions --bare | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -rV | paste -sd:)"
  export PYENV_VERSION
fi
for cand in python3.14 python3.13 python3.12; do
  if "$cand" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then py=$cand; break; fi
done
pyver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
venv="${PT_VENV:-$HOME/.cache/pt-venv-$pyver}"
# 100 cases per operation and phase: about 70 s on 2 cores (ST_MAX_EXAMPLES, ST_SEED to vary).
max_examples="${ST_MAX_EXAMPLES:-100}"
schemathesis_version='schemathesis>=4.32,<5'

[ -x "$bin" ] || { echo "no pt-server at $bin (cargo build -p pt-server)"; exit 1; }

if ! "$venv/bin/st" --version 2>/dev/null | grep -q 'version 4\.'; then
  echo "installing $schemathesis_version into $venv (Python $pyver)"
  "$py" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet "$schemathesis_version"
fi
# The independent iCalendar parser the calendar-feed check reads feeds with.
"$venv/bin/python" -c 'import icalendar' 2>/dev/null || "$venv/bin/pip" install --quiet 'icalendar>=7.3,<8'
"$venv/bin/st" --version

data=$(mktemp -d)
log=$(mktemp)
report=$(mktemp -d)
env -u DATABASE_URL "$bin" --demo --data-dir "$data" --listen 127.0.0.1:0 \
  --rate-limit-per-second 0 --user-rate-limit-per-second 0 --auth-rate-limit-per-minute 0 \
  --argon2-memory-kib 64 2>"$log" &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

base=""
for _ in $(seq 1 120); do
  base=$(grep -o 'listening on http://[0-9.:]*' "$log" | head -1 | sed 's/listening on //') || true
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "pt-server exited"; exit 1; }
  sleep 0.5
done
[ -n "$base" ] || { cat "$log"; echo "pt-server did not start"; exit 1; }
echo "pt-server at $base"

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
access=$(curl -fsS "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"owner@demo.studio","password":"demo-studio-2026"}' | json "['data']['accessToken']")
token=$(curl -fsS "$base/api/v1/studio/api-tokens" -H "authorization: Bearer $access" \
  -H 'content-type: application/json' -d '{"name":"schemathesis","role":"studio_owner"}' | json "['data']['token']")

# Calendar feeds read back by an independent parser, on the demo studio
# (before the fuzzer changes it).
"$venv/bin/python" scripts/ical_check.py "$base" "$access"

status=0
"$venv/bin/st" --config-file scripts/schemathesis.toml run "$base/api/v1/openapi.json" \
  --url "$base/api/v1" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-examples "$max_examples" \
  --workers 2 \
  --seed "${ST_SEED:-20261203}" \
  --request-timeout 10 \
  --exclude-operation-id revokeApiToken \
  --report junit --report-dir "$report" \
  --output-truncate false \
  || status=$?

kill -TERM "$pid"
wait "$pid" || { cat "$log"; echo "pt-server did not stop cleanly"; exit 1; }
trap - EXIT
rm -rf "$data"
grep -q "all accepted changes are durable" "$log" || { cat "$log"; echo "no clean shutdown"; exit 1; }
if grep -q "panicked" "$log"; then
  grep -B2 -A10 "panicked" "$log"
  echo "pt-server panicked under the fuzzer"
  exit 1
fi
[ "$status" -eq 0 ] || { echo "schemathesis found problems (report: $report)"; exit "$status"; }
echo "schemathesis: no findings"
