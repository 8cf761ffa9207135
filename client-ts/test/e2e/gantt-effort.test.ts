// A phase's planned effort per skill, edited in the Gantt: the selected
// phase's panel (a demo phase: rows of skill and days, suggested skills from
// the studio's artists; a skill listed twice is refused by the server and
// its field error shown on the row, in words; then saved) and the "Add
// phase" form. The Allocation tab shows the planned figure.

import { expect, test } from "vitest";
import { OWNER, api, shot, signedInTab } from "./helpers.js";
import { bar, expectedRefusals, freshPlan, goTo, openGantt, phasesOf } from "./project-helpers.js";

interface Effort {
  skill: string;
  days: number;
}

const file = signedInTab(OWNER);

test("effort on a demo phase from its panel: a refused duplicate on its row, then saved and planned in the Allocation tab", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const projects = (await owner.call<{ data: { id: string; name: string }[] }>("GET", "/projects?limit=1000")).data;
  const demo = projects.find((p) => p.name === "Feature: The Lighthouse")!;
  const before = (await owner.call<{ data: { id: string; effort: Effort[] }[] }>("GET", `/projects/${demo.id}/phases`)).data;
  const phasesBefore = await phasesOf(owner, demo.id);
  const comp = before.find((p) => p.id === phasesBefore.get("Compositing")!.id)!;
  const artists = (await owner.call<{ data: { name: string; skills: string[] }[] }>("GET", "/artists?limit=1000")).data;
  const skill = artists.find((a) => a.name === "Chiara Rossi")!.skills[0]!.toLowerCase();

  try {
    await goTo(page, "#/projects");
    await page.getByRole("link", { name: "Feature: The Lighthouse", exact: true }).click();
    await bar(page, "Compositing").click();
    const form = page.locator("[data-testid=phase-effort]");
    const rows = form.locator("[data-testid=effort-row]");
    await expect.poll(() => rows.count()).toBe(comp.effort.length); // the stored effort, row by row
    // The studio's skills are suggested.
    const suggested = await form.locator("datalist option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(suggested).toContain(skill);
    while ((await rows.count()) > 0) await form.getByRole("button", { name: /^Remove skill 1/ }).click();

    // The same skill twice: the server refuses, and says which row.
    await form.getByRole("button", { name: "Add skill" }).click();
    await form.getByLabel("Skill 1", { exact: true }).fill(skill);
    await form.getByLabel("Days 1", { exact: true }).fill("7");
    await form.getByRole("button", { name: "Add skill" }).click();
    await form.getByLabel("Skill 2", { exact: true }).fill(skill);
    await form.getByLabel("Days 2", { exact: true }).fill("3");
    await form.getByRole("button", { name: "Save effort" }).click();
    const alert = form.getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 5_000 }).toContain(`Effort row 2 (${skill}): skill ${skill} is listed twice`);
    expect(await alert.textContent()).not.toContain("effort[1]"); // in words, not the JSON path
    expect(await form.getByLabel("Skill 2", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Skill 1", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    expect(expectedRefusals(file.tab, 400)).toBe(1);
    await shot(page, "62-gantt-effort-refused");

    // Another tag in row 2: saved (the server lower-cases tags).
    await form.getByLabel("Skill 2", { exact: true }).fill("E2E-Paint");
    await form.getByRole("button", { name: "Save effort" }).click();
    await form.getByRole("status").filter({ hasText: "Effort saved" }).waitFor();
    const stored = async () => (await owner.call<{ data: { effort: Effort[] } }>("GET", `/projects/${demo.id}/phases`)).data;
    const effortOf = async () => ((await stored()) as unknown as { id: string; effort: Effort[] }[]).find((p) => p.id === comp.id)!.effort;
    expect(await effortOf()).toEqual([
      { skill, days: 7 },
      { skill: "e2e-paint", days: 3 },
    ]);
    // The event reaches the form: it shows the stored (lower-cased) tag.
    await expect.poll(() => form.getByLabel("Skill 2", { exact: true }).inputValue()).toBe("e2e-paint");
    expect(await form.getByRole("alert").count()).toBe(0);
    await shot(page, "63-gantt-effort-saved");

    // The Allocation tab plans 7 days of that skill on Compositing.
    await page.getByRole("tab", { name: "Allocation" }).click();
    const row = page.locator(`[data-testid=allocation-row][data-phase="Compositing"][data-skill="${skill}"]`);
    await expect.poll(() => row.locator("td").nth(1).textContent(), { timeout: 5_000 }).toBe("7");
    const paint = page.locator('[data-testid=allocation-row][data-phase="Compositing"][data-skill="e2e-paint"]');
    expect(await paint.locator("td").nth(1).textContent()).toBe("3");
    await shot(page, "64-gantt-effort-allocation");
    await page.getByRole("tab", { name: "Chart" }).click();
  } finally {
    await owner.call("PATCH", `/project-phases/${comp.id}`, { effort: comp.effort }); // the demo as it was
  }
  expect(file.tab.problems).toEqual([]);
});

test("Add phase with its effort", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const plan = await freshPlan(owner, "E2E: Effort add");
  await openGantt(page, plan.project.id);
  const form = page.locator("[data-testid=add-phase]");
  await form.getByLabel("Name").fill("Lighting");
  await form.getByRole("button", { name: "Add skill" }).click();
  await form.getByLabel("Skill 1", { exact: true }).fill("lighting");
  await form.getByLabel("Days 1", { exact: true }).fill("12");
  await form.getByRole("button", { name: "Add skill" }).click();
  await form.getByLabel("Skill 2", { exact: true }).fill("comp");
  await form.getByLabel("Days 2", { exact: true }).fill("4");
  await form.getByRole("button", { name: "Remove skill 2 (comp)" }).click();
  await form.getByRole("button", { name: "Add phase" }).click();
  await bar(page, "Lighting").waitFor();
  const lighting = (await owner.call<{ data: { name: string; effort: Effort[] }[] }>("GET", `/projects/${plan.project.id}/phases`)).data.find((p) => p.name === "Lighting")!;
  expect(lighting.effort).toEqual([{ skill: "lighting", days: 12 }]);
  expect(await form.locator("[data-testid=effort-row]").count()).toBe(0); // the form is cleared for the next phase
  // Its panel shows it.
  await bar(page, "Lighting").click();
  expect(await page.locator("[data-testid=phase-effort]").getByLabel("Days 1", { exact: true }).inputValue()).toBe("12");
  expect(file.tab.problems).toEqual([]);
});
