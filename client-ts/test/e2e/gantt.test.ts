// The Gantt chart: the demo's "Feature: The Lighthouse" renders its phases,
// dependency arrows, milestones, today line and critical path. On a fresh
// project (Layout, then Animation finish to start): dragging Layout three
// days later previews Animation pushed (a ghost), and the drop pushes it for
// real; the keyboard moves a phase a day; progress is edited in the panel;
// and a dependency that would close a loop is refused with the loop by name.

import { expect, test } from "vitest";
import { OWNER, api, shot, signedInTab } from "./helpers.js";
import { bar, day, expectedRefusals, freshPlan, goTo, openGantt, patient, phasesOf } from "./project-helpers.js";

const file = signedInTab(OWNER);

test("the demo project: phases, arrows, milestones, today line, critical path", async () => {
  const { page } = file.tab;
  await goTo(page, "#/projects");
  await page.getByRole("link", { name: "Feature: The Lighthouse", exact: true }).click();
  const bars = page.locator("[data-testid=phase-bar]");
  await expect.poll(() => bars.count()).toBe(6);
  expect(await bars.evaluateAll((bs) => bs.map((b) => b.getAttribute("data-name")))).toEqual(["Layout", "Animation", "FX", "Lighting", "Compositing", "Delivery"]);
  await expect.poll(() => page.locator("[data-testid=dependency]").count()).toBe(6);
  expect(await page.locator("[data-testid=milestone]").count()).toBe(3);
  await page.getByRole("button", { name: /^Milestone Final delivery/ }).waitFor();
  expect(await page.locator("[data-testid=gantt-today]").count()).toBe(1);
  // The schedule's critical path is highlighted (bars and the arrows between them).
  await expect.poll(() => page.locator("[data-testid=phase-bar][data-critical=true]").count(), { timeout: 5_000 }).toBeGreaterThan(0);
  expect(await page.locator(".gantt__dep--critical").count()).toBeGreaterThan(0);
  expect(await bar(page, "Delivery").getAttribute("data-critical")).toBe("true"); // it ends the project
  await shot(page, "44-gantt-demo-week");
  await page.getByRole("group", { name: "Zoom" }).getByRole("button", { name: "Month" }).click();
  await shot(page, "45-gantt-demo-month");
  await page.getByRole("group", { name: "Zoom" }).getByRole("button", { name: "Quarter" }).click();
  await shot(page, "46-gantt-demo-quarter");
  expect(file.tab.problems).toEqual([]);
});

test("drag a phase: the preview ghosts its successor, the drop pushes it; keys move a day; progress", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt drag");
  await openGantt(page, plan.project.id);
  const layout = bar(page, "Layout");
  const animation = bar(page, "Animation");
  expect(await layout.getAttribute("data-start")).toBe(day(7));
  expect(await animation.getAttribute("data-start")).toBe(day(14));
  expect(await page.locator("[data-testid=dependency]").count()).toBe(1);
  expect(await page.locator("[data-testid=milestone]").count()).toBe(1);

  // Drag Layout three days later (40 px a day at week zoom), holding the button: the ghost.
  const box = (await layout.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, y, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 120, y, { steps: 4 });
  await expect.poll(() => layout.getAttribute("data-start")).toBe(day(10));
  const ghost = page.locator(`[data-testid=ghost][data-phase="${plan.animation.id}"]`);
  await ghost.waitFor({ timeout: 5_000 });
  expect(Number(new Date(`${await ghost.getAttribute("data-start")}T00:00:00Z`))).toBeGreaterThan(Number(new Date(`${day(14)}T00:00:00Z`)));
  expect(await animation.getAttribute("data-start")).toBe(day(14)); // not moved yet
  await shot(page, "47-gantt-drag-preview");
  const pushedTo = (await ghost.getAttribute("data-start"))!;
  await page.mouse.up();

  // The drop: Layout moved, Animation pushed to where the ghost was.
  await expect.poll(() => animation.getAttribute("data-start"), { timeout: 5_000 }).toBe(pushedTo);
  await expect.poll(() => page.locator("[data-testid=ghost]").count()).toBe(0);
  let stored = await phasesOf(owner, plan.project.id);
  expect(stored.get("Layout")).toMatchObject({ startDate: day(10), endDate: day(15) });
  expect(stored.get("Animation")!.startDate).toBe(pushedTo);
  await shot(page, "48-gantt-after-push");

  // Keys: → moves a day (drawn at once), Enter saves.
  await layout.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => layout.getAttribute("data-start")).toBe(day(11));
  expect(await layout.getAttribute("aria-label")).toContain("moving: Enter saves");
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await phasesOf(owner, plan.project.id)).get("Layout")!.startDate, { timeout: 5_000 }).toBe(day(11));
  // Its push of Animation (if any) has reached the chart before Animation is looked at.
  const animStored = (await phasesOf(owner, plan.project.id)).get("Animation")!.startDate;
  await expect.poll(() => animation.getAttribute("data-start"), { timeout: 5_000 }).toBe(animStored);
  // ↓ goes to the next phase; Escape drops an unsaved move.
  await page.keyboard.press("ArrowDown");
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-name"))).toBe("Animation");
  const animStart = await animation.getAttribute("data-start");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Escape");
  expect(await animation.getAttribute("data-start")).toBe(animStart);

  // Progress: select Layout, type 60, save; the bar shows it (from the view's event).
  await layout.click();
  const panel = page.locator("[data-testid=phase-panel]");
  await panel.getByLabel("Progress (%)").fill("60");
  await panel.getByRole("button", { name: "Save progress" }).click();
  await expect.poll(() => layout.getAttribute("data-progress"), { timeout: 5_000 }).toBe("60");
  stored = await phasesOf(owner, plan.project.id);
  expect(stored.get("Layout")!.progress).toBe(60);
  await shot(page, "49-gantt-progress");
  expect(file.tab.problems).toEqual([]);
});

