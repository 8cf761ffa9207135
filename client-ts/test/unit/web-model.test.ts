// The board's derived data (web/src/model.ts, web/src/time.ts): lanes, hold
// ranks (the server's rule), rows after filters and grouping, the local free
// check, and the time scale's snapping.

import { describe, expect, test } from "vitest";
import type { Artist, Booking, BookingStatus, TimeOff } from "../../src/index.js";
import { approvedOff, buildRows, checkFree, countArtists, entriesIn, indexBookings, initials, mayApproveTimeOff, mayManageTimeOff, normalizeTimeOff, ordinal, overlapsTimeOff, timeOffAction, timeOffIn } from "../../web/src/model.js";
import { DEFAULT_WORKING_WEEK, Scale, US_PER_DAY, artistWorkday, US_PER_HOUR, ZOOMS, daysRange, formatTimeOff, isWorkingDay, isoWeekday, workingHours, zonedInstant } from "../../web/src/time.js";

const H = US_PER_HOUR;
let n = 0;
function booking(artistId: string, start: number, end: number, status: BookingStatus, createdAt = ++n, id = `b${String(n).padStart(3, "0")}`): Booking {
  return { id, artistId, projectId: null, title: id, notes: null, startTime: start * H, endTime: end * H, status, expiresAt: null, version: 1, createdAt, createdBy: "", updatedAt: createdAt, updatedBy: "" };
}
function artist(id: string, name: string, skills: string[]): Artist {
  return { id, name, email: null, skills, timezone: "UTC", active: true, timeOff: [], version: 1, createdAt: 0, updatedAt: 0 };
}
const map = (...bs: Booking[]) => new Map(bs.map((b) => [b.id, b]));

describe("indexBookings", () => {
  test("lanes only where bookings overlap; cancelled and expired are left out", () => {
    const a = booking("A", 0, 10, "confirmed");
    const h1 = booking("A", 2, 6, "hold");
    const h2 = booking("A", 4, 8, "hold");
    const later = booking("A", 20, 30, "pencil");
    const gone = booking("A", 0, 10, "cancelled");
    const idx = indexBookings(map(a, h1, h2, later, gone)).get("A")!;
    expect(idx.placed.map((p) => p.key)).toEqual([a.id, h1.id, h2.id, later.id]);
    expect(idx.placed.map((p) => [p.lane, p.lanes])).toEqual([[0, 3], [1, 3], [2, 3], [0, 1]]);
    expect(idx.lanes).toBe(3);
  });

  test("hold rank = 1 + overlapping active holds created earlier, by (createdAt, id)", () => {
    const first = booking("A", 0, 10, "hold", 100, "h-b");
    const sameClock = booking("A", 5, 15, "hold", 100, "h-c"); // same createdAt, larger id: later
    const apart = booking("A", 20, 30, "hold", 50, "h-a"); // overlaps none
    const third = booking("A", 8, 9, "hold", 200, "h-d");
    const excl = booking("A", 0, 30, "confirmed", 1, "c"); // not a hold: no rank, does not count
    const ranks = Object.fromEntries(indexBookings(map(first, sameClock, apart, third, excl)).get("A")!.placed.map((p) => [p.key, p.holdRank]));
    expect(ranks).toEqual({ "h-b": 1, "h-c": 2, "h-a": 1, "h-d": 3, c: undefined });
  });
});

describe("checkFree", () => {
  const idx = indexBookings(map(booking("A", 10, 20, "confirmed", 1, "c1"), booking("A", 30, 40, "hold", 2, "h1")));
  test("pencil/confirmed may not overlap another pencil/confirmed; touching is fine", () => {
    expect(checkFree(idx, "A", 15 * H, 25 * H, "pencil").free).toBe(false);
    expect(checkFree(idx, "A", 15 * H, 25 * H, "pencil").conflicts.map((b) => b.id)).toEqual(["c1"]);
    expect(checkFree(idx, "A", 20 * H, 30 * H, "pencil").free).toBe(true);
    expect(checkFree(idx, "A", 0, 10 * H, "confirmed").free).toBe(true);
  });
  test("holds may overlap anything; the dragged booking itself is ignored", () => {
    expect(checkFree(idx, "A", 15 * H, 35 * H, "hold")).toMatchObject({ free: true, holds: 1 });
    expect(checkFree(idx, "A", 12 * H, 18 * H, "confirmed", "c1").free).toBe(true);
    expect(checkFree(idx, "B", 12 * H, 18 * H, "confirmed").free).toBe(true);
  });
});

