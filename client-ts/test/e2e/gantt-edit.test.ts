// Editing a plan from the Gantt's side panel: a phase's dependencies listed
// ("depends on Animation (start to start, +2 d)") and one removed; a phase
// that a booking names refused for deletion with the server's reason, and
// an unbooked one deleted after the confirmation; a milestone opened by
// keyboard and by click, ticked done (filled, and its name says so),
// renamed, moved and deleted. The Allocation tab: planned vs booked days by
// phase and skill, over and under said in words, and its CSV download.

import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { OWNER, api, artistId, iso, mondayUtc, shot, type Api, signedInTab } from "./helpers.js";
import { bar, day, expectedRefusals, freshPlan, openGantt, phasesOf, type Plan } from "./project-helpers.js";

const DAY_MS = 86_400_000;

const file = signedInTab(OWNER);

/**
 * A pencil booking of `name`'s Monday to Friday, `weeks` weeks on (far off: no
 * demo booking in the way), on a phase; whole days, nights included, so booked
 * as overtime (`allowOvertime`).
 */
async function bookOnPhase(a: Api, name: string, plan: Plan, phaseId: string, weeks: number): Promise<{ id: string; skill: string }> {
  const artist = await artistId(a, name);
  const start = mondayUtc(weeks);
  const body = { artistId: artist, title: `E2E: ${plan.project.name}`, status: "pencil", projectId: plan.project.id, phaseId, startTime: iso(start), endTime: iso(start + 5 * DAY_MS * 1000), allowOvertime: true };
  const booking = (await a.call<{ data: { id: string } }>("POST", "/bookings", body)).data;
  const artists = (await a.call<{ data: { id: string; skills: string[] }[] }>("GET", "/artists?limit=1000")).data;
  return { id: booking.id, skill: artists.find((x) => x.id === artist)!.skills[0]! };
}

test("a phase's dependencies in its panel, one removed; deleting a booked phase is refused, an unbooked one goes", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt delete");
  const comp = (await owner.call<{ data: { id: string } }>("POST", `/projects/${plan.project.id}/phases`, { name: "Comp", startDate: day(21), endDate: day(26) })).data;
  const dep = (await owner.call<{ data: { dependency: { id: string } } }>("POST", `/projects/${plan.project.id}/dependencies`, { predecessorId: plan.animation.id, successorId: comp.id, kind: "start_to_start", lagDays: 2 })).data.dependency;
  await bookOnPhase(owner, "Ben Okafor", plan, plan.animation.id, 30);
  await openGantt(page, plan.project.id);
  await expect.poll(() => page.locator("[data-testid=dependency]").count()).toBe(2);

  // Comp's panel: what it depends on, in words, with kind and lag; remove it.
  await bar(page, "Comp").click();
  const panel = page.locator("[data-testid=phase-panel]");
  const link = panel.locator("[data-testid=phase-dependency]");
  await expect.poll(() => link.textContent()).toContain("depends on Animation (start to start, +2 d)");
  await shot(page, "57-gantt-phase-dependencies");
  await panel.getByRole("button", { name: "Remove: Comp depends on Animation" }).click();
  await expect.poll(() => page.locator("[data-testid=dependency]").count(), { timeout: 5_000 }).toBe(1);
  expect(await link.count()).toBe(0);
  await expect(owner.call("DELETE", `/project-dependencies/${dep.id}`)).rejects.toThrow(/404/); // gone on the server

  // Animation is booked: the server refuses, and the dialog says why.
  await bar(page, "Animation").click();
  await panel.getByRole("button", { name: "Delete phase" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Delete Animation?" });
  await dialog.getByRole("button", { name: "Delete phase" }).click();
  const alert = dialog.getByRole("alert");
  await alert.waitFor({ timeout: 5_000 });
  expect((await alert.textContent())?.length).toBeGreaterThan(10);
  await shot(page, "58-gantt-delete-phase-refused");
  expect(expectedRefusals(file.tab, 422)).toBe(1);
  await dialog.getByRole("button", { name: "Close" }).click();
  expect(await bar(page, "Animation").count()).toBe(1);

  // Layout is not: after the confirmation it goes, with its arrow.
  await bar(page, "Layout").click();
  await panel.getByRole("button", { name: "Delete phase" }).click();
  await page.getByRole("alertdialog", { name: "Delete Layout?" }).getByRole("button", { name: "Delete phase" }).click();
  await expect.poll(() => bar(page, "Layout").count(), { timeout: 5_000 }).toBe(0);
  expect(await page.locator("[data-testid=dependency]").count()).toBe(0);
  expect(await page.getByRole("alertdialog").count()).toBe(0);
  expect([...(await phasesOf(owner, plan.project.id)).keys()].sort()).toEqual(["Animation", "Comp"]);
  expect(file.tab.problems).toEqual([]);
});

test("a milestone: opened by keyboard and click, ticked done, renamed, moved, deleted", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Gantt milestone");
  await openGantt(page, plan.project.id);
  const diamond = page.locator("[data-testid=milestone]");
  await diamond.waitFor();
  expect(await diamond.getAttribute("aria-label")).toMatch(/^Milestone Lock, .*, not done$/);

  // Keyboard: focus it, Enter opens it in the panel.
  await diamond.focus();
  await page.keyboard.press("Enter");
  const panel = page.locator("[data-testid=milestone-panel]");
  await panel.getByRole("heading", { name: "Lock" }).waitFor();
  expect(await panel.textContent()).toContain("Animation"); // its phase

  // Done: saved at once, drawn filled, and the name says so.
  await panel.getByLabel("Done").check();
  await expect.poll(() => diamond.getAttribute("data-done"), { timeout: 5_000 }).toBe("true");
  expect(await diamond.getAttribute("aria-label")).toMatch(/, done$/);
  const fill = await diamond.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(fill).not.toBe("rgb(255, 255, 255)");
  await shot(page, "59-gantt-milestone-done");

  // Rename and move it (a click opens it too).
  await page.locator("[data-testid=phase-bar]").first().click();
  await diamond.click();
  await panel.getByLabel("Name").fill("Picture lock");
  await panel.getByLabel("Date").fill(day(19));
  await panel.getByRole("button", { name: "Save milestone" }).click();
  await expect.poll(() => diamond.getAttribute("data-date"), { timeout: 5_000 }).toBe(day(19));
  await page.getByRole("button", { name: /^Milestone Picture lock, .*, done$/ }).waitFor();
  const stored = (await owner.call<{ data: { name: string; date: string; done: boolean }[] }>("GET", `/projects/${plan.project.id}/milestones`)).data;
  expect(stored).toMatchObject([{ name: "Picture lock", date: day(19), done: true }]);

  // Delete, after the confirmation.
  await panel.getByRole("button", { name: "Delete milestone" }).click();
  await page.getByRole("alertdialog", { name: "Delete Picture lock?" }).getByRole("button", { name: "Delete milestone" }).click();
  await expect.poll(() => diamond.count(), { timeout: 5_000 }).toBe(0);
  expect((await owner.call<{ data: unknown[] }>("GET", `/projects/${plan.project.id}/milestones`)).data).toEqual([]);
  expect(file.tab.problems).toEqual([]);
});

