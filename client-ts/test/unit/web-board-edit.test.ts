// The board's editing logic (web/src/board/workingTime.ts, web/src/store/undoPlan.ts,
// web/src/board/useUndoKeys.ts, web/src/model.ts): working time from an
// artist's hours, the studio's week, holidays and time off; the undo stack
// and the compensating commands it plans; the undo keys; who may edit or answer.

process.env.TZ = "UTC"; // the board's local days: UTC here, whatever the machine's zone

import { describe, expect, test } from "vitest";
import type { Booking, BookingStatus } from "../../src/index.js";
import { formatWorking, offSpans, workingDuration, workingSpans, workingText, type WorkCalendar } from "../../web/src/board/workingTime.js";
import { undoKey } from "../../web/src/board/useUndoKeys.js";
import { mayEditBookings, mayRespond } from "../../web/src/model.js";
import { UndoStack, fieldsOf, planRedo, planUndo, type Edit } from "../../web/src/store/undoPlan.js";
import { US_PER_HOUR, US_PER_MIN, zonedInstant } from "../../web/src/time.js";

const H = US_PER_HOUR;
/** Monday 2026-12-07 00:00 UTC. */
const MON = Date.UTC(2026, 11, 7) * 1000;
const D = 24 * H;

const studio: WorkCalendar = { timeZone: "UTC", week: { days: new Set([1, 2, 3, 4, 5]), start: 9 * 60, end: 18 * 60, timeZone: "UTC" }, holidays: new Set() };

describe("working time", () => {
  test("a week on the studio's 09:00–18:00, Monday to Friday, is 5 working days; the weekend adds nothing", () => {
    const w = workingDuration(MON, MON + 7 * D, studio);
    expect(w).toEqual({ days: 5, minutes: 0, total: 5 * 9 * 60 });
    expect(formatWorking(w)).toBe("5 d");
  });

  test("Tuesday 10:00 to Thursday 14:00 is 1 day (Wednesday) and 8 + 5 hours on the partial days", () => {
    const w = workingDuration(MON + D + 10 * H, MON + 3 * D + 14 * H, studio);
    expect(w.days).toBe(1);
    expect(w.minutes).toBe(13 * 60);
    expect(formatWorking(w)).toBe("1 d 13 h");
    expect(workingText(MON + D + 10 * H, MON + 3 * D + 14 * H, studio)).toBe("1 d 13 h working");
  });

  test("minutes, and a night or a weekend with no working time", () => {
    expect(formatWorking(workingDuration(MON + 9 * H, MON + 11.5 * H, studio))).toBe("2 h 30 min");
    expect(workingText(MON + 18 * H, MON + D + 9 * H, studio)).toBe("no working time");
    expect(workingText(MON + 5 * D, MON + 7 * D, studio)).toBe("no working time");
  });

  test("an artist's own hours (a split shift, on their clock) replace the studio's week", () => {
    const cal: WorkCalendar = {
      ...studio,
      timeZone: "Europe/Paris", // UTC+1 in December
      intervals: [
        { day: 1, start: "09:00", end: "13:00" },
        { day: 1, start: "14:00", end: "18:00" },
        { day: 6, start: "10:00", end: "12:00" },
      ],
    };
    expect(workingSpans(MON, MON + D, cal)).toEqual([
      { start: MON + 8 * H, end: MON + 12 * H },
      { start: MON + 13 * H, end: MON + 17 * H },
    ]);
    expect(workingDuration(MON, MON + 7 * D, cal)).toEqual({ days: 2, minutes: 0, total: 8 * 60 + 2 * 60 });
    // Monday 10:00–15:00 Paris: 3 h before the break, 1 h after.
    expect(formatWorking(workingDuration(MON + 9 * H, MON + 14 * H, cal))).toBe("4 h");
  });

  test("across a clock change (Paris, 28 March 2027) each day keeps its wall-clock hours", () => {
    const cal: WorkCalendar = { ...studio, timeZone: "Europe/Paris", intervals: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: "09:00", end: "18:00" })) };
    const from = Date.UTC(2027, 2, 26) * 1000;
    const spans = workingSpans(from, from + 4 * D, cal);
    expect(spans.map((x) => new Date(x.start / 1000).toISOString().slice(0, 16))).toEqual(["2027-03-26T08:00", "2027-03-27T08:00", "2027-03-28T07:00", "2027-03-29T07:00"]);
    // In a range with no change, the same as asking the zone for each day.
    const winter = workingSpans(MON, MON + 2 * D, cal);
    expect(winter[0]).toEqual({ start: zonedInstant(2026, 11, 7, 9 * 60, "Europe/Paris"), end: zonedInstant(2026, 11, 7, 18 * 60, "Europe/Paris") });
  });

  test("holidays and approved time off are not working time", () => {
    const cal: WorkCalendar = { ...studio, holidays: new Set(["2026-12-08"]), off: [{ start: MON + 2 * D, end: MON + 3 * D }] };
    expect(workingDuration(MON, MON + 5 * D, cal)).toEqual({ days: 3, minutes: 0, total: 3 * 9 * 60 });
    // Half of Thursday off: Thursday is a partial day.
    const half: WorkCalendar = { ...studio, off: [{ start: MON + 3 * D + 9 * H, end: MON + 3 * D + 13 * H }] };
    expect(formatWorking(workingDuration(MON + 3 * D, MON + 4 * D, half))).toBe("5 h");
  });

  test("the off spans shade the complement of working time in the range", () => {
    expect(offSpans(MON, MON + D, studio)).toEqual([
      { start: MON, end: MON + 9 * H },
      { start: MON + 18 * H, end: MON + D },
    ]);
    // Saturday and Sunday: one span from Friday 18:00 to Monday 09:00.
    const spans = offSpans(MON + 4 * D, MON + 8 * D, studio);
    expect(spans).toContainEqual({ start: MON + 4 * D + 18 * H, end: MON + 7 * D + 9 * H });
  });

  test("no minutes are lost: the total is the sum of the working spans", () => {
    const from = MON + 3 * H + 17 * US_PER_MIN;
    const to = MON + 9 * D + 11 * H;
    const sum = workingSpans(from, to, studio).reduce((n, s) => n + (s.end - s.start), 0) / US_PER_MIN;
    expect(workingDuration(from, to, studio).total).toBe(sum);
  });
});