describe("buildRows", () => {
  const artists = [artist("1", "Ada Moreau", ["compositing", "nuke"]), artist("2", "Ben Okafor", ["animation"]), artist("3", "Chiara Rossi", ["compositing"])];
  const p = (b: Booking, projectId: string) => ({ ...b, projectId });
  const idx = indexBookings(map(p(booking("1", 0, 1, "pencil"), "P1"), p(booking("1", 2, 3, "pencil"), "P2"), p(booking("2", 0, 1, "pencil"), "P1")));
  const none = { text: "", skill: "", project: "", groupBy: "none" as const };
  test("filters by text, skill and project", () => {
    expect(buildRows(artists, idx, { ...none, text: "nuke" }).map((r) => r.key)).toEqual(["1"]);
    expect(buildRows(artists, idx, { ...none, skill: "compositing" }).map((r) => r.key)).toEqual(["1", "3"]);
    expect(buildRows(artists, idx, { ...none, project: "P1" }).map((r) => r.key)).toEqual(["1", "2"]);
  });
  test("groups by first skill, or by every project an artist works on", () => {
    expect(buildRows(artists, idx, { ...none, groupBy: "skill" }).map((r) => r.key)).toEqual(["g:animation", "animation:2", "g:compositing", "compositing:1", "compositing:3"]);
    expect(buildRows(artists, idx, { ...none, groupBy: "project" }).map((r) => r.key)).toEqual(["g:P1", "P1:1", "P1:2", "g:P2", "P2:1", "g:", ":3"]);
  });
  test("counts each artist once, though grouped by project an artist has a row per project", () => {
    const byProject = buildRows(artists, idx, { ...none, groupBy: "project" });
    expect(byProject.filter((r) => r.kind === "artist")).toHaveLength(4);
    expect(countArtists(byProject)).toBe(3);
    expect(countArtists(buildRows(artists, idx, none))).toBe(3);
  });
});