test("a dependency that would close a loop is refused, naming the phases on it", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt loop");
  await openGantt(page, plan.project.id);
  const form = page.locator("[data-testid=add-dependency]");
  await form.getByLabel("Predecessor").selectOption({ label: "Animation" });
  await form.getByLabel("Successor").selectOption({ label: "Layout" });
  await form.getByRole("button", { name: "Add dependency" }).click();
  const alert = form.getByRole("alert");
  await alert.waitFor({ timeout: 5_000 });
  const text = (await alert.textContent()) ?? "";
  expect(text).toMatch(/^Can't add: (Layout → Animation → Layout|Animation → Layout → Animation) would form a loop$/);
  await shot(page, "50-gantt-cycle-refused");
  expect(await page.locator("[data-testid=dependency]").count()).toBe(1); // nothing added
  expect(expectedRefusals(file.tab, 422)).toBe(1); // Chromium logs the refused POST
  expect(file.tab.problems).toEqual([]);
});

test("add a phase, a dependency and a milestone from the panel", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt forms");
  await openGantt(page, plan.project.id);
  const addPhase = page.locator("[data-testid=add-phase]");
  await addPhase.getByLabel("Name").fill("Comp");
  await addPhase.getByLabel("First day").fill(day(21));
  await addPhase.getByLabel("Last day").fill(day(25));
  await addPhase.getByRole("button", { name: "Add phase" }).click();
  await bar(page, "Comp").waitFor({ timeout: 5_000 });
  expect(await bar(page, "Comp").getAttribute("data-end")).toBe(day(26));
  const addDep = page.locator("[data-testid=add-dependency]");
  await addDep.getByLabel("Predecessor").selectOption({ label: "Animation" });
  await addDep.getByLabel("Successor").selectOption({ label: "Comp" });
  await addDep.getByLabel("Kind").selectOption("start_to_start");
  await addDep.getByLabel("Lag (working days)").fill("2");
  await addDep.getByRole("button", { name: "Add dependency" }).click();
  await expect.poll(() => page.locator("[data-testid=dependency]").count(), { timeout: 5_000 }).toBe(2);
  const addMilestone = page.locator("[data-testid=add-milestone]");
  await addMilestone.getByLabel("Name").fill("Client review");
  await addMilestone.getByLabel("Date").fill(day(24));
  await addMilestone.getByRole("button", { name: "Add milestone" }).click();
  await page.getByRole("button", { name: /^Milestone Client review/ }).waitFor({ timeout: 5_000 });
  await shot(page, "51-gantt-added");
  expect(file.tab.problems).toEqual([]);
});

test("300 phases: only the rows in view are in the DOM, and scrolling reaches the last", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt 300");
  for (let i = 0; i < 298; i += 1) {
    await patient(owner, "POST", `/projects/${plan.project.id}/phases`, { name: `Shot ${String(i).padStart(3, "0")}`, startDate: day(7 + (i % 20)), endDate: day(9 + (i % 20)) });
  }
  const opened = Date.now();
  await openGantt(page, plan.project.id);
  console.log(`Gantt of 300 phases drawn ${Date.now() - opened} ms after navigation`);
  const rendered = await page.locator("[data-testid=phase-bar]").count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(60); // virtual: 300 phases, a screenful plus overscan rendered
  // Scroll to the end in steps, one per frame, and count frames that took too long.
  const slow = await page.locator("[data-testid=gantt]").evaluate(async (el) => {
    let late = 0;
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      el.scrollTop += 200;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      if (now - last > 50) late++;
      last = now;
    }
    return late;
  });
  console.log(`scrolling 300 phases: ${slow} of 60 frames over 50 ms`);
  await page.locator('[data-testid=phase-bar][data-row="300"]').waitFor();
  expect(await page.locator("[data-testid=phase-bar]").count()).toBeLessThan(60);
  expect(slow).toBeLessThan(6);
  await shot(page, "56-gantt-300-phases-bottom");
  expect(file.tab.problems).toEqual([]);
});