test("the Allocation tab: over and under in words, and the CSV", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Allocation");
  const { skill } = await bookOnPhase(owner, "Chiara Rossi", plan, plan.layout.id, 32);
  await owner.call("PATCH", `/project-phases/${plan.layout.id}`, { effort: [{ skill, days: 1 }] });
  await owner.call("PATCH", `/project-phases/${plan.animation.id}`, { effort: [{ skill, days: 10 }] });
  await openGantt(page, plan.project.id);
  await page.getByRole("tab", { name: "Allocation" }).click();
  const rows = page.locator("[data-testid=allocation-row]");
  await expect.poll(() => rows.count(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
  const layout = page.locator(`[data-testid=allocation-row][data-phase="Layout"][data-skill="${skill}"]`);
  const animation = page.locator(`[data-testid=allocation-row][data-phase="Animation"][data-skill="${skill}"]`);
  expect(await layout.getAttribute("data-status")).toBe("over");
  expect(await layout.textContent()).toMatch(/▲ Over by \d/);
  expect(await animation.getAttribute("data-status")).toBe("under");
  expect(await animation.textContent()).toContain("▼ Under by 10 d");
  await shot(page, "60-gantt-allocation");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`allocation-${plan.project.code}.csv`);
  const lines = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
  expect(lines[0]).toBe("phase_id,phase_name,skill,planned_days,booked_days,held_days,delta_days,status");
  expect(lines.some((l) => l.startsWith(`${plan.layout.id},Layout,`) && l.endsWith(",over"))).toBe(true);
  expect(lines.some((l) => l.startsWith(`${plan.animation.id},Animation,`) && l.endsWith(",under"))).toBe(true);

  // Back to the chart.
  await page.getByRole("tab", { name: "Chart" }).click();
  await bar(page, "Layout").waitFor();
  expect(file.tab.problems).toEqual([]);
});
