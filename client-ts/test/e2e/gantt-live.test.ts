// Two schedulers on one project's Gantt chart (two browser contexts: the
// owner and the manager): A drags a phase, B sees it move — and its
// successor pushed — without reloading (B's chart is on the project view
// over the WebSocket). Each sees the other on the chart by name (presence).

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MANAGER, OWNER, api, drag, launch, openTab, shot, signIn, type Tab } from "./helpers.js";
import { bar, day, freshPlan, goTo, openGantt } from "./project-helpers.js";

let browser: Browser;
let a: Tab;
let b: Tab;

beforeAll(async () => {
  browser = await launch();
  a = await openTab(browser);
  b = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("a phase moved in one browser moves in the other without a reload", async () => {
  const plan = await freshPlan(await api(OWNER), "E2E: Gantt live");
  await signIn(a.page, OWNER);
  await signIn(b.page, MANAGER);
  await openGantt(a.page, plan.project.id);
  await openGantt(b.page, plan.project.id);
  const navigations: string[] = [];
  b.page.on("framenavigated", (f) => f === b.page.mainFrame() && navigations.push(f.url()));

  const box = (await bar(a.page, "Layout").boundingBox())!;
  const y = box.y + box.height / 2;
  const start = Date.now();
  await drag(a.page, { x: box.x + box.width / 2, y }, { x: box.x + box.width / 2 + 120, y }); // three days at 40 px a day
  await expect.poll(() => bar(b.page, "Layout").getAttribute("data-start"), { timeout: 3_000, interval: 10 }).toBe(day(10));
  console.log(`B saw the phase move ${Date.now() - start} ms after A's drag started`);
  // Animation (finish to start after Layout, which now ends after day 14, when Animation began) is pushed in B too.
  await expect.poll(() => bar(b.page, "Animation").getAttribute("data-start"), { timeout: 3_000 }).not.toBe(day(14));
  expect(navigations.filter((u) => !u.includes("#"))).toEqual([]); // no reload
  await shot(a.page, "52-gantt-live-a");
  await shot(b.page, "53-gantt-live-b");
  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
});

test("each sees who else has the chart open; leaving it takes the chip away", async () => {
  // Signed in by the test above (same contexts).
  const plan = await freshPlan(await api(OWNER), "E2E: Gantt presence");
  await openGantt(a.page, plan.project.id);
  await openGantt(b.page, plan.project.id);
  const chip = (t: Tab, name: string) => t.page.locator(`[data-testid=gantt-presence] [data-name="${name}"]`);
  await expect.poll(() => chip(a, "Marco Manager").textContent(), { timeout: 5_000 }).toContain("Marco Manager is here");
  await expect.poll(() => chip(b, "Olivia Owner").textContent(), { timeout: 5_000 }).toContain("Olivia Owner is here");
  expect(await a.page.getByRole("list", { name: "Also on this project: Marco Manager" }).count()).toBe(1);
  expect(await chip(a, "Olivia Owner").count()).toBe(0); // not ourselves
  await shot(a.page, "65-gantt-presence-owner");
  await shot(b.page, "66-gantt-presence-manager");

  // B goes back to the list: A's chip goes (B's project view is closed).
  await goTo(b.page, "#/projects");
  await expect.poll(() => chip(a, "Marco Manager").count(), { timeout: 5_000 }).toBe(0);
  // Another project's chart is not this one.
  const other = await freshPlan(await api(OWNER), "E2E: Gantt presence 2");
  await openGantt(b.page, other.project.id);
  await b.page.waitForTimeout(500);
  expect(await chip(a, "Marco Manager").count()).toBe(0);
  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
});
