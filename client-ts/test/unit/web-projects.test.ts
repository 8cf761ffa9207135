// The web app's project pages, their pure parts: hash routes, calendar days
// (half-open ranges), the Gantt geometry (span, ticks, virtual rows, arrows,
// drags, the loop message), the project form's wire values, the heat map's
// bands, and the board's project names from the server.

import { describe, expect, test } from "vitest";
import { addDays, dayNum, dayStr, formatRange, isDay, mondayOf, today, weekday } from "../../web/src/days.js";
import { ROW_H, arrowPath, chartSpan, cycleMessage, dayAt, dragDates, ticks, visibleRows, xOf } from "../../web/src/gantt/geometry.js";
import { bookableProjects, hueOf, projectHue, projectName } from "../../web/src/model.js";
import { emptyForm, formField, formOf, toNewProject, toPatch } from "../../web/src/projects/form.js";
import type { Project } from "../../web/src/projects/schemas.js";
import { parseHash, routeHash, type Route } from "../../web/src/router.js";
import { band, cellLabel, defaultRange, holdShare, percent } from "../../web/src/utilization/heat.js";

describe("routes", () => {
  test("each page's hash reads back as the same route; anything else is the board", () => {
    const routes: Route[] = [
      { page: "board" },
      { page: "board", artist: "a-1", week: "2026-12-07" },
      { page: "projects" },
      { page: "gantt", projectId: "0192-ab" },
      { page: "utilization" },
    ];
    for (const r of routes) expect(parseHash(routeHash(r))).toEqual(r);
    expect(routeHash({ page: "board" })).toBe("#/");
    expect(routeHash({ page: "gantt", projectId: "p1" })).toBe("#/projects/p1");
    expect(parseHash("")).toEqual({ page: "board" });
    expect(parseHash("#/nowhere")).toEqual({ page: "board" });
    expect(parseHash("#/?artist=x&week=not-a-date")).toEqual({ page: "board", artist: "x" });
  });
});

describe("days", () => {
  test("arithmetic by day numbers, ISO weekdays, Mondays, half-open ranges as people read them", () => {
    expect(dayNum("1970-01-01")).toBe(0);
    expect(dayStr(dayNum("2026-12-03"))).toBe("2026-12-03");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(weekday("2026-12-03")).toBe(4); // a Thursday
    expect(weekday("2026-12-06")).toBe(7);
    expect(mondayOf("2026-12-06")).toBe("2026-11-30");
    expect(mondayOf("2026-12-07")).toBe("2026-12-07");
    expect(formatRange("2026-12-07", "2026-12-12")).toBe("7 Dec – 11 Dec 2026"); // ends before the 12th
    expect(formatRange("2026-12-28", "2027-01-02")).toBe("28 Dec 2026 – 1 Jan 2027");
    expect(formatRange("2026-12-07", "2026-12-08")).toBe("7 Dec 2026");
    expect(today(new Date(2026, 11, 3, 23, 59))).toBe("2026-12-03");
    expect(isDay("2026-02-30")).toBe(false);
    expect(isDay("2026-02-28")).toBe(true);
  });
});

describe("Gantt geometry", () => {
  const project = { startDate: "2027-01-04", endDate: "2027-02-01" };
  test("the span starts on a Monday a week before everything and leaves four weeks after", () => {
    const span = chartSpan(project, [{ startDate: "2027-01-06", endDate: "2027-02-10" }], "2027-01-05");
    expect(span.start).toBe("2026-12-28");
    expect(addDays(span.start, span.days)).toBe("2027-03-10");
    expect(xOf(span, 10, "2027-01-04")).toBe(70);
    expect(dayAt(span, 10, 79)).toBe("2027-01-04");
    expect(dayAt(span, 10, 80)).toBe("2027-01-05");
  });

  test("ticks: every day at week zoom, Mondays at month zoom, and each month's first named", () => {
    const span = { start: "2026-12-28", days: 70 };
    expect(ticks(span, "week")).toHaveLength(70);
    expect(ticks(span, "month").filter((t) => t.label !== "").every((t) => weekday(t.day) === 1)).toBe(true);
    expect(ticks(span, "quarter").map((t) => [t.day, t.month, t.label])).toEqual([["2027-01-01", "Jan 2027", ""], ["2027-02-01", "Feb 2027", ""], ["2027-03-01", "Mar 2027", ""]]);
    const first = ticks(span, "week").find((t) => t.day === "2027-01-01")!;
    expect([first.major, first.label, first.month]).toEqual([true, "1", "Jan 2027"]);
  });

  test("virtual rows: those in view plus overscan, clipped to the plan", () => {
    expect(visibleRows(0, 10 * ROW_H, 300, 8)).toEqual([0, 18]);
    expect(visibleRows(100 * ROW_H, 10 * ROW_H, 300, 8)).toEqual([92, 118]);
    expect(visibleRows(295 * ROW_H, 10 * ROW_H, 300, 8)).toEqual([287, 300]);
    expect(visibleRows(0, 600, 0)).toEqual([0, 0]);
  });

  test("arrows leave the predecessor's end (finish) or start and enter the successor's start or end", () => {
    const a = { x0: 0, x1: 100, y: 18 };
    const b = { x0: 200, x1: 300, y: 54 };
    expect(arrowPath("finish_to_start", a, b)).toBe("M100,18 H108 V54 H200");
    expect(arrowPath("start_to_start", a, b)).toBe("M0,18 H-8 V54 H200");
    expect(arrowPath("finish_to_finish", a, b)).toBe("M100,18 H108 V54 H300");
    // A successor that starts before the predecessor ends: round it, between the rows.
    expect(arrowPath("finish_to_start", a, { x0: 50, x1: 90, y: 54 })).toBe("M100,18 H108 V36 H42 V54 H50");
  });

  test("a drag moves the phase or one edge by whole days, and a phase keeps at least a day", () => {
    const p = { startDate: "2027-01-04", endDate: "2027-01-09" };
    expect(dragDates(p, "move", 3)).toEqual({ startDate: "2027-01-07", endDate: "2027-01-12" });
    expect(dragDates(p, "end", -2)).toEqual({ startDate: "2027-01-04", endDate: "2027-01-07" });
    expect(dragDates(p, "end", -10)).toEqual({ startDate: "2027-01-04", endDate: "2027-01-05" });
    expect(dragDates(p, "start", 10)).toEqual({ startDate: "2027-01-08", endDate: "2027-01-09" });
  });

  test("a refused loop is named by its phases, back to the first", () => {
    const names: Record<string, string> = { a: "Layout", b: "Animation", c: "FX" };
    const name = (id: string) => names[id];
    expect(cycleMessage(["a", "b"], name)).toBe("Can't add: Layout → Animation → Layout would form a loop");
    expect(cycleMessage(["a", "b", "c", "a"], name)).toBe("Can't add: Layout → Animation → FX → Layout would form a loop");
    expect(cycleMessage(["a", "zz"], name)).toBe("Can't add: Layout → a phase → Layout would form a loop");
  });
});