function booking(patch: Partial<Booking> = {}): Booking {
  return {
    id: "b1",
    artistId: "a1",
    projectId: null,
    title: "Comp",
    notes: null,
    startTime: MON + 9 * H,
    endTime: MON + 17 * H,
    status: "pencil",
    expiresAt: null,
    version: 1,
    createdAt: 1,
    createdBy: "",
    updatedAt: 1,
    updatedBy: "",
    ...patch,
  };
}

describe("undo plans", () => {
  const before = fieldsOf(booking());
  const moved = { ...before, startTime: before.startTime + D, endTime: before.endTime + D, artistId: "a2" };
  const move: Edit = { kind: "update", key: "b1", before, after: moved };

  test("a move is undone by moving back (only the fields it changed), and redone by moving again", () => {
    const now = booking({ startTime: moved.startTime, endTime: moved.endTime, artistId: "a2", version: 2, title: "Renamed since" });
    expect(planUndo(move, now)).toEqual({ ok: true, steps: [{ kind: "update", key: "b1", patch: { artistId: "a1", startTime: before.startTime, endTime: before.endTime } }] });
    const back = booking({ version: 3 });
    expect(planRedo(move, back)).toEqual({ ok: true, steps: [{ kind: "update", key: "b1", patch: { artistId: "a2", startTime: moved.startTime, endTime: moved.endTime } }] });
  });

  test("a project change that cleared the phase is undone with the phase put back", () => {
    const phased = { ...before, projectId: "p1", phaseId: "ph1" };
    const edit: Edit = { kind: "update", key: "b1", before: phased, after: { ...phased, projectId: "p2", phaseId: undefined } };
    const now = booking({ projectId: "p2", version: 2 });
    expect(planUndo(edit, now)).toEqual({ ok: true, steps: [{ kind: "update", key: "b1", patch: { projectId: "p1", phaseId: "ph1" } }] });
  });

  test("when the booking changed since (moved again, or cancelled), the plan is stale with a reason", () => {
    const elsewhere = booking({ startTime: moved.startTime + H, endTime: moved.endTime, artistId: "a2", version: 3 });
    expect(planUndo(move, elsewhere)).toEqual({ ok: false, reason: "someone changed it since" });
    expect(planUndo(move, booking({ ...moved, status: "cancelled" }))).toEqual({ ok: false, reason: "it was cancelled or removed since" });
    expect(planUndo(move, undefined)).toEqual({ ok: false, reason: "it was cancelled or removed since" });
  });

  test("a create is undone by cancelling it, and redone by creating it again", () => {
    const create: Edit = { kind: "create", key: "cmd-1", after: before };
    expect(planUndo(create, booking())).toEqual({ ok: true, steps: [{ kind: "cancel", key: "cmd-1" }] });
    expect(planUndo(create, booking({ status: "cancelled" })).ok).toBe(false);
    expect(planRedo(create, booking({ status: "cancelled" }))).toEqual({ ok: true, steps: [{ kind: "create", input: before }] });
  });

  test("a cancel is undone by creating the booking again with the same fields; redone by cancelling that", () => {
    const cancel: Edit = { kind: "cancel", key: "b1", before };
    expect(planUndo(cancel, booking({ status: "cancelled", version: 2 }))).toEqual({ ok: true, steps: [{ kind: "create", input: before }] });
    expect(planUndo(cancel, booking()).ok).toBe(false);
    expect(planRedo(cancel, booking())).toEqual({ ok: true, steps: [{ kind: "cancel", key: "b1" }] });
  });

  test("a status change (forward only on the server) is undone by cancel + create with the old status; redone by the transition", () => {
    const confirm: Edit = { kind: "status", key: "b1", before, after: { ...before, status: "confirmed" } };
    const plan = planUndo(confirm, booking({ status: "confirmed", version: 2 }));
    expect(plan.ok && plan.steps.map((s) => s.kind)).toEqual(["cancel", "create"]);
    expect(plan.ok && plan.steps[1]!.kind === "create" && plan.steps[1]!.input.status).toBe("pencil");
    expect(planRedo(confirm, booking())).toEqual({ ok: true, steps: [{ kind: "transition", key: "b1", to: "confirmed" as BookingStatus }] });
  });
});

