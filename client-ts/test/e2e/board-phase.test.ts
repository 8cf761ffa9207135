// A booking's phase on the board: the side panel's Phase select lists the
// phases of the booking's project (from the tenant snapshot's plans); the
// phase is saved with the booking's update (REST has its `phaseId`) and
// named by the bar; choosing another project clears it, and a phase of the
// new project can be chosen with it in one save. A freelancer (no plans in
// their store) sees the booking read-only, its phase named from their
// booking's project read over REST.

import { expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, goToDate, mondayUtc, openTab, saved, shot, signIn, signedInTab } from "./helpers.js";
import { FREELANCER, freshPlan } from "./project-helpers.js";

const file = signedInTab(OWNER);

interface Stored {
  projectId: string | null;
  phaseId?: string | null;
  version: number;
}

test("the panel's Phase select: a phase of the booking's project, saved; another project clears it", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const first = await freshPlan(owner, "E2E: Phase board A");
  const second = await freshPlan(owner, "E2E: Phase board B");
  const start = mondayUtc(20) + DAY_US + 9 * HOUR_US;
  const created = await book(owner, await artistId(owner, "Ben Okafor"), "E2E: phase shot", "pencil", start, start + 8 * HOUR_US);
  await owner.call("PATCH", `/bookings/${created.id}`, { version: created.version, projectId: first.project.id });
  const stored = async () => (await owner.call<{ data: Stored }>("GET", `/bookings/${created.id}`)).data;

  await goToDate(page, start);
  const bar = page.locator('.bar[aria-label*="E2E: phase shot"]');
  await expect.poll(() => bar.getAttribute("aria-label"), { timeout: 5_000 }).toContain("E2E: Phase board A");
  await bar.click();
  await page.keyboard.press("Enter");
  const panel = page.locator("[data-testid=panel]");
  const phase = panel.locator("select[name=phase]");
  await phase.waitFor();
  // The phases of project A, and no others.
  expect(await phase.locator("option").allTextContents()).toEqual(["No phase", "Layout", "Animation"]);

  await phase.selectOption({ label: "Animation" });
  await panel.getByRole("button", { name: "Save" }).click();
  await saved(bar);
  await expect.poll(async () => (await stored()).phaseId, { timeout: 5_000 }).toBe(first.animation.id);
  await expect.poll(() => bar.getAttribute("aria-label")).toContain("phase Animation");
  await shot(page, "61-board-booking-phase");

  // Another project: the phase is cleared in the form, and on the server.
  await panel.locator("select[name=project]").selectOption({ label: "E2E: Phase board B" });
  expect(await phase.inputValue()).toBe("");
  await panel.getByRole("button", { name: "Save" }).click();
  await saved(bar);
  await expect.poll(async () => (await stored()).projectId, { timeout: 5_000 }).toBe(second.project.id);
  expect((await stored()).phaseId ?? null).toBeNull();
  expect(await bar.getAttribute("aria-label")).not.toContain("phase Animation");

  // Project A again and its Layout, in one save.
  await panel.locator("select[name=project]").selectOption({ label: "E2E: Phase board A" });
  await phase.selectOption({ label: "Layout" });
  await panel.getByRole("button", { name: "Save" }).click();
  await saved(bar);
  await expect.poll(async () => (await stored()).phaseId, { timeout: 5_000 }).toBe(first.layout.id);
  expect((await stored()).projectId).toBe(first.project.id);
  await expect.poll(() => bar.getAttribute("aria-label")).toContain("phase Layout");

  // After a reload the panel shows it.
  await page.reload();
  await page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  await goToDate(page, start);
  await bar.click();
  await page.keyboard.press("Enter");
  await expect.poll(() => page.locator("[data-testid=panel] select[name=phase]").inputValue()).toBe(first.layout.id);
  expect(file.tab.problems).toEqual([]);
});

test("a freelancer's (read-only) panel names the phase of their booking's project (read over REST)", async () => {
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Phase freelancer");
  // 08:00–16:00 UTC: inside Ada's 09:00–18:00 in Paris, summer or winter.
  const start = mondayUtc(23) + 2 * DAY_US + 8 * HOUR_US;
  const created = await book(owner, await artistId(owner, "Ada Moreau"), "E2E: freelancer phase", "pencil", start, start + 8 * HOUR_US);
  await owner.call("PATCH", `/bookings/${created.id}`, { version: created.version, projectId: plan.project.id, phaseId: plan.animation.id });

  const free = await openTab(file.browser);
  await signIn(free.page, FREELANCER);
  const { page } = free;
  await goToDate(page, start);
  const bar = page.locator('.bar[aria-label*="E2E: freelancer phase"]');
  await bar.click();
  const panel = page.locator("[data-testid=panel]");
  await expect.poll(() => panel.locator(".panel__view").innerText(), { timeout: 5_000 }).toMatch(/Phase\s+Animation/);
  expect(await panel.locator("select, input, textarea").count()).toBe(0);
  await shot(page, "67-board-freelancer-phase");
  expect(free.problems).toEqual([]);
  await free.context.close();
});
