// The pure parts of editing a plan and a booking's phase: what an update is
// expected to do to `phaseId` (the server's rule, for the optimistic view),
// the allocation table's words, and a dependency's terms in the phase panel.

import { describe, expect, test } from "vitest";
import type { Booking } from "../../src/index.js";
import { expectedUpdate } from "../../src/index.js";
import { days, dependencyTerms, statusText } from "../../web/src/gantt/words.js";

const booking: Booking = {
  id: "b1",
  artistId: "a1",
  projectId: "p1",
  phaseId: "ph1",
  title: "Shot",
  notes: null,
  startTime: 0,
  endTime: 3_600_000_000,
  status: "pencil",
  expiresAt: null,
  version: 3,
  createdAt: 0,
  createdBy: "",
  updatedAt: 0,
  updatedBy: "",
};

describe("a booking's phase in an update", () => {
  test("another project clears the phase unless the patch names one; the same project keeps it", () => {
    expect(expectedUpdate(booking, { version: 3, projectId: "p2" }).phaseId).toBeUndefined();
    expect(expectedUpdate(booking, { version: 3, projectId: "p2", phaseId: "ph9" }).phaseId).toBe("ph9");
    expect(expectedUpdate(booking, { version: 3, projectId: "p1" }).phaseId).toBe("ph1");
    expect(expectedUpdate(booking, { version: 3, title: "x" }).phaseId).toBe("ph1");
  });
  test("null clears it, an id sets it", () => {
    expect("phaseId" in expectedUpdate(booking, { version: 3, phaseId: null })).toBe(false);
    expect(expectedUpdate(booking, { version: 3, phaseId: "ph2" }).phaseId).toBe("ph2");
  });
});

describe("allocation and dependency words", () => {
  test("over and under say so with a sign and the days", () => {
    expect(statusText({ status: "over", deltaDays: 2.04 })).toBe("▲ Over by 2 d");
    expect(statusText({ status: "under", deltaDays: -1.55 })).toBe("▼ Under by 1.6 d");
    expect(statusText({ status: "on_plan", deltaDays: 0 })).toBe("✓ On plan");
    expect(days(3)).toBe("3");
    expect(days(0.25)).toBe("0.3");
  });
  test("a dependency's kind and lag", () => {
    const d = { kind: "start_to_start" as const, lagDays: 2 };
    expect(dependencyTerms(d)).toBe("start to start, +2 d");
    expect(dependencyTerms({ ...d, kind: "finish_to_start", lagDays: 0 })).toBe("finish to start");
    expect(dependencyTerms({ ...d, lagDays: -1 })).toBe("start to start, −1 d");
  });
});