describe("time", () => {
  test("snaps to the zoom's step on the local clock, and maps x back to time", () => {
    const span = { start: Date.UTC(2027, 0, 4) * 1000, end: Date.UTC(2027, 1, 4) * 1000 };
    const s = new Scale(span, "week");
    expect(s.x(span.start + US_PER_DAY)).toBe(ZOOMS.week.pxPerDay);
    expect(s.t(s.x(span.start + 5 * H))).toBeCloseTo(span.start + 5 * H, -3);
    const local = new Date(2027, 0, 5, 9, 40).getTime() * 1000;
    expect(s.snap(local)).toBe(new Date(2027, 0, 5, 10, 0).getTime() * 1000);
  });
  test("working week: days off by ISO weekday; working hours on the studio's clock, across a DST change", () => {
    const local = (y: number, m: number, d: number) => new Date(y, m, d).getTime() * 1000;
    const monToThu = { days: new Set([1, 2, 3, 4]) };
    // 2027-01-04 is a Monday.
    expect([4, 5, 6, 7, 8, 9, 10].map((d) => isWorkingDay(local(2027, 0, d), monToThu))).toEqual([true, true, true, true, false, false, false]);
    expect([4, 8, 9, 10].map((d) => isWorkingDay(local(2027, 0, d), DEFAULT_WORKING_WEEK))).toEqual([true, true, false, false]);
    expect(isoWeekday(local(2027, 0, 10))).toBe(7);
    // New York, 09:00–18:00: 14:00–23:00 UTC in winter, 13:00–22:00 UTC after the clocks go forward (2027-03-14).
    const ny = { days: new Set([1, 2, 3, 4, 5]), start: 9 * 60, end: 18 * 60, timeZone: "America/New_York" };
    expect(workingHours(local(2027, 2, 12), ny)).toEqual({ start: Date.UTC(2027, 2, 12, 14) * 1000, end: Date.UTC(2027, 2, 12, 23) * 1000 });
    expect(workingHours(local(2027, 2, 15), ny)).toEqual({ start: Date.UTC(2027, 2, 15, 13) * 1000, end: Date.UTC(2027, 2, 15, 22) * 1000 });
    expect(workingHours(local(2027, 2, 13), ny)).toBeUndefined(); // a Saturday
    expect(workingHours(local(2027, 2, 12), monToThu)).toBeUndefined(); // hours not known
    // No zone: the browser's clock.
    expect(workingHours(local(2027, 2, 12), { ...ny, timeZone: undefined })?.start).toBe(new Date(2027, 2, 12, 9).getTime() * 1000);
    expect(zonedInstant(2027, 6, 1, 0, "Asia/Kolkata")).toBe(Date.UTC(2027, 5, 30, 18, 30) * 1000);
  });
  test("artistWorkday: the first interval of their own hours, else the studio's, on their clock", () => {
    const local = (y: number, m: number, d: number) => new Date(y, m, d).getTime() * 1000;
    // Friday 12 March 2027: Dev (Kolkata, 10:00–19:00) starts 04:30 UTC; a split shift gives its first part.
    const fri = local(2027, 2, 12);
    const dev = [1, 2, 3, 4, 5].map((day) => ({ day, start: "10:00", end: "19:00" }));
    expect(artistWorkday(fri, "Asia/Kolkata", dev, DEFAULT_WORKING_WEEK)).toEqual({ start: Date.UTC(2027, 2, 12, 4, 30) * 1000, end: Date.UTC(2027, 2, 12, 13, 30) * 1000 });
    const split = [{ day: 5, start: "14:30", end: "18:30" }, { day: 5, start: "09:00", end: "13:00" }];
    expect(artistWorkday(fri, "Europe/London", split, DEFAULT_WORKING_WEEK)).toEqual({ start: Date.UTC(2027, 2, 12, 9) * 1000, end: Date.UTC(2027, 2, 12, 13) * 1000 });
    // No hours of their own: the studio's days, 09:00–18:00 when its hours are not known (Paris: UTC+1 in March).
    expect(artistWorkday(fri, "Europe/Paris", undefined, DEFAULT_WORKING_WEEK)).toEqual({ start: Date.UTC(2027, 2, 12, 8) * 1000, end: Date.UTC(2027, 2, 12, 17) * 1000 });
    expect(artistWorkday(local(2027, 2, 13), "Europe/Paris", undefined, DEFAULT_WORKING_WEEK)).toBeUndefined(); // Saturday
    expect(artistWorkday(fri, "Europe/London", [{ day: 1, start: "08:00", end: "18:00" }], DEFAULT_WORKING_WEEK)).toBeUndefined(); // not their day
    expect(artistWorkday(fri, "Nowhere/Atlantis", undefined, DEFAULT_WORKING_WEEK)).toBeUndefined();
  });
  test("labels", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd"]);
    expect(initials("Liam O'Connor")).toBe("LO");
    expect(initials("kemi")).toBe("K");
  });
});

