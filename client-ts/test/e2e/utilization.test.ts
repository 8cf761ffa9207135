// The utilization heat map: artists by weeks, coloured by band, holds shown
// apart, a legend, a range picker, the CSV of the range shown; a cell opens the board on that artist
// (filtered to them) and week.

import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { OWNER, launch, openTab, shot, signIn, type Tab } from "./helpers.js";
import { day, goTo } from "./project-helpers.js";

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("the heat map renders and a cell opens the board at that artist and week", async () => {
  const { page } = tab;
  await signIn(page, OWNER);
  await goTo(page, "#/utilization");
  const grid = page.locator("[data-testid=heatmap]");
  await grid.waitFor();
  // The demo artists (12, or more if another test added some) × 12 weeks from this week's Monday.
  await expect.poll(() => grid.locator("tbody tr").count()).toBeGreaterThanOrEqual(12);
  expect(await grid.locator("thead th[data-week]").count()).toBe(12);
  expect(await grid.locator("thead th[data-week]").first().getAttribute("data-week")).toBe(day(0));
  const bands = await page.locator("[data-testid=heat-cell]").evaluateAll((cs) => [...new Set(cs.map((c) => c.getAttribute("data-band")))]);
  expect(bands.length).toBeGreaterThan(1); // the demo's bookings make some weeks busier than others
  await page.getByRole("list", { name: "Legend" }).getByText("Over 100 %").waitFor();
  await shot(page, "54-utilization");

  // The range picker: four weeks.
  await page.getByLabel("Weeks").selectOption("4");
  await expect.poll(() => grid.locator("thead th[data-week]").count()).toBe(4);

  // The CSV of the range shown: a line per artist and week.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`utilization-${day(0)}-to-${day(28)}.csv`);
  const lines = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
  expect(lines[0]).toBe("artist_id,artist_name,period_start,available_hours,hold_hours,pencil_hours,confirmed_hours,utilization");
  const artists = await grid.locator("tbody tr").count();
  expect(lines.length - 1).toBe(artists * 4);
  expect(new Set(lines.slice(1).map((l) => l.split(",")[2]))).toEqual(new Set([day(0), day(7), day(14), day(21)]));

  // A cell: Chiara Rossi, next week → the board, filtered to her, at that week.
  const row = grid.locator("tbody tr", { hasText: "Chiara Rossi" });
  const artist = (await row.getAttribute("data-artist"))!;
  await row.locator(`[data-testid=heat-cell][data-week="${day(7)}"]`).click();
  await page.locator("[data-testid=board]").waitFor();
  expect(page.url()).toContain(`#/?artist=${artist}&week=${day(7)}`);
  await expect.poll(() => page.locator(".row-head").count()).toBe(1);
  await page.locator(".row-head", { hasText: "Chiara Rossi" }).waitFor();
  expect(await page.getByLabel("Find artist or skill").inputValue()).toBe("Chiara Rossi");
  await page.locator(`.axis [data-day="${day(7)}"]`).waitFor();
  await shot(page, "55-board-from-heatmap");
  expect(tab.problems).toEqual([]);
});