describe("project form", () => {
  const p: Project = {
    id: "p1", name: "Nova", code: "NOVA", client: "Acme", color: "#336699", status: "active", startDate: "2027-01-04", endDate: "2027-03-01",
    budgetDays: 100, budgetAmount: null, currency: null, description: null, version: 3,
  };
  test("shows the last day (inclusive) and sends the first day after it", () => {
    expect(formOf(p).lastDay).toBe("2027-02-28");
    const created = toNewProject({ ...emptyForm("2027-01-04"), name: "X", code: "X1", lastDay: "2027-01-31", budgetDays: "20" });
    expect(created).toMatchObject({ name: "X", code: "X1", startDate: "2027-01-04", endDate: "2027-02-01", budgetDays: 20 });
    expect(created).not.toHaveProperty("client");
  });
  test("an edit sends its version and the changed fields only; emptied fields are cleared with null", () => {
    expect(toPatch(p, { ...formOf(p), name: "Nova 2", client: "", budgetDays: "", lastDay: "2027-03-07" })).toEqual({
      version: 3, name: "Nova 2", client: null, budgetDays: null, endDate: "2027-03-08",
    });
    expect(toPatch(p, formOf(p))).toEqual({ version: 3 });
  });
  test("server field errors land on their fields", () => {
    expect(formField("endDate")).toBe("lastDay");
    expect(formField("code")).toBe("code");
    expect(formField("nonsense")).toBeUndefined();
  });
});

describe("heat map", () => {
  const cell = (u: number | null, hold = 0, available = 40) => ({ periodStart: "2026-12-07", availableHours: available, holdHours: hold, pencilHours: 10, confirmedHours: 20, utilization: u });
  test("bands from pale to red over 100 %, none when nothing is available", () => {
    expect([null, 0, 0.39, 0.4, 0.7, 0.9, 1, 1.2].map((u) => band(u).key)).toEqual(["none", "low", "low", "mid", "high", "full", "full", "over"]);
    expect(percent(0.756)).toBe("76 %");
    expect(percent(null)).toBe("—");
  });
  test("holds are shown apart: their share of the available hours, and in the label", () => {
    expect(holdShare(cell(0.75, 10))).toBe(0.25);
    expect(holdShare(cell(0.75, 80))).toBe(1);
    expect(holdShare(cell(null, 4, 0))).toBe(1);
    expect(cellLabel("Ada", cell(0.75, 8))).toBe("75 % +8 h hold: Ada, week of 2026-12-07, 30 h of 40 h booked");
    expect(cellLabel("Ada", cell(0.75))).toBe("75 %: Ada, week of 2026-12-07, 30 h of 40 h booked");
    expect(defaultRange("2026-12-03", 4)).toEqual({ from: "2026-11-30", to: "2026-12-28" });
  });
});

describe("the board's project names", () => {
  const known = new Map([
    ["p1", { name: "Nova", color: "#ff0000", status: "active" }],
    ["p2", { name: "Aurora", color: "#808080", status: "archived" }],
  ]);
  test("names and colours from the server; unknown ids are still told apart", () => {
    expect(projectName("p1", known)).toBe("Nova");
    expect(projectName(null, known)).toBe("No project");
    expect(projectName("0192abcd-ffff", known)).toBe("Project 0192abcd");
    expect(hueOf("#00ff00")).toBe(120);
    expect(projectHue("p1", known)).toBe(0);
    expect(projectHue("p2", known)).toBe(projectHue("p2")); // grey: the stable hue by id
    expect(bookableProjects(known)).toEqual(["p1"]);
    expect(bookableProjects(known, "p2")).toEqual(["p2", "p1"]); // a booking's own archived project stays listed
  });
});
