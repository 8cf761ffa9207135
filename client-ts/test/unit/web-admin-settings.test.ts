// The Settings tab's form (web/src/admin/settingsForm.ts): hours on the page,
// minutes in the API, and a patch of only what changed.

import { expect, test } from "vitest";
import { formOf, patchOf } from "../../web/src/admin/settingsForm.js";
import type { Settings } from "../../web/src/admin/studioSchemas.js";

const stored: Settings = {
  id: "t1",
  name: "Demo Studio",
  timezone: "Europe/London",
  defaultHoldMinutes: 90,
  challengeHours: 24,
  workingWeek: { days: [5, 1, 2, 3, 4], start: "09:00", end: "18:00" },
  holidays: [{ date: "2026-12-25", name: "Christmas" }],
};

test("the form shows the hold in hours and the days in order", () => {
  expect(formOf(stored)).toEqual({ name: "Demo Studio", timezone: "Europe/London", holdHours: "1.5", challengeHours: "24", days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" });
  expect(formOf({ ...stored, defaultHoldMinutes: 2880 }).holdHours).toBe("48");
  expect(formOf({ ...stored, defaultHoldMinutes: 100 }).holdHours).toBe("1.67");
});

test("an unchanged form patches nothing; changes are sent alone, in minutes, the week whole", () => {
  const form = formOf(stored);
  expect(patchOf(stored, form)).toEqual({});
  expect(patchOf(stored, { ...form, holdHours: "2.5" })).toEqual({ defaultHoldMinutes: 150 });
  expect(patchOf(stored, { ...form, holdHours: "0.01" })).toEqual({ defaultHoldMinutes: 1 });
  expect(patchOf(stored, { ...form, end: "17:30" })).toEqual({ workingWeek: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:30" } });
  expect(patchOf(stored, { ...form, days: [1, 2, 3, 4] })).toEqual({ workingWeek: { days: [1, 2, 3, 4], start: "09:00", end: "18:00" } });
  expect(patchOf(stored, { ...form, name: "North", timezone: "Asia/Tokyo" })).toEqual({ name: "North", timezone: "Asia/Tokyo" });
  expect(patchOf(stored, { ...form, challengeHours: "48" })).toEqual({ challengeHours: 48 });
});

test("a hold that is not a number goes as typed, for the server to refuse by its field", () => {
  expect(patchOf(stored, { ...formOf(stored), holdHours: "" })).toEqual({ defaultHoldMinutes: "" });
  expect(patchOf(stored, { ...formOf(stored), challengeHours: "1.5" })).toEqual({ challengeHours: "1.5" });
});
