#!/usr/bin/env bash
# The README's curl tour: sign in to the demo studio, create an artist,
# pencil a booking, watch an overlapping one get 409 with free windows.
# BASE defaults to the local server (started with --demo).
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8080}
api=$BASE/api/v1
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

TOKEN=$(curl -sf -X POST "$api/auth/login" -H 'content-type: application/json' \
  -d '{"email": "owner@demo.studio", "password": "demo-studio-2026"}' | json "['data']['accessToken']")
auth="authorization: Bearer $TOKEN"
echo "signed in as owner@demo.studio"

artist=$(curl -sf -X POST "$api/artists" -H 'content-type: application/json' -H "$auth" \
  -d '{"name": "Mina Tanaka", "skills": ["compositing"], "timezone": "Europe/London"}' | json "['data']['id']")
echo "artist $artist"

curl -sf -X POST "$api/bookings" -H 'content-type: application/json' -H "$auth" \
  -d "{\"artistId\": \"$artist\", \"title\": \"Comp: shot 010\", \"status\": \"pencil\",
       \"startTime\": \"2026-03-02T09:00:00Z\", \"endTime\": \"2026-03-02T17:00:00Z\"}" | json "['data']['status']"

code=$(curl -s -o /tmp/pt-conflict.json -w '%{http_code}' -X POST "$api/bookings" -H 'content-type: application/json' -H "$auth" \
  -d "{\"artistId\": \"$artist\", \"title\": \"Comp: shot 020\", \"status\": \"confirmed\",
       \"startTime\": \"2026-03-02T13:00:00Z\", \"endTime\": \"2026-03-02T18:00:00Z\"}")
echo "overlapping booking: HTTP $code"
python3 -c "import json; e=json.load(open('/tmp/pt-conflict.json'))['error']; print(e['code'], '- free windows:', e['details']['freeWindows'])"
[ "$code" = 409 ]
