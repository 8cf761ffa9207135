// The Studio area's Settings tab, as the owner: the default hold duration
// (hours on the page, minutes in the API) and the working week are saved with
// one PATCH and are still there after a reload; a refused working week is
// shown by its field in the server's words; a holiday is added (persisted:
// after a reload, and over REST) and removed. The settings are put back
// afterwards: every test file shares the demo studio.

import { afterAll, beforeAll, expect, test } from "vitest";
import { OWNER, api, shot, signedInTab, type Api } from "./helpers.js";
import { openStudioTab } from "./admin-helpers.js";
import { audit, serious } from "./axe.js";
import { expectedRefusals } from "./project-helpers.js";

interface RestSettings {
  name: string;
  timezone: string;
  defaultHoldMinutes: number;
  challengeHours: number;
  workingWeek: { days: number[]; start: string; end: string };
  holidays: { date: string; name: string }[];
}

const file = signedInTab(OWNER);
let owner: Api;
let before: RestSettings;

beforeAll(async () => {
  owner = await api(OWNER);
  before = (await owner.call<{ data: RestSettings }>("GET", "/studio")).data;
});

afterAll(async () => {
  const { defaultHoldMinutes, challengeHours, workingWeek, holidays } = before;
  await owner?.call("PATCH", "/studio", { defaultHoldMinutes, challengeHours, workingWeek, holidays });
});

const settings = async () => (await owner.call<{ data: RestSettings }>("GET", "/studio")).data;

test("hold duration and working week are saved, refused fields are named, and it all survives a reload", async () => {
  const { page, problems } = file.tab;
  // The nav's "Studio" link opens the area; the owner's Settings tab is there.
  await page.locator("header").getByRole("link", { name: "Studio", exact: true }).click();
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  const form = page.locator("[data-testid=settings-form]");
  const hold = form.getByLabel("Default hold duration (hours)");
  await expect.poll(() => hold.inputValue()).toBe(String(before.defaultHoldMinutes / 60));

  // A week that ends before it starts: the server names the field.
  await form.getByLabel("Ends").fill("08:00");
  await form.getByRole("button", { name: "Save settings" }).click();
  const error = form.locator("#st-workingWeek\\.end-error");
  await error.waitFor();
  expect(await form.getByLabel("Ends").getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("[data-testid=settings-error]").innerText()).not.toBe("");
  await shot(page, "70-settings-refused");
  expect(expectedRefusals(file.tab, 400)).toBe(1); // Chromium logs the refused PATCH
  expect((await settings()).workingWeek).toEqual(before.workingWeek);

  // 2.5 hours, 12 hours to answer a challenge, Monday to Thursday, 08:30–17:00.
  await hold.fill("2.5");
  await form.getByLabel("Time to answer a challenge (hours)").fill("12");
  for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday"]) await form.getByLabel(day, { exact: true }).check();
  for (const day of ["Friday", "Saturday", "Sunday"]) await form.getByLabel(day, { exact: true }).uncheck();
  await form.getByLabel("Starts").fill("08:30");
  await form.getByLabel("Ends").fill("17:00");
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect.poll(() => page.locator("[data-testid=settings-status]").innerText()).toBe("Saved.");
  expect(await form.locator(".field__error").count()).toBe(0);
  const saved = await settings();
  expect(saved.defaultHoldMinutes).toBe(150);
  expect(saved.challengeHours).toBe(12);
  expect(saved.workingWeek).toEqual({ days: [1, 2, 3, 4], start: "08:30", end: "17:00" });

  await page.reload();
  await page.getByRole("heading", { name: "Settings", exact: true }).waitFor();
  await expect.poll(() => page.getByLabel("Default hold duration (hours)").inputValue()).toBe("2.5");
  expect(await page.getByLabel("Time to answer a challenge (hours)").inputValue()).toBe("12");
  expect(await page.getByLabel("Thursday", { exact: true }).isChecked()).toBe(true);
  expect(await page.getByLabel("Friday", { exact: true }).isChecked()).toBe(false);
  expect(await page.getByLabel("Starts").inputValue()).toBe("08:30");
  expect(await page.getByLabel("Ends").inputValue()).toBe("17:00");
  await shot(page, "71-settings-saved");
  expect(serious(await audit(page, "settings tab"))).toEqual([]);
  expect(problems).toEqual([]);
});

test("a holiday is added, kept after a reload, and removed", async () => {
  const { page, problems } = file.tab;
  await openStudioTab(page, "settings", "Settings");
  const date = "2031-12-26";
  const row = page.locator(`[data-testid=holiday][data-date="${date}"]`);
  expect(await row.count()).toBe(0);
  await page.getByLabel("Date", { exact: true }).fill(date);
  await page.getByLabel("Holiday name").fill("Boxing Day (e2e)");
  await page.getByRole("button", { name: "Add holiday" }).click();
  await row.waitFor();
  expect(await row.innerText()).toContain("Boxing Day (e2e)");
  expect(await row.innerText()).toContain("Fri, 26 Dec 2031");
  expect((await settings()).holidays).toContainEqual({ date, name: "Boxing Day (e2e)" });

  await page.reload();
  await row.waitFor();
  await shot(page, "72-settings-holiday");

  // The same date again: refused in the server's words, the list unchanged.
  await page.getByLabel("Date", { exact: true }).fill(date);
  await page.getByLabel("Holiday name").fill("Twice");
  await page.getByRole("button", { name: "Add holiday" }).click();
  await page.locator("[data-testid=holidays-error]").waitFor();
  expect(await row.count()).toBe(1);
  expect(expectedRefusals(file.tab, 400)).toBe(1);

  await row.getByRole("button", { name: /^Remove Boxing Day \(e2e\)/ }).click();
  await expect.poll(() => row.count()).toBe(0);
  expect((await settings()).holidays.some((h) => h.date === date)).toBe(false);
  expect(problems).toEqual([]);
});
