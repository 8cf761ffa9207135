#!/usr/bin/env python3
"""Reads a live server's calendar feeds with an independent iCalendar parser
(PyPI `icalendar`) and checks them against the REST API.

    scripts/ical_check.py BASE_URL ACCESS_TOKEN

Against the demo studio (holds, pencils, confirmed bookings and approved time
off): creates a studio feed and one artist's feed, fetches both, parses them,
and checks that every active booking in the feed's window is there exactly
once with the status the README names (hold and pencil TENTATIVE, holds with
their rank, confirmed CONFIRMED), that approved time off is busy, that the
artist's feed holds only that artist, and that a revoked feed is 404.
Called by scripts/schemathesis.sh (step 4 of scripts/test.sh).
"""
import json
import sys
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import icalendar

base, token = sys.argv[1], sys.argv[2]
api = base + "/api/v1"


def call(method, path, body=None, whole=False):
    req = urllib.request.Request(api + path, method=method, headers={"authorization": "Bearer " + token})
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("content-type", "application/json")
    with urllib.request.urlopen(req) as res:
        answer = json.load(res)
        return answer if whole else answer["data"]


def every(path):
    """Every row of a paged list."""
    rows, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        got = call("GET", f"{path}{sep}limit=1000&page={page}", whole=True)
        rows += got["data"]
        if page * 1000 >= got["meta"]["total"]:
            return rows
        page += 1


def fetch(path):
    try:
        with urllib.request.urlopen(base + path) as res:
            assert res.headers["content-type"].startswith("text/calendar"), res.headers["content-type"]
            return res.status, icalendar.Calendar.from_ical(res.read())
    except urllib.error.HTTPError as e:
        return e.code, None


def fail(msg):
    print("ical check FAILED: " + msg)
    sys.exit(1)


now = datetime.now(timezone.utc)
window = (now - timedelta(days=60), now + timedelta(days=400))
iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
bookings = []
for status in ("hold", "pencil", "confirmed"):
    bookings += every(f"/bookings?status={status}&from={iso(window[0])}&to={iso(window[1])}")
artists = every("/artists")
off = [(a["id"], t) for a in artists for t in a.get("timeOff", []) if t["status"] == "approved"]

studio = call("POST", "/studio/calendar-feeds", {"name": "ical check"})
status, cal = fetch(studio["path"])
if status != 200:
    fail(f"studio feed answered {status}")
events = cal.walk("VEVENT")
by_uid = {}
for e in events:
    uid = str(e["UID"])
    if uid in by_uid:
        fail(f"{uid} twice")
    by_uid[uid] = e
for b in bookings:
    e = by_uid.get(f"{b['id']}@production-tool")
    if e is None:
        fail(f"booking {b['id']} ({b['status']}) missing")
    want = "CONFIRMED" if b["status"] == "confirmed" else "TENTATIVE"
    if str(e["STATUS"]) != want:
        fail(f"booking {b['id']} is {e['STATUS']}, not {want}")
    if e.decoded("DTSTART") != datetime.fromisoformat(b["startTime"].replace("Z", "+00:00")):
        fail(f"booking {b['id']} starts at {e.decoded('DTSTART')}, not {b['startTime']}")
    if b["status"] == "hold" and b.get("holdRank") is not None and int(str(e["X-PT-HOLD-RANK"])) != b["holdRank"]:
        fail(f"hold {b['id']} has rank {e['X-PT-HOLD-RANK']}, not {b['holdRank']}")
in_window = [t for _, t in off if t["end"] > iso(window[0]) and t["start"] < iso(window[1])]
for t in in_window:
    e = by_uid.get(f"{t['id']}@production-tool")
    if e is None or str(e["TRANSP"]) != "OPAQUE":
        fail(f"approved time off {t['id']} missing or not busy")
if len(events) != len(bookings) + len(in_window):
    fail(f"{len(events)} events for {len(bookings)} bookings and {len(in_window)} time off")
holds = sum(1 for b in bookings if b["status"] == "hold")

artist = max(artists, key=lambda a: sum(1 for b in bookings if b["artistId"] == a["id"]))
mine = call("POST", "/studio/calendar-feeds", {"name": "ical check, one artist", "artistId": artist["id"]})
status, cal = fetch(mine["path"])
theirs = {f"{b['id']}@production-tool" for b in bookings if b["artistId"] == artist["id"]}
uids = {str(e["UID"]) for e in cal.walk("VEVENT") if str(e["X-PT-STATUS"]) != "time_off"}
if uids != theirs:
    fail(f"{artist['name']}'s feed holds {len(uids)} bookings, not their {len(theirs)}")

call("DELETE", f"/studio/calendar-feeds/{studio['feed']['id']}")
if fetch(studio["path"])[0] != 404:
    fail("a revoked feed still answers")
print(f"ical check: {len(events)} events ({len(bookings)} bookings, {holds} holds, {len(in_window)} time off) "
      f"parsed by icalendar {icalendar.__version__}; {artist['name']}'s feed has their {len(theirs)}; revoked → 404")