describe("time off", () => {
  const D = US_PER_DAY;
  const r = (start: number, end: number) => ({ start: start * D, end: end * D });
  const off = [r(1, 3), r(5, 6), r(10, 12)];

  test("timeOffIn: the ranges overlapping a window, half-open (touching is not overlapping)", () => {
    expect(timeOffIn(off, 0, 20 * D)).toEqual(off);
    expect(timeOffIn(off, 3 * D, 5 * D)).toEqual([]); // between two: touches both ends
    expect(timeOffIn(off, 2 * D, 5 * D + 1)).toEqual([r(1, 3), r(5, 6)]);
    expect(timeOffIn(off, 11 * D, 11 * D + 1)).toEqual([r(10, 12)]); // inside one
    expect(timeOffIn(off, 12 * D, 30 * D)).toEqual([]);
    expect(timeOffIn([], 0, D)).toEqual([]);
  });

  test("overlapsTimeOff: a booking range against the time off", () => {
    expect(overlapsTimeOff(off, 2 * D + 9 * H, 2 * D + 17 * H)).toBe(true);
    expect(overlapsTimeOff(off, 0, D)).toBe(false); // ends where it starts
    expect(overlapsTimeOff(off, 6 * D, 10 * D)).toBe(false);
    expect(overlapsTimeOff(off, 0, 30 * D)).toBe(true); // spans several
    expect(overlapsTimeOff(off, 2 * D, 2 * D)).toBe(false); // empty range
  });

  test("approvedOff: approved entries only, merged and sorted; entriesIn: one status in a window", () => {
    const e = (start: number, end: number, status: TimeOff["status"]): TimeOff => ({
      id: `${start}-${status}`, start: start * D, end: end * D, kind: "other", status, note: null, requestedBy: "u", decidedBy: null, decidedAt: null, createdAt: 0,
    });
    const list = [e(5, 6, "approved"), e(1, 3, "approved"), e(3, 4, "approved"), e(7, 9, "requested"), e(10, 12, "declined"), e(12, 13, "cancelled")];
    expect(approvedOff(list)).toEqual([r(1, 4), r(5, 6)]);
    expect(approvedOff([])).toEqual([]);
    expect(entriesIn(list, "requested", 0, 20 * D).map((x) => x.id)).toEqual([`7-requested`]);
    expect(entriesIn(list, "requested", 9 * D, 10 * D)).toEqual([]); // touching
    expect(entriesIn(list, "approved", 2 * D, 5 * D + 1).map((x) => x.start)).toEqual([D, 3 * D, 5 * D]);
    expect(normalizeTimeOff([r(4, 6), r(1, 2), r(5, 9), r(3, 3)])).toEqual([r(1, 2), r(4, 9)]);
  });

  test("who may open it: owners and managers anyone's, a freelancer their own; who may cancel or withdraw which entry", () => {
    expect(mayManageTimeOff({ role: "studio_owner" }, "a1")).toBe(true);
    expect(mayManageTimeOff({ role: "studio_manager" }, "a1")).toBe(true);
    expect(mayManageTimeOff({ role: "freelancer", artistId: "a1" }, "a1")).toBe(true);
    expect(mayManageTimeOff({ role: "freelancer", artistId: "a1" }, "a2")).toBe(false);
    expect(mayManageTimeOff({ role: "freelancer" }, "a1")).toBe(false);
    expect(mayManageTimeOff(undefined, "a1")).toBe(false);
    expect(mayApproveTimeOff({ role: "studio_manager" })).toBe(true);
    expect(mayApproveTimeOff({ role: "freelancer", artistId: "a1" })).toBe(false);
    const entry = (status: TimeOff["status"]): TimeOff => ({ id: "t", start: 0, end: D, kind: "sick", status, note: null, requestedBy: "u", decidedBy: null, decidedAt: null, createdAt: 0 });
    expect(timeOffAction({ role: "studio_manager" }, "a1", entry("approved"))).toBe("cancel");
    expect(timeOffAction({ role: "studio_owner" }, "a1", entry("requested"))).toBe("cancel");
    expect(timeOffAction({ role: "studio_owner" }, "a1", entry("declined"))).toBeUndefined();
    expect(timeOffAction({ role: "freelancer", artistId: "a1" }, "a1", entry("requested"))).toBe("withdraw");
    expect(timeOffAction({ role: "freelancer", artistId: "a1" }, "a1", entry("approved"))).toBeUndefined();
    expect(timeOffAction({ role: "freelancer", artistId: "a2" }, "a1", entry("requested"))).toBeUndefined();
  });

  test("date inputs → whole local days (last inclusive), and the label", () => {
    const range = daysRange("2026-03-05", "2026-03-06")!;
    expect(range.start).toBe(new Date(2026, 2, 5).getTime() * 1000);
    expect(range.end).toBe(new Date(2026, 2, 7).getTime() * 1000);
    expect(daysRange("2026-03-05", "2026-03-04")).toBeUndefined();
    expect(daysRange("", "2026-03-04")).toBeUndefined();
    const one = daysRange("2026-03-05", "2026-03-05")!;
    expect(one.end - one.start).toBe(D);
    expect(formatTimeOff(one.start, one.end)).toMatch(/5/);
    expect(formatTimeOff(one.start, one.end)).not.toContain("–");
    expect(formatTimeOff(range.start, range.end)).toContain("–");
  });
});