describe("the undo stack", () => {
  test("undo moves an edit to the redo side; a new edit clears it; a refused edit is forgotten", () => {
    const s = new UndoStack<string>(3);
    s.push("a");
    s.push("b");
    expect(s.undo()).toBe("b");
    expect(s.peekRedo()).toBe("b");
    expect(s.redo()).toBe("b");
    expect(s.peekUndo()).toBe("b");
    s.undo();
    s.push("c");
    expect(s.peekRedo()).toBeUndefined();
    s.remove("c");
    expect(s.peekUndo()).toBe("a");
    for (const e of ["d", "e", "f", "g"]) s.push(e);
    expect([s.undo(), s.undo(), s.undo(), s.undo()]).toEqual(["g", "f", "e", undefined]); // at most 3 kept
  });
});

describe("undo keys", () => {
  const k = (key: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "shiftKey" | "altKey", boolean>> = {}) =>
    undoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  test("Ctrl+Z and ⌘Z undo; Ctrl+Shift+Z, ⌘⇧Z and Ctrl+Y redo; the rest is not ours", () => {
    expect(k("z", { ctrlKey: true })).toBe(-1);
    expect(k("z", { metaKey: true })).toBe(-1);
    expect(k("Z", { ctrlKey: true, shiftKey: true })).toBe(1);
    expect(k("Z", { metaKey: true, shiftKey: true })).toBe(1);
    expect(k("y", { ctrlKey: true })).toBe(1);
    expect(k("z")).toBe(0);
    expect(k("z", { ctrlKey: true, altKey: true })).toBe(0);
    expect(k("x", { ctrlKey: true })).toBe(0);
  });
});

describe("who edits and who answers", () => {
  test("owners and managers edit bookings; a freelancer answers holds and pencils of their own artist only", () => {
    expect(mayEditBookings({ role: "studio_owner" })).toBe(true);
    expect(mayEditBookings({ role: "studio_manager" })).toBe(true);
    expect(mayEditBookings({ role: "freelancer", artistId: "a1" })).toBe(false);
    const me = { role: "freelancer", artistId: "a1" };
    expect(mayRespond(me, { artistId: "a1", status: "hold" })).toBe(true);
    expect(mayRespond(me, { artistId: "a1", status: "pencil" })).toBe(true);
    expect(mayRespond(me, { artistId: "a1", status: "confirmed" })).toBe(false);
    expect(mayRespond(me, { artistId: "a2", status: "pencil" })).toBe(false);
    expect(mayRespond({ role: "studio_owner" }, { artistId: "a1", status: "pencil" })).toBe(false);
  });
});

